import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../src/blobs/file-blob-store.js';
import { storeDelivery } from '../../src/inbound/store-delivery.js';
import { fileInboundMessage } from '../../src/ingest/file-message.js';
import { createProject } from '../../src/projects/project.repository.js';
import { fixture } from '../support/fixtures.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

describe(`a message whose processing keeps failing is still filed, on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'docket-degraded-'));
  });
  afterAll(async () => {
    await database.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('files it from its headers alone, with the reason, and keeps the raw bytes', async () => {
    const { db } = database;
    const blobs = new FileBlobStore(dir);
    const project = await createProject(db, { code: 'deg', name: 'Degraded' });
    const raw = fixture('with-attachment.eml');
    const blob = await blobs.put(Readable.from([raw]));
    const [stored] = await storeDelivery(db, {
      blob,
      messageId: 'stair2-shop@steelfab.example',
      transport: 'import',
      mailFrom: null,
      clientAddress: null,
      clientHostname: null,
      helo: null,
      smtpSessionId: null,
      receivedAt: new Date('2026-11-03T08:00:00Z'),
      projects: [{ projectId: project.id, recipients: ['deg@docket.localhost'] }],
    });
    const inbound = {
      project_id: project.id,
      id: stored?.inboundId ?? 0,
      raw_sha256: blob.sha256,
      mail_from: null,
      received_at: new Date('2026-11-03T08:00:00Z'),
      transport: 'import' as const,
    };
    // A fault that full processing always hits: attachments cannot be stored.
    await sql`create or replace function docket_test_no_attachments() returns trigger language plpgsql as $$
      begin raise exception 'attachments are broken'; end $$`.execute(db);
    await sql`create trigger docket_test_no_attachments before insert on attachments
      for each row execute function docket_test_no_attachments()`.execute(db);
    try {
      await expect(
        fileInboundMessage({ db, blobs, mailDomain: 'docket.localhost' }, inbound, new Date()),
      ).rejects.toThrow(/attachments are broken/);
      const filed = await fileInboundMessage(
        { db, blobs, mailDomain: 'docket.localhost' },
        inbound,
        new Date(),
        { degradedBecause: 'attachments are broken' },
      );
      const message = await db
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', filed.messageId)
        .executeTakeFirstOrThrow();
      expect(message).toMatchObject({
        subject: 'Shop drawings for stair 2',
        from_address: 'priya@steelfab.example',
        attachment_count: 0,
      });
      expect(message.flags).toEqual(['parse-warning', 'unprocessed']);
      expect(message.parse_warnings).toEqual([
        'filed without processing after repeated failures: attachments are broken',
      ]);
      expect((await blobs.read(blob.sha256)).equals(raw)).toBe(true);
    } finally {
      await sql`drop trigger docket_test_no_attachments on attachments`.execute(db);
    }
  });
});
