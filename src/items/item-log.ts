import type { Db, Project } from '../db/database.js';
import { localDate } from '../calendar/working-days.js';
import { projectCalendar } from '../projects/project-calendar.js';
import { itemsOfProject } from './item.repository.js';
import { itemNumber, type ItemType } from './item-types.js';

export interface ItemLogEntry {
  number: string;
  prefix: string;
  subject: string;
  status: 'open' | 'answered' | 'closed';
  asker: string;
  askerName: string | null;
  ballInCourt: string[];
  dueAt: Date | null;
  /** The due date as the project reads it: `YYYY-MM-DD` in the project's time zone. */
  dueDate: string | null;
  createdAt: Date;
  answeredBy: string | null;
  answeredAt: Date | null;
  closedAt: Date | null;
  overdue: boolean;
}

/**
 * The project's correspondence items in number order, of one type when asked. An item is overdue
 * only while it is still open: once answered the question is no longer waiting on anyone's reply,
 * even if the asker has not closed it yet.
 */
export async function listItems(
  db: Db,
  project: Project,
  now: Date,
  type: ItemType | null = null,
): Promise<ItemLogEntry[]> {
  const rows = await itemsOfProject(db, project.id, type?.prefix ?? null);
  const calendar = projectCalendar(project);
  return rows.map((item) => ({
    number: itemNumber(item.prefix, item.number),
    prefix: item.prefix,
    subject: item.subject,
    status: item.status,
    asker: item.asker,
    askerName: item.asker_name,
    ballInCourt: item.ball_in_court,
    dueAt: item.due_at,
    dueDate: item.due_at ? localDate(calendar, item.due_at) : null,
    createdAt: item.created_at,
    answeredBy: item.answered_by,
    answeredAt: item.answered_at,
    closedAt: item.closed_at,
    overdue: item.status === 'open' && item.due_at !== null && item.due_at < now,
  }));
}
