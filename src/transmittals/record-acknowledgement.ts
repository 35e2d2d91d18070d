import { recordAudit } from '../audit/audit.repository.js';
import type { ReplyTokenClaims } from '../auth/reply-token.js';
import type { Trx } from '../db/database.js';
import type { FilingReason } from '../mail/threading.js';
import { enqueueMail } from '../outbox/enqueue.js';
import type { RecordContext, RoutedMessage } from '../records/record-context.js';
import { mayAnswer, unansweredReasons } from '../records/may-answer.js';
import { recordReplyFiledAsComment } from '../records/reply-ledger.js';
import { countUnacknowledged, findTransmittalForUpdate } from './transmittal.repository.js';
import { transmittalNumber } from './transmittal-request.js';

const RULE = 'transmittal-ack';

/**
 * A reply to a transmittal, sent to a recipient's acknowledgement address (token verified by the
 * caller). It records that recipient's acknowledgement time only when the `From` is that
 * recipient and a person wrote it: an out-of-office note or a bounce proves nothing about receipt.
 * Anything else is filed as a comment with the reason in the audit trail, and the sender is told
 * why when Docket may answer them (a member or someone the transmittal involves, never a machine:
 * see `mayAnswer`). When the last recipient acknowledges, the transmittal closes.
 */
export async function recordAcknowledgement(
  trx: Trx,
  context: RecordContext,
  message: RoutedMessage,
  token: { claims: ReplyTokenClaims; tokenId: string },
  now: Date,
): Promise<FilingReason[]> {
  const { project, mail } = message;
  const { claims } = token;
  const transmittal = await findTransmittalForUpdate(trx, project.id, claims.recordId);
  const number = transmittal ? transmittalNumber(transmittal.number) : null;
  const member = await trx
    .selectFrom('members')
    .select('email')
    .where('project_id', '=', project.id)
    .where('id', '=', claims.personId)
    .executeTakeFirst();
  const recipient =
    transmittal && member
      ? await trx
          .selectFrom('transmittal_recipients')
          .selectAll()
          .where('project_id', '=', project.id)
          .where('transmittal_id', '=', transmittal.id)
          .where('email', '=', member.email)
          .executeTakeFirst()
      : undefined;
  const from = mail.from?.address ?? null;
  const automated = message.classification.flags.some((f) => f === 'auto-reply' || f === 'bounce');
  const evidence = {
    messageId: message.messageId,
    rawSha256: message.inbound.rawSha256,
    token: { ...claims, expiresAt: claims.expiresAt.toISOString(), tokenId: token.tokenId },
  };

  const refusal =
    !transmittal || !recipient
      ? 'the reply address names a transmittal recipient that does not exist'
      : automated
        ? 'the message is an automatic reply, which does not acknowledge receipt'
        : from !== recipient.email
          ? `the message is from ${from ?? 'an unknown sender'}, but this reply address belongs to ${recipient.email}`
          : null;
  if (refusal !== null || !transmittal || !recipient) {
    const reason = refusal ?? 'no such recipient';
    if (transmittal)
      await recordReplyFiledAsComment(
        trx,
        {
          projectId: project.id,
          recordType: 'transmittal',
          recordId: transmittal.id,
          actor: from,
          evidence,
          reason,
        },
        now,
      );
    const record =
      transmittal && number
        ? { type: 'transmittal' as const, id: transmittal.id, label: number }
        : null;
    const answer = await mayAnswer(trx, message, record);
    if (answer.to !== null)
      await enqueueMail(
        trx,
        context.outbox,
        {
          project,
          kind: 'ack-not-counted',
          template: 'transmittal-ack-not-counted',
          data: { subject: mail.subject, number, reason },
          to: [answer.to],
          record,
          threadId: message.threadId,
        },
        now,
      );
    return [{ rule: RULE, detail: `filed as a comment: ${reason}` }, ...unansweredReasons(answer)];
  }

  // A second reply from someone who already acknowledged is conversation, not a new receipt: the
  // first acknowledgement time stands.
  if (recipient.acknowledged_at)
    return [
      {
        rule: RULE,
        detail: `filed as a comment: ${recipient.email} acknowledged ${number} on ${recipient.acknowledged_at.toISOString()}`,
      },
    ];

  await trx
    .updateTable('transmittal_recipients')
    .set({ acknowledged_at: now, ack_message_id: message.messageId })
    .where('project_id', '=', project.id)
    .where('transmittal_id', '=', transmittal.id)
    .where('email', '=', recipient.email)
    .execute();
  await recordAudit(
    trx,
    {
      projectId: project.id,
      recordType: 'transmittal',
      recordId: transmittal.id,
      actor: recipient.email,
      action: 'acknowledged',
      details: { ...evidence, number, role: recipient.role },
    },
    now,
  );
  const reasons: FilingReason[] = [
    { rule: RULE, detail: `${recipient.email} acknowledged transmittal ${number}` },
  ];
  if (
    transmittal.status === 'open' &&
    (await countUnacknowledged(trx, project.id, transmittal.id)) === 0
  ) {
    await trx
      .updateTable('transmittals')
      .set({ status: 'closed', closed_at: now })
      .where('project_id', '=', project.id)
      .where('id', '=', transmittal.id)
      .execute();
    await recordAudit(
      trx,
      {
        projectId: project.id,
        recordType: 'transmittal',
        recordId: transmittal.id,
        actor: null,
        action: 'closed',
        details: { number, reason: 'every recipient acknowledged' },
      },
      now,
    );
    reasons.push({
      rule: RULE,
      detail: `closed transmittal ${number}: every recipient acknowledged`,
    });
  }
  return reasons;
}
