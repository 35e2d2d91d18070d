import { recordAudit } from '../audit/audit.repository.js';
import type { Submittal, Trx } from '../db/database.js';
import { enqueueMail } from '../outbox/enqueue.js';
import { formatProjectDate } from '../projects/project-calendar.js';
import type { FilingReason } from '../mail/threading.js';
import { mayAnswer, unansweredReasons, type AnswerTo } from '../records/may-answer.js';
import type { RecordContext, RoutedMessage } from '../records/record-context.js';
import { startReviewRound } from './review-round.js';
import { parseSubmittalRequest, submittalNumber } from './submittal-request.js';
import {
  addSubmittalDocuments,
  findSubmittalByNumber,
  nextSubmittalSeq,
  workflowStepsFor,
} from './submittal.repository.js';

export type SubmitOutcome =
  /** `notes`: why the submitter was not sent "Received", when they were not (see `mayAnswer`). */
  | { kind: 'created' | 'revised'; submittalId: number; number: string; notes: FilingReason[] }
  | { kind: 'ignored'; reason: string };

/**
 * Handles mail to `<code>+submittal@…`: a subject starting with a spec section opens a new
 * submittal numbered in that section; one naming an existing submittal (`03 30 00-007`) that is
 * waiting for a resubmittal opens its next revision. The attachments become its documents and the
 * review starts with the workflow for the section (or the `Reviewers:` named in the body). The
 * submitter is sent "Received" when Docket may answer them: a new submittal involves no one yet, so
 * only a project member is (a stranger's address may be forged).
 */
export async function submitSubmittal(
  trx: Trx,
  context: RecordContext,
  message: RoutedMessage,
  now: Date,
): Promise<SubmitOutcome> {
  const { project, mail } = message;
  const request = parseSubmittalRequest(
    mail.subject,
    message.classification.reply || mail.text || '',
  );
  if (!request)
    return {
      kind: 'ignored',
      reason: 'the subject does not start with a spec section such as "03 30 00"',
    };
  const documents = message.attachments.filter((a) => !a.inline);
  const submitter = mail.from?.address ?? message.inbound.mailFrom ?? 'unknown';

  if (request.resubmitSeq !== null) {
    const existing = await findSubmittalByNumber(
      trx,
      project.id,
      request.specSection,
      request.resubmitSeq,
    );
    if (existing) {
      const revised = await resubmit(
        trx,
        context,
        message,
        existing,
        documents.map((d) => d.id),
        submitter,
        now,
      );
      return revised;
    }
  }

  // Decided before the submittal exists and its reviewers become members: see `mayAnswer`.
  const answer = await mayAnswer(trx, message, null);
  const seq = await nextSubmittalSeq(trx, project.id, request.specSection);
  const steps =
    request.reviewerSteps ?? (await workflowStepsFor(trx, project, request.specSection));
  const submittal = await trx
    .insertInto('submittals')
    .values({
      project_id: project.id,
      spec_section: request.specSection,
      seq,
      title: request.title,
      type: request.type,
      status: 'draft',
      decision: null,
      submitter,
      submitter_name: mail.from?.name || null,
      responsible_contractor: null,
      submittal_manager: null,
      due_at: null,
      required_on_site: request.requiredOnSite,
      lead_time_days: null,
      distribution: mail.cc
        .map((a) => a.address)
        .filter((a) => a && !a.endsWith(`@${context.mailDomain}`)),
      thread_id: message.threadId,
      received_at: now,
      issued_at: null,
      closed_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const number = submittalNumber(submittal.spec_section, submittal.seq, 0);
  await addSubmittalDocuments(trx, {
    projectId: project.id,
    submittalId: submittal.id,
    revision: 0,
    attachmentIds: documents.map((d) => d.id),
    kind: 'document',
    addedBy: submitter,
  });
  await recordAudit(
    trx,
    {
      projectId: project.id,
      recordType: 'submittal',
      recordId: submittal.id,
      actor: submitter,
      action: 'submitted',
      details: {
        number,
        messageId: message.messageId,
        rawSha256: message.inbound.rawSha256,
        problems: request.problems,
      },
    },
    now,
  );
  if (steps) await startReviewRound(trx, context, { project, submittal, revision: 0, steps, now });
  await acknowledge(trx, context, message, answer, {
    submittal,
    number,
    steps,
    problems: request.problems,
    now,
  });
  return { kind: 'created', submittalId: submittal.id, number, notes: unansweredReasons(answer) };
}

/** A new revision of a submittal the reviewers returned (R&R or rejected). */
export async function resubmit(
  trx: Trx,
  context: RecordContext,
  message: RoutedMessage,
  submittal: Submittal,
  attachmentIds: number[],
  submitter: string,
  now: Date,
): Promise<SubmitOutcome> {
  const { project } = message;
  const base = submittalNumber(submittal.spec_section, submittal.seq);
  if (submittal.decision !== 'REVISE AND RESUBMIT' && submittal.decision !== 'REJECTED') {
    return { kind: 'ignored', reason: `${base} is not waiting for a resubmittal` };
  }
  if (attachmentIds.length === 0)
    return {
      kind: 'ignored',
      reason: `a resubmittal of ${base} needs the revised documents attached`,
    };
  const revision = submittal.revision + 1;
  const answer = await mayAnswer(trx, message, {
    type: 'submittal',
    id: submittal.id,
    label: submittalNumber(submittal.spec_section, submittal.seq, submittal.revision),
  });
  const previous = await trx
    .selectFrom('submittal_revisions')
    .select('steps')
    .where('project_id', '=', project.id)
    .where('submittal_id', '=', submittal.id)
    .where('revision', '=', submittal.revision)
    .executeTakeFirst();
  const steps = previous?.steps ?? (await workflowStepsFor(trx, project, submittal.spec_section));
  const updated = await trx
    .updateTable('submittals')
    // The new revision is not issued until its own review ends; the audit trail keeps the last.
    .set({
      revision,
      decision: null,
      status: 'draft',
      ball_in_court: [],
      due_at: null,
      issued_at: null,
    })
    .where('project_id', '=', project.id)
    .where('id', '=', submittal.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const number = submittalNumber(submittal.spec_section, submittal.seq, revision);
  await addSubmittalDocuments(trx, {
    projectId: project.id,
    submittalId: submittal.id,
    revision,
    attachmentIds,
    kind: 'document',
    addedBy: submitter,
  });
  await recordAudit(
    trx,
    {
      projectId: project.id,
      recordType: 'submittal',
      recordId: submittal.id,
      actor: submitter,
      action: 'resubmitted',
      details: {
        number,
        previousRevision: submittal.revision,
        messageId: message.messageId,
        rawSha256: message.inbound.rawSha256,
      },
    },
    now,
  );
  if (steps)
    await startReviewRound(trx, context, { project, submittal: updated, revision, steps, now });
  await acknowledge(trx, context, message, answer, {
    submittal: updated,
    number,
    steps,
    problems: [],
    now,
  });
  return { kind: 'revised', submittalId: submittal.id, number, notes: unansweredReasons(answer) };
}

async function acknowledge(
  trx: Trx,
  context: RecordContext,
  message: RoutedMessage,
  answer: AnswerTo,
  args: {
    submittal: Submittal;
    number: string;
    steps: string[][] | null;
    problems: string[];
    now: Date;
  },
): Promise<void> {
  const { project } = message;
  if (answer.to === null) return;
  const current = await trx
    .selectFrom('submittals')
    .select('due_at')
    .where('project_id', '=', project.id)
    .where('id', '=', args.submittal.id)
    .executeTakeFirst();
  await enqueueMail(
    trx,
    context.outbox,
    {
      project,
      kind: 'received',
      template: 'submittal-received',
      data: {
        number: args.number,
        title: args.submittal.title,
        type: args.submittal.type,
        documents: message.attachments.filter((a) => !a.inline).map((a) => a.filename ?? 'unnamed'),
        reviewers: args.steps ? args.steps.map((step) => step.join(' and ')).join(', then ') : '',
        dueDate: current?.due_at ? formatProjectDate(project, current.due_at) : '',
        problems: args.problems,
      },
      to: [answer.to],
      record: { type: 'submittal', id: args.submittal.id, label: args.number },
      threadId: message.threadId,
    },
    args.now,
  );
}
