import type { Trx } from '../db/database.js';
import type { BounceRecipient } from '../mail/dsn.js';
import { markUndeliverable } from './undeliverable.js';

/** A recipient the report says failed permanently: a 5.x.x status, or a 5xx reply without one. */
export function hardFailures(recipients: readonly BounceRecipient[]): BounceRecipient[] {
  return recipients.filter((r) => {
    if (r.action !== null && r.action !== 'failed') return false;
    if (r.status) return r.status.startsWith('5.');
    return /\b5\d\d\b/.test(r.diagnostic ?? '');
  });
}

/**
 * While a bounce is filed: marks each hard-failed recipient undeliverable, so reminders stop
 * mailing it. Only addresses this project actually sent mail to are marked — anyone can write a
 * bounce, and a forged one must not silence a stranger's reminders.
 */
export async function markHardBounces(
  trx: Trx,
  input: { projectId: number; messageId: number; details: Record<string, unknown> },
  now: Date,
): Promise<string[]> {
  const bounce = input.details.bounce as
    { kind?: string; recipients?: BounceRecipient[] } | undefined;
  if (!bounce?.recipients?.length) return [];
  const marked: string[] = [];
  for (const failure of hardFailures(bounce.recipients)) {
    const email = failure.recipient.trim().toLowerCase();
    if (!email.includes('@')) continue;
    const mailed = await trx
      .selectFrom('outbox')
      .select('id')
      .where('project_id', '=', input.projectId)
      .where((eb) => eb(eb.val(email), '=', eb.fn.any('to_addresses')))
      .limit(1)
      .executeTakeFirst();
    if (!mailed) continue;
    await markUndeliverable(
      trx,
      {
        email,
        reason: `hard bounce ${failure.status ?? ''} ${failure.diagnostic ?? ''}`
          .replace(/\s+/g, ' ')
          .trim(),
        sourceProjectId: input.projectId,
        sourceMessageId: input.messageId,
      },
      now,
    );
    marked.push(email);
  }
  return marked;
}
