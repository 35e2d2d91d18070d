import type { Project } from '../../db/database.js';
import { CsrfField } from '../components/layout.js';
import { shown, type SectionProps } from './settings-section.js';

/** When the morning digest and escalations go out, and how overdue an item gets before managers,
 * then administrators, are told. */
export function RemindersSettings(props: SectionProps & { project: Project }) {
  const { project, failed } = props;
  const thresholds: [string, string, number, string][] = [
    [
      'escalate_after_days',
      'Tell managers after',
      project.escalate_after_days,
      "working days overdue: the project's managers get the item in their escalation mail",
    ],
    [
      'escalate_admin_after_days',
      'Tell administrators after',
      project.escalate_admin_after_days,
      'working days overdue: administrators are told as well',
    ],
  ];
  if (!props.editable) {
    return (
      <dl class="settings-facts">
        <dt>Digest time</dt>
        <dd>
          {project.digest_time} ({project.timezone}), on working days
        </dd>
        {thresholds.map(([, label, value, hint]) => (
          <>
            <dt>{label}</dt>
            <dd>
              {value} {hint}
            </dd>
          </>
        ))}
      </dl>
    );
  }
  return (
    <form method="post" action={`${props.base}/reminders`} class="settings-form">
      <CsrfField token={props.csrfToken} />
      <div class="field">
        <label for="reminders-digest-time">Digest time</label>
        <input
          id="reminders-digest-time"
          name="digest_time"
          type="time"
          value={shown(failed, 'digest_time', project.digest_time)}
          aria-describedby="reminders-digest-time-hint"
          required
        />
        <span id="reminders-digest-time-hint" class="hint">
          HH:MM in {project.timezone}, on working days: the morning digest and escalations
        </span>
      </div>
      {thresholds.map(([name, label, value, hint]) => (
        <div class="field">
          <label for={`reminders-${name}`}>{label}</label>
          <input
            id={`reminders-${name}`}
            name={name}
            type="number"
            min="1"
            max="1000"
            inputmode="numeric"
            value={shown(failed, name, String(value))}
            aria-describedby={`reminders-${name}-hint`}
            required
          />
          <span id={`reminders-${name}-hint`} class="hint">
            {hint}
          </span>
        </div>
      ))}
      <div class="actions">
        <button type="submit">Save reminder settings</button>
      </div>
    </form>
  );
}
