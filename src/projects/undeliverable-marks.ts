import type { Db } from '../db/database.js';

/** Why and since when mail to an address is known not to arrive. */
export interface UndeliverableMark {
  reason: string;
  markedAt: Date;
}

/**
 * Of these addresses, the ones marked undeliverable (by a hard bounce, or by hand), keyed by the
 * lowercased address: the members page shows them so a manager knows who reminders skip.
 */
export async function undeliverableMarksAmong(
  db: Db,
  emails: readonly string[],
): Promise<Map<string, UndeliverableMark>> {
  if (emails.length === 0) return new Map();
  const rows = await db
    .selectFrom('undeliverable_addresses')
    .select(['email', 'reason', 'marked_at'])
    .where(
      'email',
      'in',
      emails.map((email) => email.toLowerCase()),
    )
    .execute();
  return new Map(rows.map((r) => [r.email, { reason: r.reason, markedAt: r.marked_at }]));
}
