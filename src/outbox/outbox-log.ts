import type { Db, OutboxMessage, OutboxStatus } from '../db/database.js';

export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['captured', 'queued', 'sent', 'failed'];

export function isOutboxStatus(value: string): value is OutboxStatus {
  return (OUTBOX_STATUSES as readonly string[]).includes(value);
}

export interface OutboxLogRow {
  id: number;
  kind: string;
  status: OutboxStatus;
  to: string[];
  subject: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export interface OutboxLogPage {
  rows: OutboxLogRow[];
  /** The id to pass as `before` for the next (older) page, or null on the last page. */
  nextBefore: number | null;
}

/**
 * A project's outbound mail, newest first, one keyset page at a time (ids only grow, so "older
 * than id N" is stable while new mail arrives). Only rows of this project: mail that belongs to
 * no project (login links, stored with project id 0) never shows on any project's page.
 */
export async function listOutbox(
  db: Db,
  projectId: number,
  options: { status: OutboxStatus | null; before: number | null; limit: number },
): Promise<OutboxLogPage> {
  let query = db
    .selectFrom('outbox')
    .select([
      'id',
      'kind',
      'status',
      'to_addresses',
      'subject',
      'attempts',
      'last_error',
      'created_at',
      'sent_at',
    ])
    .where('project_id', '=', projectId);
  if (options.status) query = query.where('status', '=', options.status);
  if (options.before !== null) query = query.where('id', '<', options.before);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  return {
    rows: page.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      to: r.to_addresses,
      subject: r.subject,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
      sentAt: r.sent_at,
    })),
    nextBefore: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** How many of the project's outbound messages are in each status; absent statuses count 0. */
export async function countOutboxByStatus(
  db: Db,
  projectId: number,
): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => ['status', eb.fn.countAll().as('count')])
    .where('project_id', '=', projectId)
    .groupBy('status')
    .execute();
  const counts: Record<OutboxStatus, number> = { captured: 0, queued: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

/** One outbound message of the project, everything kept about it; undefined for another's. */
export function findOutboxMessage(
  db: Db,
  projectId: number,
  id: number,
): Promise<OutboxMessage | undefined> {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst();
}
