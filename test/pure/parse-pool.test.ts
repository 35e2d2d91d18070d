import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { BlobWriterSpec } from '../../src/blobs/blob-store.js';
import { databaseBlobWriter } from '../../src/blobs/database-blob-store.js';
import { ParsePool } from '../../src/ingest/parse-pool.js';
import { prepareMail } from '../../src/ingest/prepare-mail.js';
import { fixture } from '../support/fixtures.js';

/** Attachments held in memory, as the database blob store does: nothing touches the disk. */
const inMemory: BlobWriterSpec = { root: null, inlineMaxBytes: Infinity };

/** A message whose text body is `megabytes` MB of words. */
function bigMessage(megabytes: number): Buffer {
  const line = 'The podium slab pour is scheduled for Thursday at seven.\r\n';
  const body = line.repeat(Math.ceil((megabytes * 1024 * 1024) / line.length));
  return Buffer.from(
    `From: dana@contractor.example\r\nTo: twr-a@docket.localhost\r\nSubject: Log\r\n` +
      `Message-ID: <big@x>\r\n\r\n${body}`,
  );
}

describe('parsing in worker threads', () => {
  let pool: ParsePool | null = null;
  afterEach(async () => {
    await pool?.close();
    pool = null;
  });

  const request = (raw: Buffer) => ({
    raw: { bytes: new Uint8Array(raw) },
    envelope: { mailFrom: 'dana@contractor.example', fromOutbox: false },
  });

  it('gives what parsing on this thread gives, attachments included', async () => {
    pool = new ParsePool(inMemory, { size: 2 });
    const raw = fixture('with-attachment.eml');
    const here = await prepareMail(Readable.from([raw]), databaseBlobWriter, {
      mailFrom: 'dana@contractor.example',
      fromOutbox: false,
    });
    const [first, second] = await Promise.all([
      pool.prepare(request(raw)),
      pool.prepare(request(fixture('rfi-question.eml'))),
    ]);
    expect(first).toEqual(here);
    expect(first?.attachmentBlobs[0]?.data).toBeInstanceOf(Buffer);
    expect(second?.mail.subject).toMatch(/\S/);
  });

  it('survives a message that exhausts a worker: that one is refused, the next is parsed', async () => {
    // Room to start a worker and parse ordinary mail, not to hold a 96 MB text body as a string.
    pool = new ParsePool(inMemory, { size: 1, workerHeapMb: 64 });
    const refused = await pool.prepare(request(bigMessage(96))).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/the parser (failed|stopped)/);
    const next = await pool.prepare(request(fixture('rfi-question.eml')));
    expect(next.mail.messageId).toMatch(/@/);
  });

  it('gives up on a message that takes longer than the limit and replaces its worker', async () => {
    pool = new ParsePool(inMemory, { size: 1, taskTimeoutMs: 1 });
    const refused = await pool.prepare(request(bigMessage(8))).catch((error: unknown) => error);
    expect((refused as Error).message).toBe('parsing took longer than 0.001 s');
  });
});
