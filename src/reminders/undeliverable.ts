import type { Db, Trx } from '../db/database.js';

/**
 * Marks an address undeliverable (a hard bounce said so): reminders skip it from then on. The
 * first report is kept; a repeat changes nothing.
 */
export async function markUndeliverable(
  db: Db | Trx,
  input: {
    email: string;
    reason: string;
    sourceProjectId?: number | null;
    sourceMessageId?: number | null;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('undeliverable_addresses')
    .values({
      email: input.email.trim().toLowerCase(),
      reason: input.reason,
      marked_at: now,
      source_project_id: input.sourceProjectId ?? null,
      source_message_id: input.sourceMessageId ?? null,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .execute();
}

/** Mail reaches the address again (a person fixed it): reminders resume. */
export async function clearUndeliverable(db: Db | Trx, email: string): Promise<boolean> {
  const result = await db
    .deleteFrom('undeliverable_addresses')
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Of these addresses, the ones known undeliverable, with why (for a members page). */
export async function undeliverableAmong(
  db: Db | Trx,
  emails: readonly string[],
): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map();
  const rows = await db
    .selectFrom('undeliverable_addresses')
    .select(['email', 'reason'])
    .where(
      'email',
      'in',
      emails.map((e) => e.toLowerCase()),
    )
    .execute();
  return new Map(rows.map((r) => [r.email, r.reason]));
}
