import type { Member, MemberRole } from '../../db/database.js';
import type { UndeliverableMark } from '../../projects/undeliverable-marks.js';
import { CsrfField } from '../components/layout.js';
import { MemberReminders } from './settings-member-reminders.js';
import { shown, type SectionProps } from './settings-section.js';

const ROLES: [MemberRole, string][] = [
  ['manager', 'Manager — changes settings, members and workflows'],
  ['reviewer', 'Reviewer — reviews submittals'],
  ['member', 'Member — reads the project'],
];

export interface MemberSettingsProps extends SectionProps {
  members: Member[];
  inbox: string | null;
  /** Marks on members' addresses, by lowercased address. */
  undeliverable: ReadonlyMap<string, UndeliverableMark>;
  /** The project's time zone and local date. */
  zone: string;
  today: string;
}

/**
 * The people in the project with their roles and whether reminders reach them; managers add,
 * re-role and remove them, pause and resume their reminders, and clear an undeliverable mark.
 */
export function MemberSettings(props: MemberSettingsProps) {
  // Only a refused "Add a member" refills that form (other member forms are refused too).
  const failed = props.failed && 'email' in props.failed ? props.failed : undefined;
  return (
    <>
      {props.inbox ? (
        <p>
          Project inbox: <code>{props.inbox}</code>
        </p>
      ) : null}
      {props.members.length === 0 ? (
        <p class="empty">No members yet. Administrators see every project without being members.</p>
      ) : (
        <div class="table-scroll" role="region" aria-label="Members" tabindex={0}>
          <table class="settings-table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Reminders</th>
                {props.editable ? <th scope="col">Remove</th> : null}
              </tr>
            </thead>
            <tbody>
              {props.members.map((member) => (
                <MemberRow {...props} member={member} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="hint">
        Reminders skip an undeliverable address (mail to it bounced for good) until the mark is
        cleared. A paused member gets no reminders from this project through the date given, or
        until resumed; escalations still name them.
      </p>
      {props.editable ? (
        <form method="post" action={`${props.base}/members`} class="settings-form">
          <CsrfField token={props.csrfToken} />
          <h3>Add a member</h3>
          <div class="field">
            <label for="member-email">Email</label>
            <input
              id="member-email"
              name="email"
              type="email"
              value={shown(failed, 'email', '')}
              required
            />
          </div>
          <div class="field">
            <label for="member-name">Name (optional)</label>
            <input id="member-name" name="name" type="text" value={shown(failed, 'name', '')} />
          </div>
          <div class="field">
            <label for="member-role">Role</label>
            <RoleSelect id="member-role" selected={shown(failed, 'role', 'member')} />
          </div>
          <div class="actions">
            <button type="submit">Add member</button>
          </div>
          <p class="hint">Adding someone already in the project updates their name and role.</p>
        </form>
      ) : null}
    </>
  );
}

function MemberRow(props: MemberSettingsProps & { member: Member }) {
  const { member } = props;
  const path = `${props.base}/members/${member.id}`;
  return (
    <tr>
      <td>{member.email}</td>
      <td>{member.name ?? ''}</td>
      <td>
        {props.editable ? (
          <form method="post" action={`${path}/role`} class="settings-inline">
            <CsrfField token={props.csrfToken} />
            <RoleSelect
              id={`member-${member.id}-role`}
              selected={member.role}
              label={`Role of ${member.email}`}
            />
            <button type="submit">Change</button>
          </form>
        ) : (
          member.role
        )}
      </td>
      <td>
        <MemberReminders
          {...props}
          undeliverable={props.undeliverable.get(member.email.toLowerCase())}
        />
      </td>
      {props.editable ? (
        <td>
          <form method="post" action={`${path}/remove`} class="settings-inline">
            <CsrfField token={props.csrfToken} />
            <button type="submit" class="settings-danger" aria-label={`Remove ${member.email}`}>
              Remove
            </button>
          </form>
        </td>
      ) : null}
    </tr>
  );
}

function RoleSelect(props: { id: string; selected: string; label?: string }) {
  return (
    <select id={props.id} name="role" aria-label={props.label}>
      {ROLES.map(([role, label]) => (
        <option value={role} selected={role === props.selected}>
          {props.label ? role : label}
        </option>
      ))}
    </select>
  );
}
