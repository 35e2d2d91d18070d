import { Readable } from 'node:stream';
import type { BlobStore } from '../../src/blobs/blob-store.js';
import type { Db, InboundTransport } from '../../src/db/database.js';
import { storeDelivery } from '../../src/inbound/store-delivery.js';
import { fileInboundMessage, type FiledMessage } from '../../src/ingest/file-message.js';
import { readEnvelopeHeaders } from '../../src/mail/envelope-headers.js';
import { headerBlockOf } from '../../src/mail/header-capture.js';

/** Builds a small RFC 822 message with CRLF line ends from header pairs and a body. */
export function rawMessage(headers: Record<string, string>, body = 'Hello.'): Buffer {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`);
}

/**
 * Stores a raw message for a project exactly as the SMTP edge does, then files it. `transport`
 * says how it came in: imported by default; `outbound` is the outbox's copy of our own mail.
 */
export async function storeAndFile(
  db: Db,
  blobs: BlobStore,
  projectId: number,
  raw: Buffer,
  options: { mailFrom?: string | null; receivedAt?: Date; transport?: InboundTransport } = {},
): Promise<FiledMessage> {
  const blob = await blobs.put(Readable.from([raw]));
  const headers = readEnvelopeHeaders(headerBlockOf(raw));
  const receivedAt = options.receivedAt ?? headers.date ?? new Date();
  const [stored] = await storeDelivery(db, {
    blob,
    messageId: headers.messageId,
    transport: options.transport ?? 'import',
    mailFrom: options.mailFrom ?? null,
    clientAddress: null,
    clientHostname: null,
    helo: null,
    smtpSessionId: null,
    receivedAt,
    projects: [{ projectId, recipients: ['test@docket.localhost'] }],
  });
  if (!stored) throw new Error('nothing stored');
  return fileInboundMessage(
    { db, blobs, mailDomain: 'docket.localhost' },
    {
      project_id: projectId,
      id: stored.inboundId,
      raw_sha256: blob.sha256,
      mail_from: options.mailFrom ?? null,
      received_at: receivedAt,
      transport: options.transport ?? 'import',
    },
    new Date(),
  );
}
