import { signedReplyAddress } from '../records/reply-evidence.js';
import { addWorkingDays } from '../calendar/working-days.js';
import type { Project, Submittal, Trx } from '../db/database.js';
import { enqueueMail } from '../outbox/enqueue.js';
import { upsertMemberInTransaction } from '../projects/member.repository.js';
import { formatProjectDate, projectCalendar } from '../projects/project-calendar.js';
import type { RecordContext } from '../records/record-context.js';
import { acceptedResponsesText, type ResponseCode } from './review-decision.js';
import { submittalNumber } from './submittal-request.js';

/** How long a reviewer's reply address stays good: well past any review period. */
const TOKEN_LIFETIME_DAYS = 120;

/**
 * Opens a review round for one revision: every reviewer of every step gets a row, the first step's
 * reviewers hold the ball and receive "Action required" with the documents, a due date in project
 * working days and a reply address signed for them alone.
 */
export async function startReviewRound(
  trx: Trx,
  context: RecordContext,
  args: { project: Project; submittal: Submittal; revision: number; steps: string[][]; now: Date },
): Promise<void> {
  const { project, submittal, revision, steps, now } = args;
  await trx
    .insertInto('submittal_revisions')
    .values({
      project_id: project.id,
      submittal_id: submittal.id,
      revision,
      status: 'in_review',
      decision: null,
      steps: JSON.stringify(steps),
      current_step: 0,
      message_id: null,
      received_at: now,
      decided_at: null,
    })
    .execute();
  for (const [step, reviewers] of steps.entries()) {
    for (const reviewer of reviewers) {
      const member = await upsertMemberInTransaction(trx, {
        projectId: project.id,
        email: reviewer,
        role: 'reviewer',
        keepRole: true,
      });
      await trx
        .insertInto('review_steps')
        .values({
          project_id: project.id,
          submittal_id: submittal.id,
          revision,
          step,
          reviewer,
          member_id: member.id,
          state: 'waiting',
          decision: null,
          comment: null,
          due_at: null,
          notified_at: null,
          answered_at: null,
          answer_message_id: null,
        })
        .execute();
    }
  }
  await notifyStep(trx, context, {
    project,
    submittal,
    revision,
    step: 0,
    stepCount: steps.length,
    now,
  });
}

/** Puts the ball with one step's reviewers and sends each of them "Action required". */
export async function notifyStep(
  trx: Trx,
  context: RecordContext,
  args: {
    project: Project;
    submittal: Submittal;
    revision: number;
    step: number;
    stepCount: number;
    now: Date;
  },
): Promise<void> {
  const { project, submittal, revision, step, now } = args;
  const due = addWorkingDays(projectCalendar(project), now, project.review_days);
  const rows = await trx
    .updateTable('review_steps')
    .set({ state: 'pending', due_at: due, notified_at: now })
    .where('project_id', '=', project.id)
    .where('submittal_id', '=', submittal.id)
    .where('revision', '=', revision)
    .where('step', '=', step)
    .returning(['reviewer', 'member_id'])
    .execute();
  const documents = await trx
    .selectFrom('submittal_documents as d')
    .innerJoin('attachments as a', (join) =>
      join.onRef('a.project_id', '=', 'd.project_id').onRef('a.id', '=', 'd.attachment_id'),
    )
    .select(['a.filename', 'a.content_type', 'a.blob_sha256'])
    .where('d.project_id', '=', project.id)
    .where('d.submittal_id', '=', submittal.id)
    .where('d.revision', '=', revision)
    .orderBy('d.kind')
    .orderBy('a.id')
    .execute();
  const number = submittalNumber(submittal.spec_section, submittal.seq, revision);
  for (const row of rows) {
    const replyTo =
      row.member_id === null
        ? null
        : signedReplyAddress(
            context,
            project.code,
            { kind: 'review', recordId: submittal.id, revision, step, personId: row.member_id },
            now,
            TOKEN_LIFETIME_DAYS,
          );
    await enqueueMail(
      trx,
      context.outbox,
      {
        project,
        kind: 'action-required',
        template: 'submittal-action-required',
        data: {
          number,
          title: submittal.title,
          submitter: submittal.submitter_name ?? submittal.submitter,
          step: step + 1,
          stepCount: args.stepCount,
          dueDate: formatProjectDate(project, due),
          documents: documents.map((d) => d.filename ?? 'unnamed'),
          acceptedResponses: acceptedResponsesText(
            project.response_aliases as Record<string, ResponseCode>,
          ),
        },
        to: [row.reviewer],
        replyTo,
        record: { type: 'submittal', id: submittal.id, label: number },
        threadId: submittal.thread_id,
        attachments: documents.map((d) => ({
          filename: d.filename ?? 'document',
          contentType: d.content_type,
          sha256: d.blob_sha256,
        })),
      },
      now,
    );
  }
  await trx
    .updateTable('submittals')
    .set({ ball_in_court: rows.map((r) => r.reviewer), due_at: due, status: 'open' })
    .where('project_id', '=', project.id)
    .where('id', '=', submittal.id)
    .execute();
}
