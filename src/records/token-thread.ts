import { parseReplySubaddress, verifyReplyToken } from '../auth/reply-token.js';
import type { Trx } from '../db/database.js';
import { parseProjectAddress } from '../inbound/recipient-address.js';
import type { RecordContext } from './record-context.js';

/**
 * The thread of the record a reply token names, when the message was sent to a `+r-<token>`
 * address: a reply to our notification belongs with its record even when the client dropped
 * In-Reply-To and References. Tokens that do not verify give no thread.
 */
export async function threadFromReplyToken(
  trx: Trx,
  records: RecordContext,
  project: { id: number; code: string },
  recipients: string[],
  now: Date,
): Promise<{ threadId: number; record: string } | null> {
  if (!records.secret) return null;
  for (const address of recipients) {
    const parsed = parseProjectAddress(address, records.mailDomain);
    const token =
      parsed?.code === project.code && parsed.subaddress
        ? parseReplySubaddress(parsed.subaddress)
        : null;
    const verified = token ? verifyReplyToken(records.secret, token, now) : null;
    if (!verified?.ok) continue;
    const { kind, recordId } = verified.claims;
    const table = kind === 'ack' ? 'transmittals' : kind === 'rfi' ? 'items' : 'submittals';
    const row = await trx
      .selectFrom(table)
      .select('thread_id')
      .where('project_id', '=', project.id)
      .where('id', '=', recordId)
      .executeTakeFirst();
    if (row?.thread_id)
      return {
        threadId: row.thread_id,
        record: `${kind} reply for ${table.slice(0, -1)} ${recordId}`,
      };
  }
  return null;
}
