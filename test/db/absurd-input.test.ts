import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../src/blobs/file-blob-store.js';
import { createProject } from '../../src/projects/project.repository.js';
import { rawMessage, storeAndFile } from '../support/deliver-raw.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

// Index entries hold about 2.7 KB: a value that reaches an index uncapped would fail filing for
// ever. Hostile or broken mail carries such values; each must still be filed.
describe(`absurdly long header values are filed, on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let dir: string;
  let projectId: number;
  beforeAll(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'docket-absurd-'));
    projectId = (await createProject(database.db, { code: 'absurd', name: 'Absurd' })).id;
  });
  afterAll(async () => {
    await database.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('files 6 KB addresses in From, To and Cc', async () => {
    const long = `${'a'.repeat(3000)}@${'b'.repeat(3000)}.example`;
    const raw = rawMessage({
      From: long,
      To: `${long}, x@y.example`,
      Cc: long,
      Subject: 'Long',
      'Message-ID': '<long-addr@x.example>',
    });
    const filed = await storeAndFile(database.db, new FileBlobStore(dir), projectId, raw);
    expect(filed.alreadyFiled).toBe(false);
  });

  it('files 5 KB subjects and file names and 3 KB message ids', async () => {
    const name = `${'n'.repeat(5000)}.pdf`;
    const raw = [
      'From: a@b.example',
      'To: absurd@docket.localhost',
      `Subject: ${'s'.repeat(5000)}`,
      `Message-ID: <${'m'.repeat(3000)}@x.example>`,
      `References: <${'r'.repeat(3000)}@x.example> <ok@x.example>`,
      `In-Reply-To: <${'i'.repeat(3000)}@x.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'hi',
      '--b',
      `Content-Type: application/pdf; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`,
      '',
      'x',
      '--b--',
      '',
    ].join('\r\n');
    const filed = await storeAndFile(
      database.db,
      new FileBlobStore(dir),
      projectId,
      Buffer.from(raw),
    );
    const attachment = await database.db
      .selectFrom('attachments')
      .select('filename')
      .where('message_id', '=', filed.messageId)
      .executeTakeFirstOrThrow();
    expect(attachment.filename).toBe(name);
  });
});
