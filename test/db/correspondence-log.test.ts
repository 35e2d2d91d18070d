import { randomBytes } from 'node:crypto';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../src/blobs/file-blob-store.js';
import {
  listCorrespondence,
  type CorrespondenceOptions,
  type CorrespondenceQuery,
  type LogSort,
} from '../../src/correspondence/correspondence-log.js';
import { decodeCursor, LOG_SORTS } from '../../src/correspondence/log-cursor.js';
import { logQuerySegments } from '../../src/correspondence/log-query.js';
import { createDb } from '../../src/db/create-db.js';
import type { Db } from '../../src/db/database.js';
import { DocketError } from '../../src/errors.js';
import { createProject } from '../../src/projects/project.repository.js';
import { rawMessage, storeAndFile } from '../support/deliver-raw.js';
import { dropDatabase } from '../support/pg-cleanup.js';
import {
  createTestDatabase,
  testDatabaseKind,
  testDatabaseUrl,
  type TestDatabase,
} from '../support/test-db.js';

interface Person {
  name: string;
  address: string;
}
const dana = { name: 'Dana Fields', address: 'dana@contractor.example' };
const sam = { name: 'Sam Ortiz', address: 'sam@architect.example' };
const lee = { name: 'Lee Park', address: 'lee@architect.example' };
const priya = { name: 'Priya Shah', address: 'priya@steelfab.example' };
const ops = { name: 'Vendor Office', address: 'ops@vendor.example' };
const project = { name: '', address: 'proj@docket.localhost' };

interface Spec {
  key: string;
  from: Person | null;
  to: Person[];
  cc: Person[];
  subject: string;
  body: string;
  hours: number;
  files: string[];
  headers: Record<string, string>;
}

const base = Date.UTC(2026, 10, 2, 9);
const at = (hours: number) => new Date(base + hours * 3_600_000);

function spec(key: string, fields: Partial<Spec> & { hours: number }): Spec {
  return {
    key,
    from: dana,
    to: [project],
    cc: [],
    subject: key,
    body: 'Hello.',
    files: [],
    headers: {},
    ...fields,
  };
}

/** Thirty ordinary messages, then the ones the filters and searches are about. */
const ordinary: Spec[] = Array.from({ length: 30 }, (_, i) =>
  spec(`m${i}`, {
    from: [dana, sam, lee, priya][i % 4] ?? dana,
    to: i % 3 === 0 ? [project, sam] : [project],
    cc: i % 5 === 0 ? [lee] : i % 7 === 0 ? [priya] : [],
    subject: [
      'Daily report',
      'Concrete pour schedule',
      'Site access',
      'Crane booking',
      'Weekly minutes',
    ][i % 5],
    body: `Report number ${i}.`,
    // Three messages received in the same instant: only the id orders them.
    hours: i >= 12 && i <= 14 ? 60 : i * 5 + 1,
    files: i % 6 === 0 ? [`Sheet-${i}.pdf`] : [],
  }),
);
const special: Spec[] = [
  spec('anchor', {
    to: [project, sam],
    subject: 'Anchor bolts for grid C',
    body: 'Please confirm the embedment depth of the anchor bolts.',
    hours: 3,
  }),
  spec('anchor-reply', {
    from: sam,
    to: [dana],
    cc: [lee, project],
    subject: 'Re: Anchor bolts for grid C',
    body: 'Embedment is 150 mm.\n\nOn Mon, 2 Nov 2026, Dana Fields wrote:\n> Please confirm the embedment depth of the anchor bolts.',
    headers: { 'In-Reply-To': '<anchor@test.example>', References: '<anchor@test.example>' },
    hours: 4,
  }),
  spec('auto-1', {
    from: ops,
    subject: 'Automatic reply: Anchor bolts for grid C',
    body: 'I am out of the office until Monday.',
    headers: { 'Auto-Submitted': 'auto-replied' },
    hours: 5,
  }),
  spec('auto-2', {
    from: ops,
    subject: 'Out of office',
    body: 'Back on the 20th.',
    headers: { 'Auto-Submitted': 'auto-replied' },
    hours: 40,
  }),
  spec('membrane', {
    from: priya,
    subject: 'Roofing product data',
    body: 'See attached.',
    files: ['Xylophonic_Membrane_Datasheet.pdf', 'Warranty-Letter.pdf'],
    hours: 20,
  }),
  spec('efflorescence', {
    from: lee,
    subject: 'Brick samples',
    body: 'White efflorescence on the sample panel near gridline 4.',
    hours: 30,
  }),
  spec('german', {
    subject: 'Übergabeprotokoll Ebene 3',
    body: 'Bitte prüfen Sie das Protokoll.',
    hours: 33,
  }),
  spec('no-from', { from: null, subject: 'Unsigned note', hours: 50 }),
  spec('slab-1', { subject: 'Level 2 slab pour', hours: 70 }),
  spec('slab-2', { from: sam, subject: 'Slab reinforcement inspection', hours: 71 }),
  spec('slab-3', {
    from: lee,
    subject: 'Re: slab items',
    headers: { References: '<slab-1@test.example> <slab-2@test.example>' },
    hours: 72,
  }),
];
const corpus = [...ordinary, ...special];
const elsewhere: Spec[] = [
  spec('x-anchor', { from: sam, subject: 'Anchor bolts for grid C', hours: 6 }),
  spec('x-membrane', {
    from: priya,
    subject: 'Roofing',
    files: ['Xylophonic_Membrane_Datasheet.pdf'],
    hours: 21,
  }),
  spec('x-brick', { from: lee, subject: 'Bricks', body: 'More efflorescence.', hours: 31 }),
];

const mailbox = (p: Person) => (p.name ? `${p.name} <${p.address}>` : p.address);
const encodedWord = (text: string) =>
  /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;

function build(s: Spec): Buffer {
  const headers: Record<string, string> = {
    ...(s.from ? { From: mailbox(s.from) } : {}),
    To: s.to.map(mailbox).join(', '),
    ...(s.cc.length > 0 ? { Cc: s.cc.map(mailbox).join(', ') } : {}),
    Date: at(s.hours).toUTCString().replace('GMT', '+0000'),
    'Message-ID': `<${s.key}@test.example>`,
    Subject: encodedWord(s.subject),
    ...s.headers,
    'MIME-Version': '1.0',
  };
  if (s.files.length === 0) {
    return rawMessage({ ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, s.body);
  }
  const parts = [
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    s.body,
    ...s.files.flatMap((name) => [
      '--b',
      `Content-Type: application/pdf; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from(`%PDF-1.4 ${name}`).toString('base64'),
    ]),
    '--b--',
  ];
  return rawMessage(
    { ...headers, 'Content-Type': 'multipart/mixed; boundary="b"' },
    parts.join('\n'),
  );
}

const THIS_MIGRATION = '2026-11-27T1100_correspondence_search';
const PREVIOUS_MIGRATION = '2026-11-27T1000_records_and_outbox';
const migrationFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** An empty database, not migrated: in-memory PGlite, or a new PostgreSQL database. */
async function createBareDatabase(): Promise<{ db: Db; destroy(): Promise<void> }> {
  if (!testDatabaseUrl) {
    const db = createDb({ databaseUrl: null, embeddedDir: 'memory://' });
    return { db, destroy: () => db.destroy() };
  }
  const url = new URL(testDatabaseUrl);
  url.pathname = `/docket_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${url.pathname.slice(1)}`);
  } finally {
    await admin.end();
  }
  const db = createDb({ databaseUrl: url.toString(), embeddedDir: 'unused' });
  return {
    db,
    async destroy() {
      await db.destroy();
      await dropDatabase(url.toString());
    },
  };
}

describe(`the correspondence log on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let dataDir: string;
  let blobs: FileBlobStore;
  let projectId: number;
  let otherProjectId: number;
  const ids = new Map<string, number>();
  const keys = new Map<number, string>();
  let submittalThread = 0;

  const file = async (projectOf: number, s: Spec) => {
    const filed = await storeAndFile(database.db, blobs, projectOf, build(s), {
      receivedAt: at(s.hours),
    });
    ids.set(s.key, filed.messageId);
    keys.set(filed.messageId, s.key);
    return filed;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), 'docket-log-'));
    blobs = new FileBlobStore(dataDir);
    projectId = (await createProject(database.db, { code: 'log', name: 'Log' })).id;
    otherProjectId = (await createProject(database.db, { code: 'other', name: 'Other' })).id;
    for (const s of corpus) {
      if (s.key === 'slab-3') {
        // A submittal opened in slab-2's thread, which slab-3 then merges into slab-1's.
        submittalThread = (await threadOf('slab-2')) ?? 0;
        await database.db
          .insertInto('submittals')
          .values({
            project_id: projectId,
            spec_section: '03 30 00',
            seq: 1,
            title: 'Slab reinforcement',
            status: 'open',
            submitter: dana.address,
            received_at: at(71),
            thread_id: submittalThread,
          })
          .execute();
      }
      await file(projectId, s);
    }
    for (const s of elsewhere) await file(otherProjectId, s);
    await database.db
      .insertInto('items')
      .values({
        project_id: projectId,
        prefix: 'RFI',
        number: 1,
        subject: 'Brick efflorescence',
        question: 'Is this acceptable?',
        asker: lee.address,
        status: 'open',
        created_at: at(30),
        thread_id: (await threadOf('efflorescence')) ?? 0,
      })
      .execute();
  });
  afterAll(async () => {
    await database.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function threadOf(key: string): Promise<number | undefined> {
    const row = await database.db
      .selectFrom('messages')
      .select('thread_id')
      .where('project_id', '=', projectId)
      .where('id', '=', ids.get(key) ?? 0)
      .executeTakeFirst();
    return row?.thread_id;
  }

  /**
   * Messages written straight into the tables with generate_series, bypassing filing: thousands
   * in one statement. `receivedAt` is an expression of the series value `g`; senders and subjects
   * repeat every 60 and 40 rows.
   */
  async function insertBulk(code: string, count: number, receivedAt: RawBuilder<unknown>) {
    const db = database.db;
    const bulk = (await createProject(db, { code, name: code })).id;
    await sql`insert into blobs (sha256, size, storage) values ('bulk', 0, 'files')
      on conflict do nothing`.execute(db);
    const thread = await db
      .insertInto('threads')
      .values({
        project_id: bulk,
        subject: 'Bulk',
        normalized_subject: 'bulk',
        first_message_at: at(0),
        last_message_at: at(0),
        merged_into: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      insert into inbound_messages
        (project_id, raw_sha256, raw_size, dedupe_key, transport, rcpt_to, received_at)
      select ${bulk}, 'bulk', 0, 'bulk-' || g, 'import', '{}', ${receivedAt}
      from generate_series(1, ${count}::int) g
    `.execute(db);
    await sql`
      insert into messages (project_id, inbound_id, thread_id, subject, normalized_subject,
        from_address, received_at, filed_at, reply_text)
      select project_id, id, ${thread.id}, 'Bulk ' || id, 'bulk ' || (id % 40),
        'sender' || (id % 60) || '@bulk.example', received_at, received_at, 'Line ' || id
      from inbound_messages where project_id = ${bulk}
    `.execute(db);
    return bulk;
  }

  /** Every matching row, read with pages of `limit`, following nextCursor to the end. */
  async function readAll(
    query: CorrespondenceQuery,
    options: CorrespondenceOptions = {},
    inProject = projectId,
  ) {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = await listCorrespondence(database.db, inProject, query, { ...options, cursor });
      pages.push(page.rows.map((row) => keys.get(row.id) ?? `?${row.id}`));
      cursor = page.nextCursor;
      if (pages.length > 100) throw new Error('paging does not end');
    } while (cursor);
    return { pages, keys: pages.flat() };
  }
  const found = async (query: CorrespondenceQuery) =>
    new Set((await readAll(query, { limit: 200 })).keys);
  const keysWhere = (predicate: (s: Spec) => boolean) =>
    new Set(corpus.filter(predicate).map((s) => s.key));
  const newestFirst = (a: Spec, b: Spec) =>
    b.hours - a.hours || (ids.get(b.key) ?? 0) - (ids.get(a.key) ?? 0);

  it('lists every message of the project, newest first, and nothing of another project', async () => {
    const all = await readAll({}, { limit: 200 });
    expect(all.keys).toEqual([...corpus].sort(newestFirst).map((s) => s.key));
    const other = await readAll({}, {}, otherProjectId);
    expect(new Set(other.keys)).toEqual(new Set(elsewhere.map((s) => s.key)));
  });

  it('returns the row fields the log shows', async () => {
    const { rows } = await listCorrespondence(database.db, projectId, { q: 'embedment is 150' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: ids.get('anchor-reply'),
      threadId: await threadOf('anchor'),
      receivedAt: at(4),
      sentAt: at(4),
      fromAddress: sam.address,
      fromName: sam.name,
      to: [dana],
      toCount: 1,
      cc: [lee, { address: project.address, name: '' }],
      ccCount: 2,
      subject: 'Re: Anchor bolts for grid C',
      attachmentCount: 0,
      flags: [],
      snippet: 'Embedment is 150 mm.',
    });
    const [membrane] = (await listCorrespondence(database.db, projectId, { q: 'roofing' })).rows;
    expect(membrane).toMatchObject({ attachmentCount: 2, snippet: 'See attached.' });
  });

  it('filters by received date, from inclusive and to exclusive', async () => {
    expect(await found({ receivedSince: at(20), receivedBefore: at(60) })).toEqual(
      keysWhere((s) => s.hours >= 20 && s.hours < 60),
    );
  });

  it('filters by sender address or domain, whatever the case typed', async () => {
    expect(await found({ sender: ' Sam@Architect.EXAMPLE ' })).toEqual(
      keysWhere((s) => s.from?.address === sam.address),
    );
    expect(await found({ sender: '@architect.example' })).toEqual(
      keysWhere((s) => s.from?.address.endsWith('@architect.example') ?? false),
    );
    expect(await found({ sender: 'nobody@architect.example' })).toEqual(new Set());
  });

  it('filters by recipient in To or Cc, address or domain', async () => {
    const to = (s: Spec) => [...s.to, ...s.cc].map((p) => p.address);
    expect(await found({ recipient: lee.address })).toEqual(
      keysWhere((s) => to(s).includes(lee.address)),
    );
    expect(await found({ recipient: '@steelfab.example' })).toEqual(
      keysWhere((s) => to(s).some((a) => a.endsWith('@steelfab.example'))),
    );
    // The sender is not a recipient.
    expect(await found({ recipient: ops.address })).toEqual(new Set());
  });

  it('filters by attachments', async () => {
    expect(await found({ hasAttachments: true })).toEqual(keysWhere((s) => s.files.length > 0));
    expect(await found({ hasAttachments: false })).toEqual(keysWhere((s) => s.files.length === 0));
  });

  it('filters by any of the given flags', async () => {
    expect(await found({ flags: ['auto-reply'] })).toEqual(new Set(['auto-1', 'auto-2']));
    expect(await found({ flags: ['parse-warning'] })).toEqual(new Set(['no-from']));
    expect(await found({ flags: ['bounce', 'parse-warning', 'auto-reply'] })).toEqual(
      new Set(['auto-1', 'auto-2', 'no-from']),
    );
  });

  it("filters by record type through the records' threads, followed through merges", async () => {
    const merged = await database.db
      .selectFrom('threads')
      .select('merged_into')
      .where('project_id', '=', projectId)
      .where('id', '=', submittalThread)
      .executeTakeFirstOrThrow();
    expect(merged.merged_into).toBe(await threadOf('slab-1'));
    expect(await found({ recordType: 'submittal' })).toEqual(
      new Set(['slab-1', 'slab-2', 'slab-3']),
    );
    expect(await found({ recordType: 'item' })).toEqual(new Set(['efflorescence']));
    expect(await found({ recordType: 'transmittal' })).toEqual(new Set());
  });

  it('searches subject, body, people and attachment file names', async () => {
    expect(await found({ q: 'anchor' })).toEqual(new Set(['anchor', 'anchor-reply', 'auto-1']));
    expect(await found({ q: 'efflorescence' })).toEqual(new Set(['efflorescence']));
    // Only in an attachment's name, which is inserted after the message: the trigger saw it.
    expect(await found({ q: 'xylophonic' })).toEqual(new Set(['membrane']));
    expect(await found({ q: 'Xylophonic_Membrane_Datasheet.pdf' })).toEqual(new Set(['membrane']));
    expect(await found({ q: 'warranty letter' })).toEqual(new Set(['membrane']));
    // The quoted history is searched too, as mail clients do.
    expect(await found({ q: '"embedment depth"' })).toEqual(new Set(['anchor', 'anchor-reply']));
    expect(await found({ q: 'anchor -automatic' })).toEqual(new Set(['anchor', 'anchor-reply']));
    expect(await found({ q: 'Übergabeprotokoll' })).toEqual(new Set(['german']));
    expect(await found({ q: 'ortiz' })).toEqual(
      keysWhere((s) => [s.from, ...s.to, ...s.cc].some((p) => p?.address === sam.address)),
    );
    expect(await found({ q: 'contractor' })).toEqual(
      keysWhere((s) => [s.from, ...s.to, ...s.cc].some((p) => p?.address === dana.address)),
    );
    expect(await found({ q: 'anchor', sender: sam.address })).toEqual(new Set(['anchor-reply']));
  });

  it('never fails on search text that is not a query', async () => {
    for (const q of [
      '"',
      '&|!',
      ':*',
      '🏗️💥',
      "'",
      '\\',
      '(',
      '<->',
      '!!',
      '- -',
      '"""',
      'a & (b',
      '*:a',
    ]) {
      const page = await listCorrespondence(database.db, projectId, { q });
      if (!/[a-z]/i.test(q)) expect(page.rows, q).toEqual([]);
    }
    // Blank is no search at all.
    expect((await readAll({ q: '   ' }, { limit: 200 })).keys).toHaveLength(corpus.length);
  });

  it('sorts oldest first, by sender and by subject, each A to Z and newest first within', async () => {
    const oldest = await readAll({}, { sort: 'oldest', limit: 200 });
    expect(oldest.keys).toEqual(
      [...corpus]
        .sort(newestFirst)
        .reverse()
        .map((s) => s.key),
    );
    // The senders differ in their first letter, so every collation orders them alike; no sender
    // (an empty key) comes first.
    const sender = (s: Spec) => s.from?.address ?? '';
    const bySender = await readAll({}, { sort: 'sender', limit: 200 });
    expect(bySender.keys).toEqual(
      [...corpus]
        .sort((a, b) =>
          sender(a) < sender(b) ? -1 : sender(a) > sender(b) ? 1 : newestFirst(a, b),
        )
        .map((s) => s.key),
    );
    // Subjects are compared in the database's collation, so the database gives the expected order.
    const bySubject = await database.db
      .selectFrom('messages')
      .select('id')
      .where('project_id', '=', projectId)
      .orderBy(sql`left(normalized_subject, 200)`)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    const listed = await readAll({}, { sort: 'subject', limit: 200 });
    expect(listed.keys).toEqual(bySubject.map((row) => keys.get(row.id)));
    // A reply sorts with the message it answers ('Re: ' is not part of the key).
    const anchors = listed.keys.filter((key) => key.startsWith('anchor'));
    expect(anchors).toEqual(['anchor-reply', 'anchor']);
    expect(listed.keys.indexOf('anchor') - listed.keys.indexOf('anchor-reply')).toBe(1);
  });

  it('pages through every row exactly once in order, forwards and back, in every sort', async () => {
    for (const sort of ['newest', 'oldest', 'sender', 'subject'] as LogSort[]) {
      const whole = (await readAll({}, { sort, limit: 200 })).keys;
      // Pages of 1 put a cursor on every row, the one without a sender included.
      for (const limit of [7, 1]) {
        const label = `${sort} by ${limit}`;
        const forward: string[][] = [];
        let page = await listCorrespondence(database.db, projectId, {}, { sort, limit });
        expect(page.prevCursor, label).toBeNull();
        for (;;) {
          forward.push(page.rows.map((row) => keys.get(row.id) ?? '?'));
          if (!page.nextCursor) break;
          const cursor = page.nextCursor;
          page = await listCorrespondence(database.db, projectId, {}, { sort, limit, cursor });
        }
        expect(forward.flat(), label).toEqual(whole);
        const sizes = forward.map((p) => p.length);
        expect(sizes, label).toEqual(
          Array.from({ length: Math.ceil(whole.length / limit) }, (_, i) =>
            Math.min(limit, whole.length - i * limit),
          ),
        );
        // Back from the last page, each prevCursor gives the page before.
        for (let i = forward.length - 1; i > 0; i--) {
          const cursor = page.prevCursor;
          expect(cursor, `${label} page ${i}`).not.toBeNull();
          page = await listCorrespondence(database.db, projectId, {}, { sort, limit, cursor });
          const listed = page.rows.map((row) => keys.get(row.id));
          expect(listed, `${label} page ${i - 1}`).toEqual(forward[i - 1]);
        }
        expect(page.prevCursor, label).toBeNull();
      }
    }
  });

  it('goes back to a full first page when fewer rows than a page lie before the cursor', async () => {
    const whole = (await readAll({}, { limit: 200 })).keys;
    const first = await listCorrespondence(database.db, projectId, {}, { limit: 3 });
    const second = await listCorrespondence(
      database.db,
      projectId,
      {},
      {
        limit: 7,
        cursor: first.nextCursor,
      },
    );
    expect(second.rows.map((row) => keys.get(row.id))).toEqual(whole.slice(3, 10));
    const back = await listCorrespondence(
      database.db,
      projectId,
      {},
      {
        limit: 7,
        cursor: second.prevCursor,
      },
    );
    expect(back.rows.map((row) => keys.get(row.id))).toEqual(whole.slice(0, 7));
    expect(back.prevCursor).toBeNull();
    expect(back.nextCursor).not.toBeNull();
  });

  it('pages by the microsecond, not the millisecond of a JavaScript date', async () => {
    // Nine messages within one millisecond, the later the lower their id.
    const tiny = await insertBulk(
      'tiny',
      9,
      sql`timestamptz '2026-01-01 00:00:00+00' + (10 - g) * interval '1 microsecond'`,
    );
    const listed = (await readAll({}, { limit: 2 }, tiny)).pages.flat();
    const all = await database.db
      .selectFrom('messages')
      .select('id')
      .where('project_id', '=', tiny)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(listed).toEqual(all.map((row) => `?${row.id}`));
    expect(new Set(all.map((row) => row.id)).size).toBe(9);
    // The later the lower the id: an order by id alone would be the reverse.
    expect(all.map((row) => row.id)).toEqual(all.map((row) => row.id).sort((a, b) => a - b));
  });

  it('keeps the filters while paging', async () => {
    const paged = await readAll({ hasAttachments: true }, { limit: 2 });
    expect(paged.pages.every((p) => p.length <= 2)).toBe(true);
    expect(paged.keys).toEqual(
      corpus
        .filter((s) => s.files.length > 0)
        .sort(newestFirst)
        .map((s) => s.key),
    );
    const bySender = await readAll({ q: 'anchor' }, { sort: 'sender', limit: 1 });
    expect(bySender.keys).toEqual(['anchor', 'auto-1', 'anchor-reply']);
  });

  it('files and lists mail whose addresses are too long for an index entry', async () => {
    // A btree entry holds about 2,700 bytes, and random text does not compress. (A subject that
    // long is refused by threads_by_subject before the messages row is written.)
    const hex = (chars: number) => randomBytes(chars / 2).toString('hex');
    const huge = (await createProject(database.db, { code: 'huge', name: 'Huge' })).id;
    const long = { name: 'Long', address: `${hex(3000)}@long.example` };
    await file(huge, spec('giant', { from: long, to: [long], subject: 'Gargantuan', hours: 2 }));
    await file(huge, spec('small', { from: long, subject: 'Small', hours: 3 }));
    for (const sort of LOG_SORTS) {
      const listed = (await readAll({}, { sort, limit: 1 }, huge)).keys;
      expect(listed.sort(), sort).toEqual(['giant', 'small']);
    }
    expect((await readAll({ q: 'gargantuan' }, {}, huge)).keys).toEqual(['giant']);
    expect((await readAll({ sender: '@long.example' }, {}, huge)).keys).toEqual(['small', 'giant']);
    expect((await readAll({ recipient: '@long.example' }, {}, huge)).keys).toEqual(['giant']);
  });

  it('rejects cursors it did not write, and bad filters', async () => {
    const { nextCursor } = await listCorrespondence(database.db, projectId, {}, { limit: 3 });
    expect(nextCursor).not.toBeNull();
    const payload = JSON.parse(Buffer.from(nextCursor ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const forged = (changes: Record<string, unknown>) =>
      Buffer.from(JSON.stringify({ ...payload, ...changes })).toString('base64url');
    const rejected = async (options: CorrespondenceOptions, query: CorrespondenceQuery = {}) => {
      const error: unknown = await listCorrespondence(database.db, projectId, query, options).catch(
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(options)).toBeInstanceOf(DocketError);
      expect((error as DocketError).code).toBe('invalid_input');
    };
    // The untouched cursor is accepted: the rejections below are about the changes.
    await expect(
      listCorrespondence(database.db, projectId, {}, { cursor: nextCursor }),
    ).resolves.toBeTruthy();
    await rejected({ cursor: 'not-a-cursor' });
    await rejected({ cursor: (nextCursor ?? '').slice(0, -4) });
    await rejected({ cursor: forged({ i: -1 }) });
    await rejected({ cursor: forged({ i: '1 or 1=1' }) });
    await rejected({ cursor: forged({ t: '2026-02-30T09:00:00.000000Z' }) });
    await rejected({ cursor: forged({ t: "2026-11-02'; drop table messages; --" }) });
    await rejected({ cursor: forged({ g: 'dana@contractor.example' }) });
    await rejected({ cursor: forged({ v: 2 }) });
    await rejected({ cursor: forged({ d: 'sideways' }) });
    await rejected({ sort: 'sender', cursor: nextCursor });
    await rejected({ sort: 'oldest', cursor: nextCursor });
    await rejected({ limit: 0 });
    await rejected({ limit: 1000 });
    await rejected({ sort: 'loudest' as LogSort });
    await rejected({}, { sender: 'dana' });
    await rejected({}, { recipient: 'a@' });
    await rejected({}, { flags: ['spam' as 'bounce'] });
    await rejected({}, { receivedSince: new Date('not a date') });
  });

  it.skipIf(testDatabaseKind === 'pglite')(
    'reads the first and a deep page through an index, with no sort, in a big log',
    async () => {
      // PostgreSQL only: the plan is what matters for the deployments that hold millions of
      // messages; the embedded database runs the same SQL, and generating and analysing
      // thousands of rows in WebAssembly would only slow the suite down.
      const db = database.db;
      const bulk = await insertBulk(
        'bulk',
        6000,
        sql`timestamptz '2026-01-01 00:00:00.123456+00' + g * interval '1 minute'`,
      );
      await sql`analyze messages`.execute(db);

      const plan = async (sort: LogSort, deep: boolean) => {
        const options = { sort, limit: 50 };
        let cursor: string | null = null;
        if (deep) {
          for (let i = 0; i < 40; i++) {
            cursor = (await listCorrespondence(db, bulk, {}, { ...options, cursor })).nextCursor;
          }
        }
        const position = cursor ? decodeCursor(cursor, sort).position : null;
        const segments = logQuerySegments(db, bulk, {}, sort, false, position);
        const plans: string[] = [];
        for (const segment of segments) {
          const compiled = segment.limit(51).compile();
          const result = await db.executeQuery<{ 'QUERY PLAN': string }>(
            CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
          );
          plans.push(result.rows.map((row) => row['QUERY PLAN']).join('\n'));
        }
        return plans;
      };
      for (const [sort, index] of [
        ['newest', 'messages_log_received'],
        ['oldest', 'messages_log_received'],
        ['sender', 'messages_log_sender'],
        ['subject', 'messages_log_subject'],
      ] as const) {
        for (const deep of [false, true]) {
          const plans = await plan(sort, deep);
          expect(plans.length).toBe(deep && (sort === 'sender' || sort === 'subject') ? 2 : 1);
          for (const text of plans) {
            expect(text, `${sort} ${deep}`).toContain(`Index Scan`);
            expect(text, `${sort} ${deep}`).toContain(index);
            expect(text, `${sort} ${deep}`).not.toMatch(/Seq Scan|Sort/);
            if (deep)
              expect(text, `${sort} ${deep}`).toMatch(
                /Index Cond: .*received_at|Index Cond: .*(from_address|normalized_subject)/,
              );
          }
        }
      }
    },
  );

  it('fills the columns of messages filed before the migration, and comes down cleanly', async () => {
    // A database of its own, migrated only as far as this migration: migrations added after it
    // are not this test's business.
    const bare = await createBareDatabase();
    try {
      const files = new FileMigrationProvider({ fs, path, migrationFolder });
      const migrator = new Migrator({
        db: bare.db,
        provider: {
          getMigrations: async () =>
            Object.fromEntries(
              Object.entries(await files.getMigrations()).filter(
                ([name]) => name <= THIS_MIGRATION,
              ),
            ),
        },
      });
      expect((await migrator.migrateTo(PREVIOUS_MIGRATION)).error).toBeUndefined();
      const before = (await createProject(bare.db, { code: 'before', name: 'Before' })).id;
      const old = spec('old', {
        from: sam,
        to: [priya],
        files: ['Quonset_Hut_Layout.dwg'],
        hours: 1,
      });
      const filed = await storeAndFile(bare.db, blobs, before, build(old), { receivedAt: at(1) });
      expect((await migrator.migrateToLatest()).error).toBeUndefined();

      const log = async (query: CorrespondenceQuery) =>
        (await listCorrespondence(bare.db, before, query)).rows.map((row) => row.id);
      // The log's own query: listCorrespondence would also look for attachment text, which a
      // later migration adds.
      const [searched] = logQuerySegments(
        bare.db,
        before,
        { text: 'quonset' },
        'newest',
        false,
        null,
      );
      expect((await searched?.execute())?.map((row) => row.id)).toEqual([filed.messageId]);
      expect(await log({ recipient: '@steelfab.example' })).toEqual([filed.messageId]);
      expect(await log({ sender: '@architect.example' })).toEqual([filed.messageId]);

      expect((await migrator.migrateDown()).error).toBeUndefined();
      const left = await sql<{ name: string }>`
        select column_name as name from information_schema.columns
        where table_name = 'messages' and column_name in ('search', 'recipients', 'from_domain')
        union all
        select proname from pg_proc where proname like 'messages\_%' or proname like 'docket\_%'
      `.execute(bare.db);
      expect(left.rows).toEqual([]);
    } finally {
      await bare.destroy();
    }
  });
});
