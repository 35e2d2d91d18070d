import type { Project } from '../../db/database.js';
import { CsrfField } from '../components/layout.js';
import { shown, type SectionProps } from './settings-section.js';
import { TimeZoneField } from './time-zone-field.js';

/** Name, time zone, the working days each kind of record is given, and who gets new RFIs. */
export function GeneralSettings(props: SectionProps & { project: Project }) {
  const { project, failed } = props;
  const days: [string, string, number, string][] = [
    ['review_days', 'Review step', project.review_days, 'working days for each review step'],
    ['rfi_days', 'RFI response', project.rfi_days, 'working days to answer an RFI'],
    ['ack_days', 'Acknowledgement', project.ack_days, 'working days to acknowledge a transmittal'],
  ];
  if (!props.editable) {
    return (
      <dl class="settings-facts">
        <dt>Name</dt>
        <dd>{project.name}</dd>
        <dt>Time zone</dt>
        <dd>{project.timezone}</dd>
        {days.map(([, label, value, hint]) => (
          <>
            <dt>{label}</dt>
            <dd>
              {value} {hint}
            </dd>
          </>
        ))}
        <dt>RFI manager</dt>
        <dd>{project.rfi_manager ?? 'None'}</dd>
      </dl>
    );
  }
  return (
    <form method="post" action={`${props.base}/general`} class="settings-form">
      <CsrfField token={props.csrfToken} />
      <div class="field">
        <label for="general-name">Name</label>
        <input
          id="general-name"
          name="name"
          type="text"
          value={shown(failed, 'name', project.name)}
          required
        />
      </div>
      <div class="field">
        <TimeZoneField id="general-timezone" value={shown(failed, 'timezone', project.timezone)} />
      </div>
      {days.map(([name, label, value, hint]) => (
        <div class="field">
          <label for={`general-${name}`}>{label}</label>
          <input
            id={`general-${name}`}
            name={name}
            type="number"
            min="0"
            max="365"
            inputmode="numeric"
            value={shown(failed, name, String(value))}
            aria-describedby={`general-${name}-hint`}
            required
          />
          <span id={`general-${name}-hint`} class="hint">
            {hint}
          </span>
        </div>
      ))}
      <div class="field">
        <label for="general-rfi-manager">RFI manager</label>
        <input
          id="general-rfi-manager"
          name="rfi_manager"
          type="email"
          value={shown(failed, 'rfi_manager', project.rfi_manager ?? '')}
          aria-describedby="general-rfi-manager-hint"
        />
        <span id="general-rfi-manager-hint" class="hint">
          Holds the ball for new RFIs. Leave empty for none.
        </span>
      </div>
      <div class="actions">
        <button type="submit">Save general settings</button>
      </div>
    </form>
  );
}
