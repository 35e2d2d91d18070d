import { recordAudit, type AuditEntry } from '../audit/audit.repository.js';
import type { Trx } from '../db/database.js';

/** When a reply token was spent, or null: each token acts once. */
export async function whenReplyTokenWasUsed(
  trx: Trx,
  projectId: number,
  tokenId: string,
): Promise<Date | null> {
  const row = await trx
    .selectFrom('used_reply_tokens')
    .select('used_at')
    .where('project_id', '=', projectId)
    .where('token_id', '=', tokenId)
    .executeTakeFirst();
  return row?.used_at ?? null;
}

/** Spends a reply token; the primary key makes a second spend fail rather than act twice. */
export async function spendReplyToken(
  trx: Trx,
  args: { projectId: number; tokenId: string; messageId: number },
  now: Date,
): Promise<void> {
  await trx
    .insertInto('used_reply_tokens')
    .values({
      project_id: args.projectId,
      token_id: args.tokenId,
      used_at: now,
      message_id: args.messageId,
    })
    .execute();
}

/** Records in a record's audit trail that a reply was kept as a comment, and why. */
export function recordReplyFiledAsComment(
  trx: Trx,
  entry: Omit<AuditEntry, 'action' | 'details'> & {
    evidence: Record<string, unknown>;
    reason: string;
  },
  now: Date,
): Promise<void> {
  const { evidence, reason, ...rest } = entry;
  return recordAudit(
    trx,
    { ...rest, action: 'reply-filed-as-comment', details: { ...evidence, reason } },
    now,
  );
}
