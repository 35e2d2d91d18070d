/** The notifications of correspondence items, each written in the caller's transaction. */
import { signedReplyAddress } from '../records/reply-evidence.js';
import type { Item, Project, Trx } from '../db/database.js';
import { enqueueMail } from '../outbox/enqueue.js';
import { upsertMemberInTransaction } from '../projects/member.repository.js';
import { formatProjectDate } from '../projects/project-calendar.js';
import type { FiledAttachment, RecordContext } from '../records/record-context.js';
import { itemNumber, type ItemType } from './item-types.js';

/** A ball holder's reply address outlives any response period; RFIs do sit for months. */
const TOKEN_LIFETIME_DAYS = 365;

/** What the Message-ID and `X-Docket-Record` name: the item and its number. */
export function itemRecord(item: Item) {
  return { type: 'item' as const, id: item.id, label: itemNumber(item.prefix, item.number) };
}

function askerText(item: Item): string {
  return item.asker_name ? `${item.asker_name} <${item.asker}>` : item.asker;
}

/**
 * Sends the question to everyone holding the ball, each with a reply address signed for them
 * alone (kind `rfi`, bound to the item and their member id), and the asker's attachments. They
 * become project members, keeping any role they already have, so the token can name them.
 */
export async function askBallHolders(
  trx: Trx,
  context: RecordContext,
  args: { project: Project; item: Item; type: ItemType; attachments: FiledAttachment[]; now: Date },
): Promise<void> {
  const { project, item, type, now } = args;
  for (const holder of item.ball_in_court) {
    const member = await upsertMemberInTransaction(trx, {
      projectId: project.id,
      email: holder,
      role: 'member',
      keepRole: true,
    });
    const replyTo = signedReplyAddress(
      context,
      project.code,
      { kind: 'rfi', recordId: item.id, revision: 0, step: 0, personId: member.id },
      now,
      TOKEN_LIFETIME_DAYS,
    );
    await enqueueMail(
      trx,
      context.outbox,
      {
        project,
        kind: 'action-required',
        template: 'item-action-required',
        data: {
          number: itemNumber(item.prefix, item.number),
          typeLabel: type.label,
          subject: item.subject,
          question: item.question,
          asker: askerText(item),
          dueDate: item.due_at ? formatProjectDate(project, item.due_at) : '',
          attachments: args.attachments.map((a) => a.filename ?? 'unnamed'),
          canReply: replyTo !== null,
        },
        to: [holder],
        replyTo,
        record: itemRecord(item),
        threadId: item.thread_id,
        attachments: args.attachments.map((a) => ({
          filename: a.filename ?? 'attachment',
          contentType: a.contentType,
          sha256: a.sha256,
        })),
      },
      now,
    );
  }
}

/** Tells the asker, at `to`, that their item is logged: its number, who must answer it and by when. */
export async function acknowledgeItem(
  trx: Trx,
  context: RecordContext,
  args: { project: Project; item: Item; type: ItemType; to: string; now: Date },
): Promise<void> {
  const { project, item, type } = args;
  await enqueueMail(
    trx,
    context.outbox,
    {
      project,
      kind: 'received',
      template: 'item-opened',
      data: {
        number: itemNumber(item.prefix, item.number),
        typeLabel: type.label,
        subject: item.subject,
        ballInCourt: item.ball_in_court.join(', '),
        dueDate: item.due_at ? formatProjectDate(project, item.due_at) : '',
      },
      to: [args.to],
      record: itemRecord(item),
      threadId: item.thread_id,
    },
    args.now,
  );
}

/** Tells the asker the answer, with the answerer's attachments (mark-ups, sketches) attached. */
export async function sendAnswer(
  trx: Trx,
  context: RecordContext,
  args: { project: Project; item: Item; attachments: FiledAttachment[]; now: Date },
): Promise<void> {
  const { project, item } = args;
  await enqueueMail(
    trx,
    context.outbox,
    {
      project,
      kind: 'answered',
      template: 'item-answered',
      data: {
        number: itemNumber(item.prefix, item.number),
        subject: item.subject,
        question: item.question,
        answer: item.answer ?? '',
        answeredBy: item.answered_by ?? '',
        attachments: args.attachments.map((a) => a.filename ?? 'unnamed'),
      },
      to: [item.asker],
      record: itemRecord(item),
      threadId: item.thread_id,
      attachments: args.attachments.map((a) => ({
        filename: a.filename ?? 'attachment',
        contentType: a.contentType,
        sha256: a.sha256,
      })),
    },
    args.now,
  );
}

/** Tells a person why their reply was filed as a comment rather than as the item's answer. */
export async function sendNotCounted(
  trx: Trx,
  context: RecordContext,
  args: {
    project: Project;
    item: Item | null;
    subject: string;
    to: string;
    reason: string;
    threadId: number;
    now: Date;
  },
): Promise<void> {
  await enqueueMail(
    trx,
    context.outbox,
    {
      project: args.project,
      kind: 'not-counted',
      template: 'item-not-counted',
      data: {
        subject: args.subject,
        number: args.item ? itemNumber(args.item.prefix, args.item.number) : null,
        reason: args.reason,
      },
      to: [args.to],
      record: args.item ? itemRecord(args.item) : null,
      threadId: args.threadId,
    },
    args.now,
  );
}
