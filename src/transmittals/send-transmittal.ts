import { signedReplyAddress } from '../records/reply-evidence.js';
import type { OutboxAttachment, Project, Transmittal, Trx } from '../db/database.js';
import { enqueueMail } from '../outbox/enqueue.js';
import { formatSize } from '../pdf/transmittal-cover-sheet.js';
import { upsertMemberInTransaction } from '../projects/member.repository.js';
import { formatProjectDate } from '../projects/project-calendar.js';
import type { RecordContext } from '../records/record-context.js';
import { attachDocuments, type TransmittalDocument } from './transmittal-items.js';
import type { TransmittalRecipient } from './transmittal-request.js';

/**
 * How long an acknowledgement address stays good. Acknowledgements are due in days, but a late
 * one is still worth recording, so the address outlives any reminder run by far.
 */
const ACK_TOKEN_LIFETIME_DAYS = 120;

/**
 * Sends a transmittal: each recipient gets the cover sheet and the documents (or, over the size
 * limit, their names and SHA-256 with a note that the project inbox holds them) and a Reply-To
 * signed for them alone, so their reply acknowledges receipt. Recipients become project members
 * (keeping any role they have) because a token names a member. The sender gets a confirmation
 * with the number and the cover sheet at `confirmTo`, when the caller may answer them (null: no
 * confirmation). All of it is written to the outbox in the caller's transaction.
 */
export async function sendTransmittal(
  trx: Trx,
  context: RecordContext,
  args: {
    project: Project;
    transmittal: Transmittal;
    number: string;
    items: readonly TransmittalDocument[];
    recipients: readonly TransmittalRecipient[];
    coverSha256: string;
    problems: string[];
    confirmTo: string | null;
    now: Date;
  },
): Promise<void> {
  const { project, transmittal, number, items, recipients, now } = args;
  const cover: OutboxAttachment = {
    filename: `${number} cover sheet.pdf`,
    contentType: 'application/pdf',
    sha256: args.coverSha256,
  };
  const attached = attachDocuments(items);
  const documents: OutboxAttachment[] = attached
    ? items.map((i) => ({ filename: i.fileName, contentType: i.contentType, sha256: i.sha256 }))
    : [];
  const record = { type: 'transmittal', id: transmittal.id, label: number };
  const data = {
    number,
    subject: transmittal.subject,
    purpose: transmittal.purpose,
    sentVia: transmittal.sent_via,
    remarks: transmittal.remarks,
    sender: transmittal.sender_name
      ? `${transmittal.sender_name} <${transmittal.sender}>`
      : transmittal.sender,
    recipients: recipients.map((r) => `${r.name ? `${r.name} <${r.email}>` : r.email} (${r.role})`),
    items: items.map((i) => ({
      description: i.description,
      format: i.format,
      fileName: i.fileName,
      size: formatSize(i.size),
      sha256: i.sha256,
    })),
    attached,
    dueDate: transmittal.due_at ? formatProjectDate(project, transmittal.due_at) : '',
  };

  for (const recipient of recipients) {
    const member = await upsertMemberInTransaction(trx, {
      projectId: project.id,
      email: recipient.email,
      name: recipient.name,
      role: 'member',
      keepRole: true,
    });
    const replyTo = signedReplyAddress(
      context,
      project.code,
      { kind: 'ack', recordId: transmittal.id, revision: 0, step: 0, personId: member.id },
      now,
      ACK_TOKEN_LIFETIME_DAYS,
    );
    await enqueueMail(
      trx,
      context.outbox,
      {
        project,
        kind: 'transmittal-issued',
        template: 'transmittal-issued',
        data: { ...data, canAcknowledge: replyTo !== null },
        to: [recipient.email],
        replyTo,
        record,
        threadId: transmittal.thread_id,
        attachments: [cover, ...documents],
      },
      now,
    );
  }

  if (args.confirmTo === null) return;
  await enqueueMail(
    trx,
    context.outbox,
    {
      project,
      kind: 'transmittal-sent',
      template: 'transmittal-sent',
      data: { ...data, problems: args.problems },
      to: [args.confirmTo],
      record,
      threadId: transmittal.thread_id,
      attachments: [cover],
    },
    now,
  );
}
