import type { Db } from '../db/database.js';
import { DocketError } from '../errors.js';

/** Stored for "paused until resumed": later than any real date, so one comparison serves both. */
export const PAUSED_INDEFINITELY = '9999-12-31';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Pauses a member's reminders in one project — for a person whose out-of-office answered — through
 * `until` (a local date, inclusive), or until resumed. Escalations to managers still name them.
 */
export async function pauseMemberReminders(
  db: Db,
  input: { projectId: number; email: string; until?: string | null },
): Promise<{ email: string; until: string }> {
  const until = input.until ?? PAUSED_INDEFINITELY;
  if (!LOCAL_DATE.test(until) || Number.isNaN(Date.parse(`${until}T00:00:00Z`))) {
    throw new DocketError('invalid_input', `"${until}" is not a YYYY-MM-DD date`);
  }
  return setPause(db, input.projectId, input.email, until).then((email) => ({ email, until }));
}

/** Lets a paused member's reminders flow again from the next run. */
export async function resumeMemberReminders(
  db: Db,
  input: { projectId: number; email: string },
): Promise<{ email: string }> {
  return { email: await setPause(db, input.projectId, input.email, null) };
}

async function setPause(
  db: Db,
  projectId: number,
  email: string,
  until: string | null,
): Promise<string> {
  const row = await db
    .updateTable('members')
    .set({ reminders_paused_until: until })
    .where('project_id', '=', projectId)
    .where('email', '=', email.trim().toLowerCase())
    .returning('email')
    .executeTakeFirst();
  if (!row) throw new DocketError('not_found', `${email} is not a member of this project`);
  return row.email;
}
