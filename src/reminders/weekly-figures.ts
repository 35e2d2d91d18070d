import { DateTime } from 'luxon';
import { dashboardCounts, type DashboardCounts } from '../dashboard/dashboard-counts.js';
import { overdueByHolder, type OverdueHolder } from '../dashboard/overdue-by-holder.js';
import type { Db } from '../db/database.js';

/** What a weekly summary reads from the database about one project, as of the send. */
export interface WeeklyFigures {
  counts: DashboardCounts;
  /** Messages filed from Monday 00:00 of last week to Monday 00:00 of this one, project time. */
  messagesLastWeek: number;
  /** The dashboard's "Overdue by ball in court" data, most overdue first. */
  overdueHolders: OverdueHolder[];
  /** Lower-case address → the name the project knows the member by. */
  names: ReadonlyMap<string, string>;
}

/**
 * Reads each project's figures the way its dashboard does (the same counts, the same chart data),
 * so a manager who follows the link finds the numbers the mail gave them.
 */
export async function loadWeeklyFigures(
  db: Db,
  projectIds: readonly number[],
  now: Date,
): Promise<Map<number, WeeklyFigures>> {
  if (projectIds.length === 0) return new Map();
  const projects = await db
    .selectFrom('projects')
    .selectAll()
    .where('id', 'in', [...projectIds])
    .execute();
  const entries = await Promise.all(
    projects.map(async (project) => {
      const thisWeek = DateTime.fromJSDate(now, { zone: project.timezone }).startOf('week');
      const [counts, lastWeek, overdueHolders, members] = await Promise.all([
        dashboardCounts(db, project, now),
        db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('project_id', '=', project.id)
          .where('received_at', '>=', thisWeek.minus({ weeks: 1 }).toJSDate())
          .where('received_at', '<', thisWeek.toJSDate())
          .executeTakeFirstOrThrow(),
        overdueByHolder(db, project.id, now),
        db
          .selectFrom('members')
          .select(['email', 'name'])
          .where('project_id', '=', project.id)
          .where('name', 'is not', null)
          .execute(),
      ]);
      const names = new Map(members.map((m) => [m.email.toLowerCase(), m.name ?? m.email]));
      const figures: WeeklyFigures = {
        counts,
        messagesLastWeek: Number(lastWeek.n),
        overdueHolders,
        names,
      };
      return [project.id, figures] as const;
    }),
  );
  return new Map(entries);
}
