import { sql } from 'kysely';
import type { StagedBlob, BlobStore } from '../blobs/blob-store.js';
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
 * transaction. The same message (same Message-ID, or same bytes without one) is stored once per
 * project; a repeat only adds the recipients it was sent to and counts the delivery.
 */
export function storeDelivery(
  db: Db,
  blobs: BlobStore,
  delivery: Delivery,
): Promise<StoredDelivery[]> {
  return db.transaction().execute((trx) => recordDelivery(trx, blobs, delivery));
}

/** `storeDelivery` inside the caller's transaction (outbound copies are stored with their cause). */
export async function recordDelivery(
  trx: Trx,
  blobs: BlobStore,
  delivery: Delivery,
): Promise<StoredDelivery[]> {
  const key = dedupeKey(delivery.messageId, delivery.blob.sha256);
  {
    await blobs.record(trx, delivery.blob);
    const stored: StoredDelivery[] = [];
    for (const { projectId, recipients } of delivery.projects) {
      const row = await trx
        .insertInto('inbound_messages')
        .values({
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
        })
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
        .returning(['id', sql<boolean>`(xmax = 0)`.as('inserted')])
        .executeTakeFirstOrThrow();
      stored.push({ projectId, inboundId: row.id, isNew: row.inserted });
    }
    return stored;
  }
}
