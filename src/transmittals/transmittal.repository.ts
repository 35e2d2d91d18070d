import type { Transmittal, Trx } from '../db/database.js';
import type { TransmittalDocument } from './transmittal-items.js';
import type { TransmittalRecipient } from './transmittal-request.js';

/**
 * The next transmittal number in a project. Filing holds the project's advisory lock for the whole
 * transaction, so two transmittals filed at once cannot both read the same maximum.
 */
export async function nextTransmittalNumber(trx: Trx, projectId: number): Promise<number> {
  const row = await trx
    .selectFrom('transmittals')
    .select((eb) => eb.fn.max('number').as('max'))
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

/** Files a transmittal with its items and recipients; the cover sheet is added once rendered. */
export async function insertTransmittal(
  trx: Trx,
  input: {
    projectId: number;
    number: number;
    subject: string;
    sender: string;
    senderName: string | null;
    purpose: string;
    sentVia: string;
    remarks: string;
    messageId: number;
    threadId: number;
    dueAt: Date;
    items: readonly TransmittalDocument[];
    recipients: readonly TransmittalRecipient[];
    now: Date;
  },
): Promise<Transmittal> {
  const transmittal = await trx
    .insertInto('transmittals')
    .values({
      project_id: input.projectId,
      number: input.number,
      subject: input.subject,
      sender: input.sender,
      sender_name: input.senderName,
      purpose: input.purpose,
      sent_via: input.sentVia,
      remarks: input.remarks,
      cover_sha256: null,
      message_id: input.messageId,
      thread_id: input.threadId,
      status: 'open',
      due_at: input.dueAt,
      created_at: input.now,
      closed_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('transmittal_items')
    .values(
      input.items.map((item, position) => ({
        project_id: input.projectId,
        transmittal_id: transmittal.id,
        position,
        attachment_id: item.attachmentId,
        description: item.description,
        format: item.format,
        copies: item.copies,
        file_name: item.fileName,
        size: item.size,
        sha256: item.sha256,
      })),
    )
    .execute();
  await trx
    .insertInto('transmittal_recipients')
    .values(
      input.recipients.map((r) => ({
        project_id: input.projectId,
        transmittal_id: transmittal.id,
        email: r.email,
        name: r.name,
        role: r.role,
        acknowledged_at: null,
        ack_message_id: null,
      })),
    )
    .execute();
  return transmittal;
}

export async function setCoverSheet(
  trx: Trx,
  projectId: number,
  transmittalId: number,
  sha256: string,
): Promise<void> {
  await trx
    .updateTable('transmittals')
    .set({ cover_sha256: sha256 })
    .where('project_id', '=', projectId)
    .where('id', '=', transmittalId)
    .execute();
}

/** A transmittal, locked for the rest of the transaction (acknowledgements update it). */
export function findTransmittalForUpdate(
  trx: Trx,
  projectId: number,
  id: number,
): Promise<Transmittal | undefined> {
  return trx
    .selectFrom('transmittals')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** How many of a transmittal's recipients have not acknowledged it yet. */
export async function countUnacknowledged(
  trx: Trx,
  projectId: number,
  transmittalId: number,
): Promise<number> {
  const row = await trx
    .selectFrom('transmittal_recipients')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('project_id', '=', projectId)
    .where('transmittal_id', '=', transmittalId)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
