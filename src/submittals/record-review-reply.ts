import { recordAudit } from '../audit/audit.repository.js';
import type { ReplyTokenClaims } from '../auth/reply-token.js';
import type { Trx } from '../db/database.js';
import { enqueueMail } from '../outbox/enqueue.js';
import type { FilingReason } from '../mail/threading.js';
import { mayAnswer, unansweredReasons } from '../records/may-answer.js';
import type { RecordContext, RoutedMessage } from '../records/record-context.js';
import {
  recordReplyFiledAsComment,
  spendReplyToken,
  whenReplyTokenWasUsed,
} from '../records/reply-ledger.js';
import { authenticateReply, dmarcRefusal, replyEvidence } from '../records/reply-evidence.js';
import { completeStepIfAnswered } from './advance-review.js';
import { acceptedResponsesText, parseDecision, type ResponseCode } from './review-decision.js';
import { addSubmittalDocuments, findSubmittal } from './submittal.repository.js';
import { submittalNumber } from './submittal-request.js';

/** `notes`: why no answer went out to the sender, when none did (see `mayAnswer`). */
export type ReviewReplyOutcome =
  | { kind: 'decision'; decision: ResponseCode; notes: FilingReason[] }
  | { kind: 'comment'; reason: string; notes: FilingReason[] };

/**
 * A reply to "Action required", carrying a verified review token. The decision counts only when
 * every rule of an approval that holds up is met — token unused and still for the current step,
 * `From` equal to the reviewer it was issued to, not auto-generated, DMARC or aligned DKIM where
 * the project asks for it — and the first line reads as a response. Anything else is kept as a
 * comment, with the reason in the audit trail and told to the sender when Docket may answer them
 * (a member or someone the submittal involves, never a machine: see `mayAnswer`).
 */
export async function recordReviewReply(
  trx: Trx,
  context: RecordContext,
  message: RoutedMessage,
  token: { claims: ReplyTokenClaims; tokenId: string },
  raw: () => Promise<Buffer>,
  now: Date,
): Promise<ReviewReplyOutcome> {
  const { project, mail } = message;
  const { claims } = token;
  const submittal = await findSubmittal(trx, project.id, claims.recordId);
  const number = submittal
    ? submittalNumber(submittal.spec_section, submittal.seq, claims.revision)
    : null;
  const step = submittal
    ? await trx
        .selectFrom('review_steps')
        .selectAll()
        .where('project_id', '=', project.id)
        .where('submittal_id', '=', submittal.id)
        .where('revision', '=', claims.revision)
        .where('step', '=', claims.step)
        .where('member_id', '=', claims.personId)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  const from = mail.from?.address ?? null;
  const automated = message.classification.flags.some((f) => f === 'auto-reply' || f === 'bounce');
  const usedAt = await whenReplyTokenWasUsed(trx, project.id, token.tokenId);
  const auth = project.require_dmarc ? await authenticateReply(context, message, raw) : null;

  const refusal =
    !submittal || !step
      ? 'the reply address names a review that does not exist'
      : usedAt
        ? `this reply address was already used for a decision on ${usedAt.toISOString()}`
        : step.state !== 'pending' || submittal.revision !== claims.revision
          ? `review step ${claims.step + 1} of ${number} is not waiting for this reviewer's decision`
          : from !== step.reviewer
            ? `the message is from ${from ?? 'an unknown sender'}, but this reply address belongs to ${step.reviewer}`
            : automated
              ? 'the message is an automatic reply'
              : dmarcRefusal(auth);

  const evidence = replyEvidence(message, token, auth);
  const aliases = project.response_aliases as Record<string, ResponseCode>;
  const parsed = refusal ? null : parseDecision(message.classification.reply, aliases);
  const reason = refusal ?? (parsed?.decision ? null : (parsed?.reason ?? 'no decision found'));

  if (reason !== null || !submittal || !step || !parsed?.decision) {
    if (submittal) {
      await recordReplyFiledAsComment(
        trx,
        {
          projectId: project.id,
          recordType: 'submittal',
          recordId: submittal.id,
          actor: from,
          evidence,
          reason: reason ?? 'no decision found',
        },
        now,
      );
    }
    const record =
      submittal && number ? { type: 'submittal' as const, id: submittal.id, label: number } : null;
    const answer = await mayAnswer(trx, message, record);
    if (answer.to !== null) {
      await enqueueMail(
        trx,
        context.outbox,
        {
          project,
          kind: 'not-counted',
          template: 'review-not-counted',
          data: {
            subject: mail.subject,
            number,
            reason,
            acceptedResponses: refusal ? null : acceptedResponsesText(aliases),
          },
          to: [answer.to],
          record,
          threadId: message.threadId,
        },
        now,
      );
    }
    return {
      kind: 'comment',
      reason: reason ?? 'no decision found',
      notes: unansweredReasons(answer),
    };
  }

  await spendReplyToken(
    trx,
    { projectId: project.id, tokenId: token.tokenId, messageId: message.messageId },
    now,
  );
  await trx
    .updateTable('review_steps')
    .set({
      state: 'answered',
      decision: parsed.decision,
      comment: parsed.comment || null,
      answered_at: now,
      answer_message_id: message.messageId,
    })
    .where('project_id', '=', project.id)
    .where('submittal_id', '=', submittal.id)
    .where('revision', '=', claims.revision)
    .where('step', '=', claims.step)
    .where('reviewer', '=', step.reviewer)
    .execute();
  const markups = message.attachments.filter((a) => !a.inline);
  await addSubmittalDocuments(trx, {
    projectId: project.id,
    submittalId: submittal.id,
    revision: claims.revision,
    attachmentIds: markups.map((a) => a.id),
    kind: 'markup',
    addedBy: step.reviewer,
  });
  await recordAudit(
    trx,
    {
      projectId: project.id,
      recordType: 'submittal',
      recordId: submittal.id,
      actor: step.reviewer,
      action: 'decision',
      details: {
        ...evidence,
        decision: parsed.decision,
        matched: parsed.matched,
        step: claims.step,
        comment: parsed.comment,
      },
    },
    now,
  );
  // The reviewer's confirmation is an automatic answer too; a reviewer is involved by definition.
  const confirmation = await mayAnswer(trx, message, {
    type: 'submittal',
    id: submittal.id,
    label: number ?? '',
  });
  if (confirmation.to !== null)
    await enqueueMail(
      trx,
      context.outbox,
      {
        project,
        kind: 'review-recorded',
        template: 'review-recorded',
        data: {
          number,
          title: submittal.title,
          decision: parsed.decision,
          markups: markups.map((a) => a.filename ?? 'unnamed'),
          sha256: message.inbound.rawSha256,
        },
        to: [confirmation.to],
        record: { type: 'submittal', id: submittal.id, label: number ?? '' },
        threadId: message.threadId,
      },
      now,
    );
  await completeStepIfAnswered(trx, context, {
    project,
    submittal,
    revision: claims.revision,
    step: claims.step,
    now,
  });
  return { kind: 'decision', decision: parsed.decision, notes: unansweredReasons(confirmation) };
}
