import { DateTime } from 'luxon';
import type { Db, Project } from '../db/database.js';

export interface DashboardCounts {
  threads: number;
  /** Messages received since Monday 00:00 in the project's time zone. */
  messagesThisWeek: number;
  /** Submittals not yet closed: in review, or returned and awaiting a new revision. */
  openSubmittals: number;
  /** Open submittals whose current review step is past its due date. */
  overdueSubmittals: number;
  /** RFIs and other correspondence items still awaiting an answer. */
  openItems: number;
  /** Transmittals some recipient has not acknowledged yet. */
  transmittalsAwaitingAck: number;
}

/** The project's headline numbers, in one round trip. */
export async function dashboardCounts(
  db: Db,
  project: Project,
  now: Date,
): Promise<DashboardCounts> {
  const weekStart = DateTime.fromJSDate(now, { zone: project.timezone }).startOf('week').toJSDate();
  const id = project.id;
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('threads')
        .select((e) => e.fn.countAll<string>().as('n'))
        .where('project_id', '=', id)
        .where('merged_into', 'is', null)
        .as('threads'),
      eb
        .selectFrom('messages')
        .select((e) => e.fn.countAll<string>().as('n'))
        .where('project_id', '=', id)
        .where('received_at', '>=', weekStart)
        .as('messages'),
      eb
        .selectFrom('submittals')
        .select((e) => e.fn.countAll<string>().as('n'))
        .where('project_id', '=', id)
        .where('status', '!=', 'closed')
        .as('open_submittals'),
      eb
        .selectFrom('submittals')
        .select((e) => e.fn.countAll<string>().as('n'))
        .where('project_id', '=', id)
        .where('status', '=', 'open')
        .where('due_at', '<', now)
        .as('overdue_submittals'),
      eb
        .selectFrom('items')
        .select((e) => e.fn.countAll<string>().as('n'))
        .where('project_id', '=', id)
        .where('status', '=', 'open')
        .as('open_items'),
      eb
        .selectFrom('transmittals')
        .select((e) => e.fn.countAll<string>().as('n'))
        .where('project_id', '=', id)
        .where('status', '=', 'open')
        .as('transmittals'),
    ])
    .executeTakeFirstOrThrow();
  return {
    threads: Number(row.threads),
    messagesThisWeek: Number(row.messages),
    openSubmittals: Number(row.open_submittals),
    overdueSubmittals: Number(row.overdue_submittals),
    openItems: Number(row.open_items),
    transmittalsAwaitingAck: Number(row.transmittals),
  };
}
