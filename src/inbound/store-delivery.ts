import { sql } from 'kysely';
import { insertBlobRows, type StagedBlob } from '../blobs/blob-store.js';
import type { Db, InboundTransport, Trx } from '../db/database.js';
import { dedupeKey } from '../mail/envelope-headers.js';

export interface Delivery {
  blob: StagedBlob;
  messageId: string | null;
  transport: InboundTransport;
  mailFrom: string | null;
  clientAddress: string | null;
  clientHostname: string | null;
  helo: string | null;
  smtpSessionId: string | null;
  receivedAt: Date;
  /** Each project the message is for, with the envelope recipients that named it. */
  projects: { projectId: number; recipients: string[] }[];
}

export interface StoredDelivery {
  projectId: number;
  inboundId: number;
  /** False when the project already had this message (a retry, a second address, an import). */
  isNew: boolean;
}

/**
 * Commits a received message: the raw bytes' record and one inbound row per project, in one
 * statement (so one round trip and one commit on the acceptance path). The same message (same
 * Message-ID, or same bytes without one) is stored once per project; a repeat only adds the
 * recipients it was sent to and counts the delivery.
 */
export async function storeDelivery(db: Db, delivery: Delivery): Promise<StoredDelivery[]> {
  const [stored] = await storeDeliveries(db, [delivery]);
  return stored ?? [];
}

/** `storeDelivery` in the caller's transaction (outbound copies are stored with their cause). */
export async function recordDelivery(trx: Trx, delivery: Delivery): Promise<StoredDelivery[]> {
  const [stored] = await storeDeliveries(trx, [delivery]);
  return stored ?? [];
}

/**
 * Several deliveries in one statement, for group commit: their blob rows and inbound rows are
 * written together, and the answer for each delivery is in the same position. No two of them may
 * name the same message for the same project (one statement cannot upsert a row twice): the
 * caller keeps such a repeat for the next statement. Rows go in key order, so two statements
 * racing over the same messages wait for each other instead of deadlocking.
 */
export async function storeDeliveries(
  executor: Db | Trx,
  deliveries: readonly Delivery[],
): Promise<StoredDelivery[][]> {
  const values = deliveries.flatMap((delivery) => {
    const key = dedupeKey(delivery.messageId, delivery.blob.sha256);
    return delivery.projects.map(({ projectId, recipients }) => ({
      project_id: projectId,
      raw_sha256: delivery.blob.sha256,
      raw_size: delivery.blob.size,
      dedupe_key: key,
      transport: delivery.transport,
      mail_from: delivery.mailFrom,
      rcpt_to: recipients,
      client_address: delivery.clientAddress,
      client_hostname: delivery.clientHostname,
      helo: delivery.helo,
      smtp_session_id: delivery.smtpSessionId,
      received_at: delivery.receivedAt,
      claimed_until: null,
      last_error: null,
      filed_at: null,
    }));
  });
  if (values.length === 0) return deliveries.map(() => []);
  values.sort((a, b) => a.project_id - b.project_id || compare(a.dedupe_key, b.dedupe_key));
  // The blob rows are written by a data-modifying CTE of the same statement; the foreign key from
  // inbound_messages is checked at the end of the statement, when those rows exist.
  const rows = await executor
    .with('blob', (creator) =>
      insertBlobRows(
        creator,
        deliveries.map((delivery) => delivery.blob),
      ),
    )
    .insertInto('inbound_messages')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['project_id', 'dedupe_key']).doUpdateSet({
        rcpt_to: sql<
          string[]
        >`array(select distinct unnest(inbound_messages.rcpt_to || excluded.rcpt_to) order by 1)`,
        deliveries: sql<number>`inbound_messages.deliveries + 1`,
      }),
    )
    // xmax is 0 only for a freshly inserted row: the standard PostgreSQL way to tell an
    // upsert's insert from its update.
    .returning(['project_id', 'id', 'dedupe_key', sql<boolean>`(xmax = 0)`.as('inserted')])
    .execute();
  const byKey = new Map(rows.map((row) => [`${row.project_id} ${row.dedupe_key}`, row]));
  return deliveries.map((delivery) => {
    const key = dedupeKey(delivery.messageId, delivery.blob.sha256);
    return delivery.projects.map(({ projectId }) => {
      const row = byKey.get(`${projectId} ${key}`);
      if (!row) throw new Error(`no inbound row returned for project ${projectId}`);
      return { projectId, inboundId: row.id, isNew: row.inserted };
    });
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
