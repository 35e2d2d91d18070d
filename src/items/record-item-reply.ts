import { recordAudit } from '../audit/audit.repository.js';
import type { ReplyTokenClaims } from '../auth/reply-token.js';
import type { Trx } from '../db/database.js';
import type { FilingReason } from '../mail/threading.js';
import type { RecordContext, RoutedMessage } from '../records/record-context.js';
import {
  recordReplyFiledAsComment,
  spendReplyToken,
  whenReplyTokenWasUsed,
} from '../records/reply-ledger.js';
import { authenticateReply, dmarcRefusal, replyEvidence } from '../records/reply-evidence.js';
import { mayAnswer, unansweredReasons } from '../records/may-answer.js';
import { itemRecord, sendAnswer, sendNotCounted } from './item-mail.js';
import { lockItem, memberEmail } from './item.repository.js';
import { itemNumber } from './item-types.js';

/**
 * A reply to an item's "Action required", carrying a verified `rfi` token. It answers the item
 * only when the token is unused, the item is open with the ball at the person the token was issued
 * to, the `From` is that person, the message is not automated (out-of-office, bounce), DMARC or
 * aligned DKIM passes where the project asks for it, and there is something to answer with. The
 * answer is the trimmed reply text; the ball goes back to the asker, who is sent the answer.
 * Anything else stays in the thread as a comment, with the reason in the item's audit trail and
 * told to the sender when Docket may answer them (a member or someone the item involves, never a
 * machine: see `mayAnswer`).
 */
export async function recordItemReply(
  trx: Trx,
  context: RecordContext,
  message: RoutedMessage,
  token: { claims: ReplyTokenClaims; tokenId: string },
  raw: () => Promise<Buffer>,
  now: Date,
): Promise<FilingReason[]> {
  const { project, mail } = message;
  const item = await lockItem(trx, project.id, token.claims.recordId);
  const holder = await memberEmail(trx, project.id, token.claims.personId);
  const number = item ? itemNumber(item.prefix, item.number) : null;
  const from = mail.from?.address ?? null;
  const automated = message.classification.flags.some((f) => f === 'auto-reply' || f === 'bounce');
  const usedAt = await whenReplyTokenWasUsed(trx, project.id, token.tokenId);
  const answer = message.classification.reply.trim();
  const attachments = message.attachments.filter((a) => !a.inline);

  let refusal =
    !item || !holder
      ? 'the reply address names an item that does not exist'
      : usedAt
        ? `this reply address was already used to answer ${number} on ${usedAt.toISOString()}`
        : automated
          ? 'the message is an automatic reply'
          : from !== holder
            ? `the message is from ${from ?? 'an unknown sender'}, but this reply address belongs to ${holder}`
            : item.status !== 'open' || !item.ball_in_court.includes(holder)
              ? `${number} is ${item.status} and not waiting for an answer from ${holder}`
              : answer === '' && attachments.length === 0
                ? 'the reply has no answer above the quoted text'
                : null;
  // Authentication needs the raw message and DNS: only worth it for a reply that would count.
  const auth =
    refusal === null && project.require_dmarc
      ? await authenticateReply(context, message, raw)
      : null;
  refusal ??= dmarcRefusal(auth);

  const evidence = { number, ...replyEvidence(message, token, auth) };

  if (refusal !== null || !item || !holder) {
    const reason = refusal ?? 'the reply address names an item that does not exist';
    if (item) {
      await recordReplyFiledAsComment(
        trx,
        {
          projectId: project.id,
          recordType: 'item',
          recordId: item.id,
          actor: from,
          evidence,
          reason,
        },
        now,
      );
    }
    const answer = await mayAnswer(trx, message, item ? itemRecord(item) : null);
    if (answer.to !== null) {
      await sendNotCounted(trx, context, {
        project,
        item: item ?? null,
        subject: mail.subject,
        to: answer.to,
        reason,
        threadId: message.threadId,
        now,
      });
    }
    return [
      { rule: 'item-reply', detail: `filed as a comment: ${reason}` },
      ...unansweredReasons(answer),
    ];
  }

  await spendReplyToken(
    trx,
    { projectId: project.id, tokenId: token.tokenId, messageId: message.messageId },
    now,
  );
  const answered = await trx
    .updateTable('items')
    .set({
      status: 'answered',
      answer,
      answered_by: holder,
      answered_at: now,
      ball_in_court: [item.asker],
    })
    .where('project_id', '=', project.id)
    .where('id', '=', item.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const audit = (action: string, details: Record<string, unknown>) =>
    recordAudit(
      trx,
      {
        projectId: project.id,
        recordType: 'item',
        recordId: item.id,
        actor: holder,
        action,
        details,
      },
      now,
    );
  await audit('answered', {
    ...evidence,
    answer,
    attachments: attachments.map((a) => ({ filename: a.filename, sha256: a.sha256 })),
  });
  await audit('ball-moved', { number, from: item.ball_in_court, to: [item.asker] });
  await sendAnswer(trx, context, { project, item: answered, attachments, now });
  return [{ rule: 'item-reply', detail: `answered ${number}; ball back with ${item.asker}` }];
}
