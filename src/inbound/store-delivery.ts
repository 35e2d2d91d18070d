import { sql } from 'kysely';
import { insertBlobRow, type BlobStore, type StagedBlob } from '../blobs/blob-store.js';
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
export function storeDelivery(
  db: Db,
  blobs: BlobStore,
  delivery: Delivery,
): Promise<StoredDelivery[]> {
  return recordDelivery(db, blobs, delivery);
}

/** `storeDelivery` in the caller's transaction (outbound copies are stored with their cause). */
export async function recordDelivery(
  executor: Db | Trx,
  blobs: BlobStore,
  delivery: Delivery,
): Promise<StoredDelivery[]> {
  const key = dedupeKey(delivery.messageId, delivery.blob.sha256);
  // The blob row is written by a data-modifying CTE of the same statement; the foreign key from
  // inbound_messages is checked at the end of the statement, when that row exists.
  const rows = await executor
    .with('blob', (creator) => insertBlobRow(creator, delivery.blob, blobs.kind))
    .insertInto('inbound_messages')
    .values(
      delivery.projects.map(({ projectId, recipients }) => ({
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
      })),
    )
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
    .returning(['project_id', 'id', sql<boolean>`(xmax = 0)`.as('inserted')])
    .execute();
  return delivery.projects.map(({ projectId }) => {
    const row = rows.find((r) => r.project_id === projectId);
    if (!row) throw new Error(`no inbound row returned for project ${projectId}`);
    return { projectId, inboundId: row.id, isNew: row.inserted };
  });
}
