import type { Child } from 'hono/jsx';
import type { SessionUser } from '../../auth/web-session.js';
import type { Member, Project } from '../../db/database.js';
import type { WorkflowListing } from '../../projects/project-workflows.js';
import type { UndeliverableMark } from '../../projects/undeliverable-marks.js';
import { canManage, type ProjectRole } from '../../users/project-role.js';
import { Layout } from '../components/layout.js';
import { CalendarSettings } from './settings-calendar.js';
import { GeneralSettings } from './settings-general.js';
import { MemberSettings } from './settings-members.js';
import { PolicySettings } from './settings-policy.js';
import { RemindersSettings } from './settings-reminders.js';
import { ResponseSettings } from './settings-responses.js';
import {
  SettingsSection,
  type SettingsFailure,
  type SettingsSectionId,
} from './settings-section.js';
import { WorkflowSettings } from './settings-workflows.js';

export interface SettingsPageProps {
  user: SessionUser;
  csrfToken: string;
  project: Project;
  role: ProjectRole;
  members: Member[];
  /** Members' addresses known to be undeliverable, by lowercased address. */
  undeliverable: ReadonlyMap<string, UndeliverableMark>;
  /** The project's local date (YYYY-MM-DD): a pause through an earlier date has lapsed. */
  today: string;
  workflows: WorkflowListing[];
  /** `<code>@<mail domain>`: where the project's mail goes. */
  inbox: string | null;
  /** The section just saved (`?saved=`), or `project` right after the project was created. */
  saved: string | null;
  failure: SettingsFailure | null;
}

const TITLES: [SettingsSectionId, string][] = [
  ['general', 'General'],
  ['reminders', 'Reminders'],
  ['members', 'Members and roles'],
  ['workflows', 'Review workflows'],
  ['calendar', 'Working days and holidays'],
  ['responses', 'Review responses'],
  ['policy', 'Mail policy'],
];

/** `GET /p/:code/settings`: every setting; forms for managers, the values alone for others. */
export function SettingsPage(props: SettingsPageProps) {
  const { project, failure } = props;
  const editable = canManage(props.role);
  const common = (section: SettingsSectionId) => ({
    base: `/p/${encodeURIComponent(project.code)}/settings`,
    csrfToken: props.csrfToken,
    editable,
    failed: failure?.section === section ? failure.fields : undefined,
  });
  const bodies: Record<SettingsSectionId, Child> = {
    general: <GeneralSettings {...common('general')} project={project} />,
    reminders: <RemindersSettings {...common('reminders')} project={project} />,
    members: (
      <MemberSettings
        {...common('members')}
        members={props.members}
        inbox={props.inbox}
        undeliverable={props.undeliverable}
        zone={project.timezone}
        today={props.today}
      />
    ),
    workflows: <WorkflowSettings {...common('workflows')} workflows={props.workflows} />,
    calendar: <CalendarSettings {...common('calendar')} project={project} />,
    responses: <ResponseSettings {...common('responses')} project={project} />,
    policy: <PolicySettings {...common('policy')} project={project} />,
  };
  return (
    <Layout
      title={`Settings · ${project.name}`}
      user={props.user}
      csrfToken={props.csrfToken}
      project={project}
      section="settings"
    >
      <h1>Settings</h1>
      {props.saved === 'project' ? (
        <p class="settings-saved" role="status">
          Project created. Add its members and a review workflow below.
        </p>
      ) : null}
      {editable ? null : (
        <p class="note">Only the project's managers and administrators can change these.</p>
      )}
      <nav aria-label="Settings sections" class="settings-toc">
        <ul>
          {TITLES.map(([id, title]) => (
            <li>
              <a href={`#${id}`}>{title}</a>
            </li>
          ))}
        </ul>
      </nav>
      {TITLES.map(([id, title]) => (
        <SettingsSection
          id={id}
          title={title}
          saved={props.saved === id}
          error={failure?.section === id ? failure.message : undefined}
        >
          {bodies[id]}
        </SettingsSection>
      ))}
    </Layout>
  );
}
