import { addWorkingDays } from '../calendar/working-days.js';
import type { Db, Project } from '../db/database.js';
import { loadObligations } from './load-obligations.js';
import { reminderCalendar } from './reminder-clock.js';
import type { ReminderProject, ReminderState } from './reminder-model.js';

export function reminderProject(project: Project): ReminderProject & { reviewDays: number } {
  return {
    id: project.id,
    code: project.code,
    name: project.name,
    timezone: project.timezone,
    workingWeekdays: project.working_weekdays,
    holidays: project.holidays,
    digestTime: project.digest_time,
    escalateAfterDays: project.escalate_after_days,
    escalateAdminAfterDays: project.escalate_admin_after_days,
    reviewDays: project.review_days,
  };
}

/**
 * The latest due date any reminder at `now` can name, in any project: the end of the third working
 * day after its local date. A digest line is due within two working days, which reaches to the
 * day before the third (a Wednesday's reaches Sunday); escalations and weekly summaries name only
 * what is overdue. A bound for the query, not a rule: the rules still decide line by line.
 */
export function reminderHorizon(projects: Iterable<ReminderProject>, now: Date): Date | undefined {
  let latest: Date | undefined;
  for (const project of projects) {
    const end = addWorkingDays(reminderCalendar(project), now, 3);
    if (!latest || end > latest) latest = end;
  }
  return latest;
}

/**
 * Reads what the reminder rules need at one instant: projects, open obligations, the quiet list
 * (undeliverable addresses, paused members) and who hears escalations. Plain reads, no locks: the
 * ledger, not this snapshot, decides what is sent. Given `now`, obligations due after every
 * project's reminder horizon are left out (see `reminderHorizon`); without it, all are read.
 */
export async function loadReminderState(db: Db, now?: Date): Promise<ReminderState> {
  const projectRows = await db.selectFrom('projects').selectAll().orderBy('id').execute();
  const projects = new Map(projectRows.map((p) => [p.id, reminderProject(p)]));
  const dueBy = now && (reminderHorizon(projects.values(), now) ?? now);
  const [obligations, undeliverable, paused, managers, admins] = await Promise.all([
    loadObligations(db, projects, dueBy),
    db.selectFrom('undeliverable_addresses').select('email').execute(),
    db
      .selectFrom('members')
      .select(['project_id', 'email', 'reminders_paused_until'])
      .where('reminders_paused_until', 'is not', null)
      .execute(),
    db
      .selectFrom('members')
      .select(['project_id', 'email'])
      .where('role', '=', 'manager')
      .orderBy('email')
      .execute(),
    db.selectFrom('users').select('email').where('is_admin', '=', true).orderBy('email').execute(),
  ]);
  const managerMap = new Map<number, string[]>();
  for (const m of managers) {
    managerMap.set(m.project_id, [...(managerMap.get(m.project_id) ?? []), m.email.toLowerCase()]);
  }
  return {
    projects: [...projects.values()],
    obligations,
    undeliverable: new Set(undeliverable.map((u) => u.email.toLowerCase())),
    pausedUntil: new Map(
      paused.map((p) => [
        `${p.project_id} ${p.email.toLowerCase()}`,
        p.reminders_paused_until ?? '',
      ]),
    ),
    managers: managerMap,
    admins: admins.map((a) => a.email.toLowerCase()),
  };
}
