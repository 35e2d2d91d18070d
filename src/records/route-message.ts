import { parseReplySubaddress, verifyReplyToken } from '../auth/reply-token.js';
import type { Trx } from '../db/database.js';
import { parseProjectAddress } from '../inbound/recipient-address.js';
import { itemTypeForSubaddress } from '../items/item-types.js';
import { openItem } from '../items/open-item.js';
import { recordItemReply } from '../items/record-item-reply.js';
import type { FilingReason } from '../mail/threading.js';
import { enqueueMail } from '../outbox/enqueue.js';
import { recordReviewReply } from '../submittals/record-review-reply.js';
import { resubmit, submitSubmittal } from '../submittals/submit-submittal.js';
import { findSubmittal } from '../submittals/submittal.repository.js';
import { issueTransmittal } from '../transmittals/issue-transmittal.js';
import { recordAcknowledgement } from '../transmittals/record-acknowledgement.js';
import { mayAnswer, unansweredReasons } from './may-answer.js';
import type { RecordContext, RoutedMessage } from './record-context.js';

/**
 * After a message is filed, the project address it came to says what else to do: `+submittal`
 * opens a submittal, `+transmittal` issues a transmittal, `+rfi` (or another correspondence type,
 * see `items/item-types.ts`) opens an item, `+r-<token>` is a reply to one of our notifications.
 * Returns the reasons, which are kept with the message beside its threading reasons.
 */
export async function routeFiledMessage(
  trx: Trx,
  context: RecordContext,
  message: RoutedMessage,
  raw: () => Promise<Buffer>,
  now: Date,
): Promise<FilingReason[]> {
  // Our own notifications and imported history never act on records.
  if (message.inbound.transport === 'outbound' || message.inbound.transport === 'import') return [];
  const reasons: FilingReason[] = [];
  const subaddresses = new Set(
    message.inbound.rcptTo.flatMap((address) => {
      const parsed = parseProjectAddress(address, context.mailDomain);
      return parsed?.code === message.project.code && parsed.subaddress ? [parsed.subaddress] : [];
    }),
  );
  for (const subaddress of subaddresses) {
    if (subaddress === 'submittal') {
      const outcome = await submitSubmittal(trx, context, message, now);
      if (outcome.kind === 'ignored')
        reasons.push({ rule: 'submittal', detail: `not a submittal: ${outcome.reason}` });
      else
        reasons.push(
          {
            rule: 'submittal',
            detail: `${outcome.kind === 'created' ? 'opened' : 'revised'} submittal ${outcome.number}`,
          },
          ...outcome.notes,
        );
      continue;
    }
    if (subaddress === 'transmittal') {
      reasons.push(...(await issueTransmittal(trx, context, message, now)));
      continue;
    }
    const itemType = itemTypeForSubaddress(subaddress);
    if (itemType) {
      reasons.push(...(await openItem(trx, context, message, itemType, now)));
      continue;
    }
    const token = parseReplySubaddress(subaddress);
    if (token === null) continue;
    reasons.push(...(await routeReply(trx, context, message, token, raw, now)));
  }
  return reasons;
}

async function routeReply(
  trx: Trx,
  context: RecordContext,
  message: RoutedMessage,
  token: string,
  raw: () => Promise<Buffer>,
  now: Date,
): Promise<FilingReason[]> {
  const verified = context.secret
    ? verifyReplyToken(context.secret, token, now)
    : ({ ok: false, reason: 'bad-signature' } as const);
  if (!verified.ok) {
    const reason =
      verified.reason === 'expired'
        ? 'the reply address has expired'
        : 'the reply address is not one we issued';
    return [
      { rule: 'reply-token', detail: `filed as a comment: ${reason}` },
      ...(await tellSender(trx, context, message, reason, now)),
    ];
  }
  const { claims } = verified;
  switch (claims.kind) {
    case 'review': {
      const outcome = await recordReviewReply(trx, context, message, verified, raw, now);
      const detail =
        outcome.kind === 'decision'
          ? `decision recorded: ${outcome.decision}`
          : `filed as a comment: ${outcome.reason}`;
      return [{ rule: 'review', detail }, ...outcome.notes];
    }
    case 'resubmit': {
      const submittal = await findSubmittal(trx, message.project.id, claims.recordId);
      const from = message.mail.from?.address;
      const member = await trx
        .selectFrom('members')
        .select('email')
        .where('project_id', '=', message.project.id)
        .where('id', '=', claims.personId)
        .executeTakeFirst();
      if (
        !submittal ||
        !member ||
        from !== member.email ||
        message.classification.flags.includes('auto-reply')
      ) {
        return [
          { rule: 'resubmit', detail: 'filed as a comment: not a resubmittal by the submitter' },
        ];
      }
      const attachments = message.attachments.filter((a) => !a.inline).map((a) => a.id);
      const outcome = await resubmit(trx, context, message, submittal, attachments, from, now);
      return outcome.kind === 'ignored'
        ? [{ rule: 'resubmit', detail: `filed as a comment: ${outcome.reason}` }]
        : [{ rule: 'resubmit', detail: `revised submittal ${outcome.number}` }, ...outcome.notes];
    }
    case 'ack':
      return recordAcknowledgement(trx, context, message, verified, now);
    case 'rfi':
      return recordItemReply(trx, context, message, verified, raw, now);
  }
}

/**
 * Tells a project member why their reply to an address we did not issue (or that expired) did not
 * count. The address names no record we can trust, so no one is involved: only members are told.
 */
async function tellSender(
  trx: Trx,
  context: RecordContext,
  message: RoutedMessage,
  reason: string,
  now: Date,
): Promise<FilingReason[]> {
  const answer = await mayAnswer(trx, message, null);
  if (answer.to === null) return unansweredReasons(answer);
  await enqueueMail(
    trx,
    context.outbox,
    {
      project: message.project,
      kind: 'not-counted',
      template: 'review-not-counted',
      data: { subject: message.mail.subject, number: null, reason, acceptedResponses: null },
      to: [answer.to],
      threadId: message.threadId,
    },
    now,
  );
  return [];
}
