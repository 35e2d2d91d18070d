import { DateTime } from 'luxon';
import { isWorkingDay } from '../calendar/working-days.js';
import { reminderCalendar, runClock } from './reminder-clock.js';
import type {
  DueReminder,
  ReminderLine,
  ReminderProject,
  ReminderState,
} from './reminder-model.js';

/**
 * The first working day of the project's week (Monday to Sunday) that holds `localDate`: Monday,
 * or — when Monday is a holiday or not worked — the next day that is. Null for a week with no
 * working day at all (a site closed over the holidays).
 */
export function weekStartDay(project: ReminderProject, localDate: string): string | null {
  const calendar = reminderCalendar(project);
  const monday = DateTime.fromISO(localDate, { zone: 'utc' }).startOf('week');
  for (let i = 0; i < 7; i++) {
    const date = monday.plus({ days: i }).toISODate() ?? '';
    if (isWorkingDay(calendar, date)) return date;
  }
  return null;
}

/**
 * The weekly summaries due at `now`: one mail to each project manager, with a section for every
 * project they manage (and are not paused in) — its overdue obligations, oldest first; the
 * figures and the chart are read when it is sent.
 *
 * When: at the home project's reminder time (the digest's, default 07:00 local) on the first
 * working day of its week — Monday, or Tuesday when Monday is a holiday. The identity's local
 * date is that day, so the ledger lets one summary through per manager per week. A service that
 * was down that morning sends it at the next tick on a later working day of the same week; a
 * week is never skipped or doubled for that.
 *
 * Who and where follow the digest's rules: a manager of several projects gets one mail, timed by
 * their **home project** (the lowest id of the projects it covers); nothing goes to an
 * undeliverable address, nor on a day the home project does not work; a manager paused in a
 * project hears nothing about it.
 */
export function weeklySummariesDue(state: ReminderState, now: Date): DueReminder[] {
  const clock = runClock(now);
  const projects = new Map(state.projects.map((p) => [p.id, p]));
  const managed = new Map<string, ReminderProject[]>();
  for (const [projectId, emails] of state.managers) {
    const project = projects.get(projectId);
    if (!project) continue;
    for (const person of emails) {
      const paused = state.pausedUntil.get(`${project.id} ${person}`);
      if (paused !== undefined && clock.day(project).localDate <= paused) continue;
      managed.set(person, [...(managed.get(person) ?? []), project]);
    }
  }
  const overdue = new Map<number, ReminderLine[]>();
  for (const obligation of state.obligations) {
    const project = projects.get(obligation.projectId);
    if (!project) continue;
    const { overdue: late, daysOverdue } = clock.standing(project, obligation.dueAt);
    if (!late) continue;
    const line = { obligation, daysOverdue, daysLeft: 0, overdue: true };
    overdue.set(project.id, [...(overdue.get(project.id) ?? []), line]);
  }

  const due: DueReminder[] = [];
  for (const [person, list] of [...managed].sort(([a], [b]) => a.localeCompare(b))) {
    if (state.undeliverable.has(person)) continue;
    const covered = list.sort((a, b) => a.id - b.id);
    const home = covered[0];
    if (!home) continue;
    // Only on a working day whose morning has come; the week's first such day names the week.
    const day = clock.day(home);
    const weekStart = day.open ? weekStartDay(home, day.localDate) : null;
    if (weekStart === null) continue;
    due.push({
      job: 'weekly',
      person,
      localDate: weekStart,
      homeProjectId: home.id,
      sections: covered.map((project) => ({
        project,
        lines: oldestFirst(overdue.get(project.id) ?? []),
      })),
    });
  }
  return due;
}

function oldestFirst(lines: ReminderLine[]): ReminderLine[] {
  return [...lines].sort(
    (a, b) =>
      a.obligation.dueAt.getTime() - b.obligation.dueAt.getTime() ||
      a.obligation.number.localeCompare(b.obligation.number) ||
      a.obligation.holder.localeCompare(b.obligation.holder),
  );
}
