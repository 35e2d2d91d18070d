import type { Db } from '../db/database.js';
import type { TransmittalLogRecipient } from './transmittal-log.js';
import { transmittalNumber } from './transmittal-request.js';

export interface TransmittalDetailItem {
  position: number;
  description: string;
  format: string;
  copies: number;
  fileName: string;
  size: number;
  sha256: string;
  /** Whether the file itself is kept (it came as an attachment) and can be downloaded. */
  downloadable: boolean;
}

export interface TransmittalDetail {
  id: number;
  number: string;
  subject: string;
  sender: string;
  senderName: string | null;
  purpose: string;
  sentVia: string;
  remarks: string;
  status: 'open' | 'closed';
  createdAt: Date;
  dueAt: Date | null;
  closedAt: Date | null;
  coverSha256: string | null;
  threadId: number | null;
  items: TransmittalDetailItem[];
  recipients: TransmittalLogRecipient[];
}

/**
 * `TR-0042` (any case, any number of leading zeros) read back into the stored sequence number;
 * null for anything else, so a mistyped address answers 404 rather than a database error.
 */
export function parseTransmittalNumber(text: string): number | null {
  const match = /^TR-(\d{1,9})$/i.exec(text.trim());
  const number = Number(match?.[1]);
  return match && Number.isSafeInteger(number) && number >= 1 ? number : null;
}

/** One transmittal of a project with its items and recipients, or undefined when there is none. */
export async function findTransmittalDetail(
  db: Db,
  projectId: number,
  number: number,
): Promise<TransmittalDetail | undefined> {
  const t = await db
    .selectFrom('transmittals')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!t) return undefined;
  const items = await db
    .selectFrom('transmittal_items')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('transmittal_id', '=', t.id)
    .orderBy('position')
    .execute();
  const recipients = await db
    .selectFrom('transmittal_recipients')
    .select(['email', 'name', 'role', 'acknowledged_at'])
    .where('project_id', '=', projectId)
    .where('transmittal_id', '=', t.id)
    // To before Cc, then by address, as the log lists them.
    .orderBy('role', 'desc')
    .orderBy('email')
    .execute();
  return {
    id: t.id,
    number: transmittalNumber(t.number),
    subject: t.subject,
    sender: t.sender,
    senderName: t.sender_name,
    purpose: t.purpose,
    sentVia: t.sent_via,
    remarks: t.remarks,
    status: t.status,
    createdAt: t.created_at,
    dueAt: t.due_at,
    closedAt: t.closed_at,
    coverSha256: t.cover_sha256,
    threadId: t.thread_id,
    items: items.map((i) => ({
      position: i.position,
      description: i.description,
      format: i.format,
      copies: i.copies,
      fileName: i.file_name,
      size: i.size,
      sha256: i.sha256,
      downloadable: i.attachment_id !== null,
    })),
    recipients: recipients.map((r) => ({
      email: r.email,
      name: r.name,
      role: r.role,
      acknowledgedAt: r.acknowledged_at,
    })),
  };
}

export interface TransmittalItemFile {
  blobSha256: string;
  fileName: string;
  contentType: string;
  size: number;
}

/**
 * The stored file behind one item of a transmittal, through the attachment it was filed from —
 * both rows scoped to the project, so another project's file cannot be reached by its position.
 */
export async function findTransmittalItemFile(
  db: Db,
  projectId: number,
  number: number,
  position: number,
): Promise<TransmittalItemFile | undefined> {
  const row = await db
    .selectFrom('transmittal_items')
    .innerJoin('transmittals', (join) =>
      join
        .onRef('transmittals.id', '=', 'transmittal_items.transmittal_id')
        .onRef('transmittals.project_id', '=', 'transmittal_items.project_id'),
    )
    .innerJoin('attachments', (join) =>
      join
        .onRef('attachments.id', '=', 'transmittal_items.attachment_id')
        .onRef('attachments.project_id', '=', 'transmittal_items.project_id'),
    )
    .select([
      'attachments.blob_sha256',
      'attachments.content_type',
      'attachments.size',
      'transmittal_items.file_name',
    ])
    .where('transmittal_items.project_id', '=', projectId)
    .where('transmittals.number', '=', number)
    .where('transmittal_items.position', '=', position)
    .executeTakeFirst();
  return row
    ? {
        blobSha256: row.blob_sha256,
        fileName: row.file_name,
        contentType: row.content_type,
        size: row.size,
      }
    : undefined;
}
