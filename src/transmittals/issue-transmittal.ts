import { Readable } from 'node:stream';
import { recordAudit } from '../audit/audit.repository.js';
import { addWorkingDays } from '../calendar/working-days.js';
import type { Trx } from '../db/database.js';
import type { FilingReason } from '../mail/threading.js';
import { enqueueMail } from '../outbox/enqueue.js';
import { renderTransmittalCoverSheet } from '../pdf/transmittal-cover-sheet.js';
import { projectCalendar } from '../projects/project-calendar.js';
import { mayAnswer, unansweredReasons } from '../records/may-answer.js';
import type { RecordContext, RoutedMessage } from '../records/record-context.js';
import { sendTransmittal } from './send-transmittal.js';
import { itemsFromAttachments } from './transmittal-items.js';
import {
  insertTransmittal,
  nextTransmittalNumber,
  setCoverSheet,
} from './transmittal.repository.js';
import {
  parseTransmittalRequest,
  transmittalNumber,
  transmittalRecipients,
} from './transmittal-request.js';

const RULE = 'transmittal';

/**
 * Handles mail to `<code>+transmittal@…`: the attachments become the items, the other people in
 * To and Cc the recipients, and the subject and body give the purpose, how it was sent and the
 * remarks. It is numbered `TR-0001`, `TR-0002`… in the project, its cover sheet is rendered and
 * kept, and each recipient is sent the cover sheet and documents with an acknowledgement address
 * of their own; the sender gets a confirmation. Machine-written mail never issues a transmittal
 * (a vacation reply would otherwise send documents out), and a request with no documents or no
 * recipients is refused with the reason. The confirmation or the refusal is told to the sender
 * only when Docket may answer them (a project member: see `mayAnswer`).
 */
export async function issueTransmittal(
  trx: Trx,
  context: RecordContext,
  message: RoutedMessage,
  now: Date,
): Promise<FilingReason[]> {
  const { project, mail } = message;
  if (message.classification.flags.some((f) => f === 'auto-reply' || f === 'bounce'))
    return [{ rule: RULE, detail: 'not a transmittal: the message is automatic' }];
  const sender = mail.from?.address || null;
  if (!sender) return [{ rule: RULE, detail: 'not a transmittal: the message has no sender' }];
  // Decided before the transmittal exists and its recipients become members: see `mayAnswer`.
  const answer = await mayAnswer(trx, message, null);
  const items = itemsFromAttachments(message.attachments);
  const recipients = transmittalRecipients(mail, sender, context.mailDomain);
  const refusal =
    items.length === 0
      ? 'a transmittal needs the documents attached, and this email has no attachments'
      : recipients.length === 0
        ? 'a transmittal needs its recipients in To or Cc besides the project address'
        : null;
  if (refusal) {
    if (answer.to !== null)
      await enqueueMail(
        trx,
        context.outbox,
        {
          project,
          kind: 'transmittal-not-issued',
          template: 'transmittal-not-issued',
          data: { subject: mail.subject, reason: refusal },
          to: [answer.to],
          threadId: message.threadId,
        },
        now,
      );
    return [{ rule: RULE, detail: `not a transmittal: ${refusal}` }, ...unansweredReasons(answer)];
  }

  const request = parseTransmittalRequest(
    mail.subject,
    message.classification.reply || mail.text || '',
  );
  const seq = await nextTransmittalNumber(trx, project.id);
  const number = transmittalNumber(seq);
  const transmittal = await insertTransmittal(trx, {
    projectId: project.id,
    number: seq,
    subject: request.subject || `Transmittal ${number}`,
    sender,
    senderName: mail.from?.name || null,
    purpose: request.purpose,
    sentVia: request.sentVia,
    remarks: request.remarks,
    messageId: message.messageId,
    threadId: message.threadId,
    dueAt: addWorkingDays(projectCalendar(project), now, project.ack_days),
    items,
    recipients,
    now,
  });

  const pdf = await renderTransmittalCoverSheet({
    project: { code: project.code, name: project.name },
    number,
    date: now,
    timezone: project.timezone,
    subject: transmittal.subject,
    from: { name: transmittal.sender_name, address: sender },
    to: recipients.filter((r) => r.role === 'to').map((r) => ({ name: r.name, address: r.email })),
    cc: recipients.filter((r) => r.role === 'cc').map((r) => ({ name: r.name, address: r.email })),
    purpose: transmittal.purpose,
    sentVia: transmittal.sent_via,
    items,
    remarks: transmittal.remarks,
  });
  // Bytes first, then the row in this transaction: the transmittal never names a missing blob.
  const cover = await context.outbox.blobs.put(Readable.from([Buffer.from(pdf)]));
  await context.outbox.blobs.record(trx, cover);
  await setCoverSheet(trx, project.id, transmittal.id, cover.sha256);

  await recordAudit(
    trx,
    {
      projectId: project.id,
      recordType: 'transmittal',
      recordId: transmittal.id,
      actor: sender,
      action: 'created',
      details: {
        number,
        messageId: message.messageId,
        rawSha256: message.inbound.rawSha256,
        coverSha256: cover.sha256,
        purpose: transmittal.purpose,
        recipients: recipients.map((r) => `${r.role}: ${r.email}`),
        items: items.map((i) => ({ fileName: i.fileName, size: i.size, sha256: i.sha256 })),
        problems: request.problems,
      },
    },
    now,
  );
  await sendTransmittal(trx, context, {
    project,
    transmittal,
    number,
    items,
    recipients,
    coverSha256: cover.sha256,
    problems: request.problems,
    confirmTo: answer.to,
    now,
  });
  return [
    {
      rule: RULE,
      detail: `issued transmittal ${number} to ${recipients.map((r) => r.email).join(', ')}`,
    },
    ...unansweredReasons(answer),
  ];
}
