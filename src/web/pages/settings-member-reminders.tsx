import type { Member } from '../../db/database.js';
import type { UndeliverableMark } from '../../projects/undeliverable-marks.js';
import { PAUSED_INDEFINITELY } from '../../reminders/member-pause.js';
import { CsrfField } from '../components/layout.js';
import { fieldText } from '../forms/form-fields.js';
import { When } from './record-format.js';
import type { SectionProps } from './settings-section.js';

export interface MemberReminderProps extends SectionProps {
  member: Member;
  /** Set when mail to the member's address bounced for good: reminders skip them everywhere. */
  undeliverable: UndeliverableMark | undefined;
  /** The project's zone and local date, to show dates and tell a lapsed pause from a live one. */
  zone: string;
  today: string;
}

/**
 * One member's reminders: whether their address is undeliverable and whether a manager paused
 * them (say, after their out-of-office answered), with the forms to clear, pause and resume.
 */
export function MemberReminders(props: MemberReminderProps) {
  const { member, undeliverable } = props;
  const path = `${props.base}/members/${member.id}`;
  const until = member.reminders_paused_until;
  const paused = until !== null && until >= props.today;
  return (
    <div class="member-reminders">
      {undeliverable ? (
        <p class="member-undeliverable">
          Undeliverable since <When at={undeliverable.markedAt} zone={props.zone} dateOnly /> (
          {undeliverable.reason})
        </p>
      ) : null}
      {undeliverable && props.editable ? (
        <form method="post" action={`${path}/undeliverable/clear`} class="settings-inline">
          <CsrfField token={props.csrfToken} />
          <button type="submit" aria-label={`Clear the undeliverable mark on ${member.email}`}>
            Clear
          </button>
        </form>
      ) : null}
      <p>
        {!paused ? (
          'Reminders on'
        ) : until === PAUSED_INDEFINITELY ? (
          'Paused'
        ) : (
          <>
            Paused through <time datetime={until}>{until}</time>
          </>
        )}
      </p>
      {props.editable && paused ? (
        <form method="post" action={`${path}/resume`} class="settings-inline">
          <CsrfField token={props.csrfToken} />
          <button type="submit" aria-label={`Resume reminders to ${member.email}`}>
            Resume
          </button>
        </form>
      ) : null}
      {props.editable ? <PauseForm {...props} path={path} /> : null}
    </div>
  );
}

function PauseForm(props: MemberReminderProps & { path: string }) {
  const { member, failed } = props;
  // After a refused pause, the row it came from shows what was typed.
  const typed = fieldText(failed, 'member') === String(member.id) ? fieldText(failed, 'until') : '';
  const id = `member-${member.id}-until`;
  return (
    <form method="post" action={`${props.path}/pause`} class="settings-inline">
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="member" value={String(member.id)} />
      <label for={id}>Pause through (optional)</label>
      <input id={id} name="until" type="date" min={props.today} value={typed} />
      <button type="submit" aria-label={`Pause reminders to ${member.email}`}>
        Pause
      </button>
    </form>
  );
}
