import type { Project } from '../../db/database.js';
import { CsrfField } from '../components/layout.js';
import { fieldList } from '../forms/form-fields.js';
import { shown, type SectionProps } from './settings-section.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** The weekdays the project works and its holidays: what due dates count. */
export function CalendarSettings(props: SectionProps & { project: Project }) {
  const { project, failed } = props;
  const ticked = failed
    ? fieldList(failed, 'weekday')
    : project.working_weekdays.map((day) => String(day));
  if (!props.editable) {
    return (
      <dl class="settings-facts">
        <dt>Working days</dt>
        <dd>{project.working_weekdays.map((day) => WEEKDAYS[day - 1]).join(', ')}</dd>
        <dt>Holidays</dt>
        <dd>
          {project.holidays.length === 0 ? (
            'None'
          ) : (
            <ul class="settings-plain">
              {project.holidays.map((day) => (
                <li>
                  <time datetime={day}>{day}</time>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    );
  }
  return (
    <form method="post" action={`${props.base}/calendar`} class="settings-form">
      <CsrfField token={props.csrfToken} />
      <fieldset class="field settings-weekdays">
        <legend>Working days</legend>
        {WEEKDAYS.map((label, i) => (
          <label class="check">
            <input
              type="checkbox"
              name="weekday"
              value={String(i + 1)}
              checked={ticked.includes(String(i + 1))}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="calendar-holidays">Holidays</label>
        <textarea
          id="calendar-holidays"
          name="holidays"
          rows={6}
          aria-describedby="calendar-holidays-hint"
        >
          {shown(failed, 'holidays', project.holidays.join('\n'))}
        </textarea>
        <span id="calendar-holidays-hint" class="hint">
          One date a line, as YYYY-MM-DD (such as 2026-12-25), in the project's time zone (
          {project.timezone}).
        </span>
      </div>
      <div class="actions">
        <button type="submit">Save working days</button>
      </div>
    </form>
  );
}
