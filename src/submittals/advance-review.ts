import { recordAudit } from '../audit/audit.repository.js';
import { signedReplyAddress } from '../records/reply-evidence.js';
import { upsertMemberInTransaction } from '../projects/member.repository.js';
import type { Project, Submittal, Trx } from '../db/database.js';
import { enqueueMail } from '../outbox/enqueue.js';
import type { RecordContext } from '../records/record-context.js';
import type { ResponseCode } from './review-decision.js';
import { notifyStep } from './review-round.js';
import { submittalNumber } from './submittal-request.js';

/** Worst first: a step's outcome is the most severe answer any of its reviewers gave. */
const SEVERITY: readonly ResponseCode[] = [
  'REJECTED',
  'REVISE AND RESUBMIT',
  'APPROVED AS NOTED',
  'APPROVED',
  'FOR RECORD ONLY',
];
const RETURNS_TO_SUBMITTER: readonly ResponseCode[] = ['REJECTED', 'REVISE AND RESUBMIT'];

/** The outcome of a step from its reviewers' answers (pure). */
export function stepOutcome(decisions: readonly ResponseCode[]): ResponseCode | null {
  return SEVERITY.find((code) => decisions.includes(code)) ?? null;
}

/**
 * Moves the ball once every reviewer of a step has answered: to the next step's reviewers, or —
 * after the last step, or when a step returns the submittal — sets its decision, tells the
 * submitter and the distribution list, and for REVISE AND RESUBMIT or REJECTED hands the ball back
 * to the submitter for a new revision.
 */
export async function completeStepIfAnswered(
  trx: Trx,
  context: RecordContext,
  args: { project: Project; submittal: Submittal; revision: number; step: number; now: Date },
): Promise<void> {
  const { project, submittal, revision, step, now } = args;
  const rows = await trx
    .selectFrom('review_steps')
    .select(['step', 'reviewer', 'state', 'decision', 'comment'])
    .where('project_id', '=', project.id)
    .where('submittal_id', '=', submittal.id)
    .where('revision', '=', revision)
    .orderBy('step')
    .orderBy('reviewer')
    .execute();
  const current = rows.filter((r) => r.step === step);
  const waitingFor = current.filter((r) => r.state !== 'answered').map((r) => r.reviewer);
  if (waitingFor.length > 0) {
    // The ball stays in this step, with those who still owe an answer.
    await trx
      .updateTable('submittals')
      .set({ ball_in_court: waitingFor })
      .where('project_id', '=', project.id)
      .where('id', '=', submittal.id)
      .execute();
    return;
  }
  const outcome = stepOutcome(current.map((r) => r.decision as ResponseCode));
  const stepCount = Math.max(...rows.map((r) => r.step)) + 1;
  const number = submittalNumber(submittal.spec_section, submittal.seq, revision);

  if (outcome && !RETURNS_TO_SUBMITTER.includes(outcome) && step + 1 < stepCount) {
    await trx
      .updateTable('submittal_revisions')
      .set({ current_step: step + 1 })
      .where('project_id', '=', project.id)
      .where('submittal_id', '=', submittal.id)
      .where('revision', '=', revision)
      .execute();
    await notifyStep(trx, context, {
      project,
      submittal,
      revision,
      step: step + 1,
      stepCount,
      now,
    });
    const next = rows.filter((r) => r.step === step + 1).map((r) => r.reviewer);
    await recordAudit(
      trx,
      {
        projectId: project.id,
        recordType: 'submittal',
        recordId: submittal.id,
        actor: null,
        action: 'ball-moved',
        details: { number, from: current.map((r) => r.reviewer), to: next, step: step + 1 },
      },
      now,
    );
    return;
  }

  const returned = outcome !== null && RETURNS_TO_SUBMITTER.includes(outcome);
  await trx
    .updateTable('submittal_revisions')
    .set({ status: 'decided', decision: outcome, decided_at: now })
    .where('project_id', '=', project.id)
    .where('submittal_id', '=', submittal.id)
    .where('revision', '=', revision)
    .execute();
  await trx
    .updateTable('submittals')
    .set({
      decision: outcome,
      status: returned ? 'open' : 'closed',
      ball_in_court: returned ? [submittal.submitter] : [],
      due_at: null,
      issued_at: now,
      closed_at: returned ? null : now,
    })
    .where('project_id', '=', project.id)
    .where('id', '=', submittal.id)
    .execute();
  // The submitter answers a return by replying with the revised documents: sign that reply for them.
  const submitterMember = returned
    ? await upsertMemberInTransaction(trx, {
        projectId: project.id,
        email: submittal.submitter,
        name: submittal.submitter_name,
        role: 'member',
        keepRole: true,
      })
    : null;
  const resubmitAddress = submitterMember
    ? signedReplyAddress(
        context,
        project.code,
        {
          kind: 'resubmit',
          recordId: submittal.id,
          revision,
          step: 0,
          personId: submitterMember.id,
        },
        now,
        365,
      )
    : null;
  await recordAudit(
    trx,
    {
      projectId: project.id,
      recordType: 'submittal',
      recordId: submittal.id,
      actor: null,
      action: returned ? 'returned-to-submitter' : 'closed',
      details: { number, decision: outcome, ballInCourt: returned ? [submittal.submitter] : [] },
    },
    now,
  );
  await enqueueMail(
    trx,
    context.outbox,
    {
      project,
      kind: 'decision',
      template: 'submittal-decision',
      data: {
        number,
        baseNumber: submittalNumber(submittal.spec_section, submittal.seq),
        nextRevision: revision + 1,
        title: submittal.title,
        decision: outcome,
        submitter: submittal.submitter_name ?? submittal.submitter,
        resubmit: returned,
        reviews: rows
          .filter((r) => r.state === 'answered')
          .map((r) => ({ reviewer: r.reviewer, decision: r.decision, comment: r.comment })),
      },
      to: [submittal.submitter, ...submittal.distribution.filter((a) => a !== submittal.submitter)],
      replyTo: resubmitAddress,
      record: { type: 'submittal', id: submittal.id, label: number },
      threadId: submittal.thread_id,
    },
    now,
  );
}
