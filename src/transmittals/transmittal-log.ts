import type { Db } from '../db/database.js';
import { transmittalNumber } from './transmittal-request.js';

export interface TransmittalLogRecipient {
  email: string;
  name: string | null;
  role: 'to' | 'cc';
  acknowledgedAt: Date | null;
}

export interface TransmittalLogEntry {
  number: string;
  subject: string;
  purpose: string;
  sentVia: string;
  sender: string;
  senderName: string | null;
  status: 'open' | 'closed';
  createdAt: Date;
  dueAt: Date | null;
  closedAt: Date | null;
  coverSha256: string | null;
  itemCount: number;
  recipients: TransmittalLogRecipient[];
  /** Open and past its acknowledgement date. */
  overdue: boolean;
}

/** The project's transmittal log, by number, with who has acknowledged each and when. */
export async function listTransmittals(
  db: Db,
  projectId: number,
  now: Date,
): Promise<TransmittalLogEntry[]> {
  const rows = await db
    .selectFrom('transmittals')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('number')
    .execute();
  const recipients = await db
    .selectFrom('transmittal_recipients')
    .select(['transmittal_id', 'email', 'name', 'role', 'acknowledged_at'])
    .where('project_id', '=', projectId)
    // To before Cc, then by address, so the log reads the same every time.
    .orderBy('transmittal_id')
    .orderBy('role', 'desc')
    .orderBy('email')
    .execute();
  const items = await db
    .selectFrom('transmittal_items')
    .select((eb) => ['transmittal_id', eb.fn.countAll().as('count')])
    .where('project_id', '=', projectId)
    .groupBy('transmittal_id')
    .execute();
  return rows.map((t) => ({
    number: transmittalNumber(t.number),
    subject: t.subject,
    purpose: t.purpose,
    sentVia: t.sent_via,
    sender: t.sender,
    senderName: t.sender_name,
    status: t.status,
    createdAt: t.created_at,
    dueAt: t.due_at,
    closedAt: t.closed_at,
    coverSha256: t.cover_sha256,
    itemCount: Number(items.find((i) => i.transmittal_id === t.id)?.count ?? 0),
    recipients: recipients
      .filter((r) => r.transmittal_id === t.id)
      .map((r) => ({
        email: r.email,
        name: r.name,
        role: r.role,
        acknowledgedAt: r.acknowledged_at,
      })),
    overdue: t.status === 'open' && t.due_at !== null && t.due_at < now,
  }));
}
