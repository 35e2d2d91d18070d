import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../src/blobs/file-blob-store.js';
import { createProject } from '../../src/projects/project.repository.js';
import { rawMessage, storeAndFile } from '../support/deliver-raw.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

const dana = 'Dana Fields <dana@contractor.example>';
const sam = 'Sam Ortiz <sam@architect.example>';

function mail(
  id: string | null,
  extra: Record<string, string>,
  date = 'Mon, 02 Nov 2026 09:00:00 +0000',
) {
  return rawMessage({
    From: dana,
    To: `${sam}, proj@docket.localhost`,
    Date: date,
    ...(id ? { 'Message-ID': `<${id}>` } : {}),
    Subject: 'Curtain wall anchors',
    ...extra,
  });
}

describe(`threading in the database on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let dataDir: string;
  let blobs: FileBlobStore;
  let projectSeq = 0;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), 'docket-threading-'));
    blobs = new FileBlobStore(dataDir);
  });
  afterAll(async () => {
    await database.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const newProject = async () =>
    (await createProject(database.db, { code: `p${++projectSeq}`, name: 'P' })).id;
  const file = (projectId: number, raw: Buffer) => storeAndFile(database.db, blobs, projectId, raw);

  it("joins a parent that arrives after its reply to the reply's thread", async () => {
    const project = await newProject();
    const reply = await file(
      project,
      mail('b@x.example', {
        'In-Reply-To': '<a@x.example>',
        References: '<a@x.example>',
        Subject: 'Re: Curtain wall anchors',
      }),
    );
    const parent = await file(project, mail('a@x.example', {}));
    expect(parent.threadId).toBe(reply.threadId);
    const thread = await database.db
      .selectFrom('threads')
      .selectAll()
      .where('id', '=', reply.threadId)
      .executeTakeFirstOrThrow();
    expect(thread.message_count).toBe(2);
  });

  it('joins a chain whose middle arrives last: grandchild, root, then the child naming only its parent', async () => {
    const project = await newProject();
    const grandchild = await file(
      project,
      mail('c@x.example', { 'In-Reply-To': '<b@x.example>', Subject: 'Re: Curtain wall anchors' }),
    );
    const root = await file(project, mail('a@x.example', {}));
    const child = await file(
      project,
      mail('b@x.example', { 'In-Reply-To': '<a@x.example>', Subject: 'Re: Curtain wall anchors' }),
    );
    const threads = await database.db
      .selectFrom('messages')
      .select('thread_id')
      .distinct()
      .where('project_id', '=', project)
      .execute();
    expect(threads).toHaveLength(1);
    expect([grandchild.threadId, root.threadId]).toContain(child.threadId);
  });

  it('merges two threads when a message references both', async () => {
    const project = await newProject();
    const first = await file(project, mail('one@x.example', { Subject: 'Anchors north' }));
    const second = await file(project, mail('two@x.example', { Subject: 'Anchors south' }));
    expect(second.threadId).not.toBe(first.threadId);
    const joining = await file(
      project,
      mail('three@x.example', {
        References: '<one@x.example> <two@x.example>',
        Subject: 'Re: Anchors',
      }),
    );
    expect(joining.threadId).toBe(Math.min(first.threadId, second.threadId));
    const messages = await database.db
      .selectFrom('messages')
      .select('thread_id')
      .where('project_id', '=', project)
      .execute();
    expect(new Set(messages.map((m) => m.thread_id))).toEqual(new Set([joining.threadId]));
    const merged = await database.db
      .selectFrom('threads')
      .select(['id', 'merged_into', 'message_count'])
      .where('project_id', '=', project)
      .orderBy('id')
      .execute();
    expect(merged).toEqual([
      { id: first.threadId, merged_into: null, message_count: 3 },
      { id: second.threadId, merged_into: first.threadId, message_count: 0 },
    ]);
  });

  it('threads Outlook replies that carry only In-Reply-To to an unknown id and a Thread-Index', async () => {
    const project = await newProject();
    const root = Buffer.concat([
      Buffer.from([0x01, 0xd7, 0x2a, 0x3b, 0x4c, 0x5d]),
      Buffer.alloc(16, 7),
    ]);
    const child = Buffer.concat([root, Buffer.from([0, 0, 1, 2, 3])]);
    const first = await file(
      project,
      mail('ol-1@outlook.example', {
        'Thread-Index': root.toString('base64'),
        'Thread-Topic': 'Curtain wall anchors',
      }),
    );
    const second = await file(
      project,
      mail('ol-3@outlook.example', {
        'In-Reply-To': '<ol-2-never-seen@outlook.example>',
        'Thread-Index': child.toString('base64'),
        Subject: 'RE: Curtain wall anchors',
      }),
    );
    expect(second.threadId).toBe(first.threadId);
  });

  it('keeps the same subject from strangers apart and files the reasons', async () => {
    const project = await newProject();
    const first = await file(project, mail('s1@x.example', {}));
    const stranger = await file(
      project,
      rawMessage({
        From: 'lee@other.example',
        To: 'proj@docket.localhost',
        'Message-ID': '<s2@other.example>',
        Subject: 'RE: Curtain wall anchors',
        Date: 'Mon, 02 Nov 2026 10:00:00 +0000',
      }),
    );
    const colleague = await file(
      project,
      rawMessage({
        From: sam,
        To: dana,
        Cc: 'proj@docket.localhost',
        'Message-ID': '<s3@x.example>',
        Subject: 'RE: Curtain wall anchors',
        Date: 'Mon, 02 Nov 2026 11:00:00 +0000',
      }),
    );
    expect(stranger.threadId).not.toBe(first.threadId);
    expect(colleague.threadId).toBe(first.threadId);
    const reasons = await database.db
      .selectFrom('messages')
      .select('filing_reasons')
      .where('project_id', '=', project)
      .where('id', '=', colleague.messageId)
      .executeTakeFirstOrThrow();
    expect(reasons.filing_reasons.map((r) => r.rule)).toContain('subject');
  });

  it('files a message again without a second copy', async () => {
    const project = await newProject();
    const raw = mail('again@x.example', {});
    const once = await file(project, raw);
    const twice = await file(project, raw);
    expect(twice).toEqual({ ...once, alreadyFiled: true });
  });
});
