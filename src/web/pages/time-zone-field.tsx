/** Every zone the runtime knows, for the time-zone field's suggestions. */
const ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

/**
 * A time-zone text field with the IANA zones as suggestions: typing "Berl" offers Europe/Berlin,
 * and it still works as a plain field where a browser has no suggestions.
 */
export function TimeZoneField(props: { id: string; value: string }) {
  const list = `${props.id}-zones`;
  return (
    <>
      <label for={props.id}>Time zone</label>
      <input
        id={props.id}
        name="timezone"
        type="text"
        list={list}
        value={props.value}
        required
        autocomplete="off"
        spellcheck={false}
        aria-describedby={`${props.id}-hint`}
      />
      <span id={`${props.id}-hint`} class="hint">
        An IANA name such as Europe/London or America/New_York. Due dates count working days in this
        zone.
      </span>
      <datalist id={list}>
        {ZONES.map((zone) => (
          <option value={zone} />
        ))}
      </datalist>
    </>
  );
}
