import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import type { Trx } from '../../db/database.js';
import { isDocketError } from '../../errors.js';
import { getMemberById } from '../../projects/member-by-id.js';
import { listMembers, upsertMember } from '../../projects/member.repository.js';
import { changeMemberRole, removeMember } from '../../projects/member-changes.js';
import { getProjectByCode } from '../../projects/project.repository.js';
import { updateProjectSettings } from '../../projects/project-settings.js';
import { deleteWorkflow, listWorkflows } from '../../projects/project-workflows.js';
import { undeliverableMarksAmong } from '../../projects/undeliverable-marks.js';
import { pauseMemberReminders, resumeMemberReminders } from '../../reminders/member-pause.js';
import { updateReminderSettings } from '../../reminders/reminder-settings.js';
import { clearUndeliverable } from '../../reminders/undeliverable.js';
import { saveWorkflow } from '../../submittals/workflow.repository.js';
import { inputProblem, readFormFields, type FormFields } from '../forms/form-fields.js';
import { addMemberForm, memberRoleForm, recordId } from '../forms/member-forms.js';
import { calendarForm, generalForm, policyForm } from '../forms/project-forms.js';
import { pauseRemindersForm, reminderSettingsForm } from '../forms/reminder-forms.js';
import { replaceAliasPairs, responseAliasesForm } from '../forms/response-aliases-form.js';
import { workflowForm } from '../forms/workflow-form.js';
import { SettingsPage } from '../pages/settings-page.js';
import type { SettingsFailure, SettingsSectionId } from '../pages/settings-section.js';
import { loadProject, projectNotFound, requireManager } from '../project-context.js';
import { requireUser } from '../session-middleware.js';
import type { WebDeps, WebEnv } from '../web-env.js';
import { newProjectRoutes } from './new-project.js';

/** Any page's context here; the path's parameters are read by name. */
type WebContext = Context<WebEnv, string>;
type Change = (fields: FormFields, trx: Trx, projectId: number) => Promise<unknown>;

/**
 * `GET /p/:code/settings` for everyone in the project, and one POST per section for its managers
 * (and administrators). Also mounts project creation, which leads here.
 */
export function settingsRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  const { db, now } = deps;
  const app = new Hono<WebEnv>();
  app.route('/', newProjectRoutes(deps));

  async function page(c: WebContext, saved: string | null, failure: SettingsFailure | null) {
    const project = await getProjectByCode(db, c.var.project.code);
    const [members, workflows] = await Promise.all([
      listMembers(db, project.id),
      listWorkflows(db, project.id),
    ]);
    const undeliverable = await undeliverableMarksAmong(
      db,
      members.map((m) => m.email),
    );
    const props = { user: c.var.user!, csrfToken: c.var.csrfToken, role: c.var.role };
    return (
      <SettingsPage
        {...props}
        project={project}
        members={members}
        undeliverable={undeliverable}
        today={localToday(project.timezone)}
        workflows={workflows}
        inbox={`${project.code}@${deps.mail.outbox.mailDomain}`}
        saved={saved}
        failure={failure}
      />
    );
  }

  /** Applies one section's change in a transaction: 303 back on success, 400 with the reason. */
  async function save(c: WebContext, section: SettingsSectionId, change: Change) {
    const fields = await readFormFields(c);
    try {
      await db.transaction().execute((trx) => change(fields, trx, c.var.project.id));
    } catch (error) {
      // A member or workflow id of another project answers like one that does not exist.
      if (isDocketError(error, 'not_found')) return projectNotFound(c);
      const message = inputProblem(error);
      if (message === null) throw error;
      return c.html(await page(c, null, { section, message, fields }), 400);
    }
    const base = `/p/${encodeURIComponent(c.var.project.code)}/settings`;
    return c.redirect(`${base}?saved=${section}#${section}`, 303);
  }

  const manager = [requireUser, loadProject(db), requireManager] as const;
  const code = (c: WebContext) => c.var.project.code;
  const id = (c: WebContext) => recordId(c.req.param('id') ?? '') ?? -1;
  const localToday = (zone: string) => DateTime.fromJSDate(now(), { zone }).toISODate() ?? '';
  const memberOf = (c: WebContext, trx: Trx, projectId: number) =>
    getMemberById(trx, { projectId, memberId: id(c) });

  app.get('/p/:code/settings', requireUser, loadProject(db), async (c) =>
    c.html(await page(c, c.req.query('saved') ?? null, null)),
  );

  app.post('/p/:code/settings/general', ...manager, (c) =>
    save(c, 'general', (fields, trx) =>
      updateProjectSettings(trx, code(c), generalForm.parse(fields)),
    ),
  );
  app.post('/p/:code/settings/reminders', ...manager, (c) =>
    save(c, 'reminders', (fields, trx, projectId) =>
      updateReminderSettings(trx, projectId, reminderSettingsForm.parse(fields)),
    ),
  );
  app.post('/p/:code/settings/calendar', ...manager, (c) =>
    save(c, 'calendar', (fields, trx) =>
      updateProjectSettings(trx, code(c), calendarForm.parse(fields)),
    ),
  );
  app.post('/p/:code/settings/policy', ...manager, (c) =>
    save(c, 'policy', (fields, trx) =>
      updateProjectSettings(trx, code(c), policyForm.parse(fields)),
    ),
  );
  app.post('/p/:code/settings/responses', ...manager, (c) =>
    save(c, 'responses', async (fields, trx) => {
      const { aliases } = responseAliasesForm.parse(fields);
      const current = await getProjectByCode(trx, code(c));
      await updateProjectSettings(trx, code(c), {
        aliases: replaceAliasPairs(current.response_aliases, aliases),
      });
    }),
  );

  app.post('/p/:code/settings/members', ...manager, (c) =>
    save(c, 'members', (fields, trx, projectId) => {
      const form = addMemberForm.parse(fields);
      return upsertMember(trx, { projectId, ...form, name: form.name || null });
    }),
  );
  app.post('/p/:code/settings/members/:id/role', ...manager, (c) =>
    save(c, 'members', (fields, trx, projectId) =>
      changeMemberRole(trx, { projectId, memberId: id(c), ...memberRoleForm.parse(fields) }),
    ),
  );
  app.post('/p/:code/settings/members/:id/remove', ...manager, (c) =>
    save(c, 'members', (_fields, trx, projectId) =>
      removeMember(trx, { projectId, memberId: id(c) }),
    ),
  );
  // Reminders to one member: pause (after their out-of-office answered), resume, and clearing the
  // undeliverable mark a hard bounce left once the person's mailbox works again.
  app.post('/p/:code/settings/members/:id/pause', ...manager, (c) =>
    save(c, 'members', async (fields, trx, projectId) => {
      const member = await memberOf(c, trx, projectId);
      const { until } = pauseRemindersForm(localToday(c.var.project.timezone)).parse(fields);
      return pauseMemberReminders(trx, { projectId, email: member.email, until });
    }),
  );
  app.post('/p/:code/settings/members/:id/resume', ...manager, (c) =>
    save(c, 'members', async (_fields, trx, projectId) => {
      const member = await memberOf(c, trx, projectId);
      return resumeMemberReminders(trx, { projectId, email: member.email });
    }),
  );
  app.post('/p/:code/settings/members/:id/undeliverable/clear', ...manager, (c) =>
    save(c, 'members', async (_fields, trx, projectId) => {
      const member = await memberOf(c, trx, projectId);
      return clearUndeliverable(trx, member.email);
    }),
  );

  app.post('/p/:code/settings/workflows', ...manager, (c) =>
    save(c, 'workflows', (fields, trx, projectId) => {
      const form = workflowForm.parse(fields);
      return saveWorkflow(trx, {
        projectId,
        name: form.name,
        specPrefix: form.spec_prefix,
        steps: form.steps,
      });
    }),
  );
  app.post('/p/:code/settings/workflows/:id/delete', ...manager, (c) =>
    save(c, 'workflows', (_fields, trx, projectId) =>
      deleteWorkflow(trx, { projectId, workflowId: id(c) }),
    ),
  );

  return app;
}
