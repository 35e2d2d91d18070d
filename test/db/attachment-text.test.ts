import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pendingTexts,
  queueProjectTexts,
} from '../../src/attachment-text/attachment-text.repository.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../../src/attachment-text/extraction-limits.js';
import { TextIndexer, type TextIndexerOptions } from '../../src/attachment-text/text-indexer.js';
import { FileBlobStore } from '../../src/blobs/file-blob-store.js';
import { runCommand } from '../../src/cli/commands/registry.js';
import { loadConfig } from '../../src/config.js';
import { listCorrespondence } from '../../src/correspondence/correspondence-log.js';
import type { AttachmentTextState } from '../../src/db/database.js';
import { FilingQueue } from '../../src/ingest/filing-queue.js';
import { createProject } from '../../src/projects/project.repository.js';
import { composeReply, type ComposedAttachment } from '../support/compose-reply.js';
import { storeAndFile } from '../support/deliver-raw.js';
import { docx, xlsx, zipBombDocx } from '../support/office-files.js';
import {
  encryptedPdf,
  endlessStreamPdf,
  manyPagesPdf,
  png,
  textPdf,
} from '../support/pdf-files.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const GIGABYTE = 1024 ** 3;

/** Small enough to read the 100,000-page PDF quickly; the rest as `docket serve` has them. */
const limits = { ...DEFAULT_EXTRACTION_LIMITS, maxPages: 50 };

describe(`reading attachments' text, and finding messages by it, on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let dataDir: string;
  let blobs: FileBlobStore;
  let projectId: number;
  let sequence = 0;
  let podiumPdf: Buffer;
  const messages = new Map<string, number>();

  const db = () => database.db;
  const file = async (key: string, subject: string, body: string, files: ComposedAttachment[]) => {
    const raw = composeReply({
      from: 'Dana Fields <dana@contractor.example>',
      to: 'twr-a@docket.localhost',
      subject,
      messageId: `${key}-${++sequence}@test.example`,
      body,
      attachments: files,
    });
    const filed = await storeAndFile(db(), blobs, projectId, Buffer.from(raw));
    messages.set(key, filed.messageId);
    return filed.messageId;
  };
  const indexWith = async (options: Partial<TextIndexerOptions> = {}) => {
    const indexer = new TextIndexer({ db: db(), blobs }, pino({ level: 'silent' }), {
      workers: 1,
      limits,
      ...options,
    });
    indexer.notify();
    await indexer.idle();
    await indexer.stop();
  };
  const textsOf = (key: string) =>
    db()
      .selectFrom('attachment_texts as t')
      .innerJoin('attachments as a', (join) =>
        join.onRef('a.project_id', '=', 't.project_id').onRef('a.id', '=', 't.attachment_id'),
      )
      .select(['a.filename', 't.state', 't.kind', 't.detail', 't.pages', 't.text', 't.attempts'])
      .where('t.project_id', '=', projectId)
      .where('t.message_id', '=', messages.get(key) ?? -1)
      .orderBy('a.position')
      .execute();
  const search = async (q: string) =>
    (await listCorrespondence(db(), projectId, { q }, { limit: 50 })).rows;
  const found = async (q: string) => {
    const ids = new Set((await search(q)).map((row) => row.id));
    return [...messages].filter(([, id]) => ids.has(id)).map(([key]) => key);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), 'docket-texts-'));
    blobs = new FileBlobStore(dataDir);
    projectId = (await createProject(db(), { code: 'twr-a', name: 'Tower A' })).id;
    podiumPdf = await textPdf([
      ['Mix design submittal', 'Supplier: Northern Ready-Mix'],
      ['Podium slab concrete: 30 MPa at 28 days', 'Exposure class C-1, air-entrained'],
    ]);
    await file('mix', 'Concrete mix design', 'See attached.', [
      { filename: 'mix-design.pdf', content: podiumPdf, contentType: PDF },
    ]);
    await file('spec', 'Specification section', 'Attached for reference.', [
      {
        filename: 'spec-03-30-00.docx',
        content: docx(
          ['Section 03 30 00 Cast-in-place concrete', 'Curing compound shall be water-based.'],
          'Tower A Project Manual',
        ),
        contentType: DOCX,
      },
    ]);
    await file('schedule', 'Rebar schedule', 'Latest.', [
      {
        filename: 'schedule.xlsx',
        content: xlsx([
          ['Mark', 'Lap splice (mm)'],
          ['Hairpin dowels', 650],
        ]),
        contentType: XLSX,
      },
    ]);
    await file('notes', 'Site notes', 'Two files.', [
      {
        filename: 'notes.txt',
        content: Buffer.from('Scaffold tie-ins at gridline 7'),
        contentType: 'text/plain',
      },
      {
        filename: 'minutes.html',
        content: Buffer.from('<html><body><p>Crane <b>jumpform</b> inspection</p></body></html>'),
        contentType: 'text/html',
      },
    ]);
    await file('hostile', 'Files from an unknown sender', 'Have a look.', [
      { filename: 'bomb.docx', content: zipBombDocx(2 * GIGABYTE, 'honest'), contentType: DOCX },
      {
        filename: 'bomb-lying.docx',
        content: zipBombDocx(2 * GIGABYTE, 'small'),
        contentType: DOCX,
      },
      { filename: 'endless.pdf', content: endlessStreamPdf(4 * GIGABYTE), contentType: PDF },
      { filename: 'pages.pdf', content: manyPagesPdf(100_000, 'Repeated sheet'), contentType: PDF },
      { filename: 'plan.pdf', content: png(), contentType: PDF },
      {
        filename: 'locked.pdf',
        content: encryptedPdf('Sealed bid 4200000', 'tender'),
        contentType: PDF,
      },
      {
        filename: 'membrane.bin',
        content: await textPdf([['Waterproofing membrane, torch-applied']]),
        contentType: 'application/octet-stream',
      },
    ]);
  }, 120_000);

  afterAll(async () => {
    await database?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves every filed attachment waiting to be read: the database queues them, not filing', async () => {
    const states = await db()
      .selectFrom('attachment_texts')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('project_id', '=', projectId)
      .groupBy('state')
      .execute();
    expect(states.map((row) => [row.state, Number(row.n)])).toEqual([['pending', 12]]);
    expect(await found('podium')).toEqual([]);
  });

  it('reads PDF, Word, Excel, text and HTML attachments, in worker threads', async () => {
    await indexWith();
    expect(await textsOf('mix')).toMatchObject([
      { filename: 'mix-design.pdf', state: 'extracted', kind: 'pdf', pages: 2, detail: null },
    ]);
    expect((await textsOf('mix'))[0]?.text).toMatch(/Podium slab concrete: 30 MPa at 28 days/);
    expect(await textsOf('spec')).toMatchObject([
      { state: 'extracted', kind: 'docx', pages: null },
    ]);
    expect(await textsOf('schedule')).toMatchObject([
      { state: 'extracted', kind: 'xlsx', text: 'Mark\tLap splice (mm)\nHairpin dowels\t650' },
    ]);
    expect(await textsOf('notes')).toMatchObject([
      { state: 'extracted', kind: 'text', text: 'Scaffold tie-ins at gridline 7' },
      { state: 'extracted', kind: 'html', text: 'Crane jumpform inspection' },
    ]);
  });

  it('finds a message by words only its attachment holds, and says which attachment and where', async () => {
    const rows = await search('podium slab 30 MPa');
    expect(rows.map((row) => row.id)).toEqual([messages.get('mix')]);
    const [match] = rows[0]?.attachmentMatches ?? [];
    expect(match).toMatchObject({ filename: 'mix-design.pdf', messageId: messages.get('mix') });
    const marked = match?.headline.filter((part) => part.match).map((part) => part.text);
    expect(marked).toEqual(['Podium', 'slab', '30', 'MPa']);
    expect(match?.headline.map((part) => part.text).join('')).toContain(
      'Podium slab concrete: 30 MPa at 28 days',
    );
    // Without a search nothing is matched.
    const all = (await listCorrespondence(db(), projectId, {}, { limit: 50 })).rows;
    expect(all.every((row) => row.attachmentMatches.length === 0)).toBe(true);
  });

  it('keeps positions, so a quoted phrase in an attachment is found in its order only', async () => {
    expect(await found('"30 MPa"')).toEqual(['mix']);
    expect(await found('"MPa 30"')).toEqual([]);
    expect(await found('podium -concrete')).toEqual([]);
  });

  it('searches Word headers, spreadsheet cells, text and HTML files', async () => {
    expect(await found('curing compound water-based')).toEqual(['spec']);
    expect(await found('"project manual"')).toEqual(['spec']);
    expect(await found('hairpin dowels 650')).toEqual(['schedule']);
    expect(await found('scaffold gridline')).toEqual(['notes']);
    expect(await found('jumpform')).toEqual(['notes']);
    const [notes] = await search('jumpform');
    expect(notes?.attachmentMatches.map((m) => m.filename)).toEqual(['minutes.html']);
  });

  it('bounds every hostile file in time and memory and records why it has no text', async () => {
    const byName = new Map((await textsOf('hostile')).map((row) => [row.filename, row]));
    const outcome = (name: string) => {
      const row = byName.get(name);
      return { state: row?.state, kind: row?.kind, detail: row?.detail };
    };
    // A zip bomb stops at the inflation limit, whether the archive tells the truth about its
    // size or claims a small one (then the reader notices the part is larger than it says).
    expect(outcome('bomb.docx')).toEqual({
      state: 'no_text',
      kind: 'docx',
      detail: 'no text (stopped after 100 MB of XML)',
    });
    expect(outcome('bomb-lying.docx')).toMatchObject({ state: 'no_text', kind: 'docx' });
    expect(outcome('bomb-lying.docx').detail).toMatch(/^the file is broken \(too many bytes/);
    // A content stream inflating to gigabytes: its worker is stopped for memory (or, on a slow
    // machine, time) and the process goes on.
    expect(outcome('endless.pdf').state).toBe('failed');
    expect(outcome('endless.pdf').detail).toMatch(
      /^(needed more than 512 MB of memory|took longer than 60 s)$/,
    );
    // A hundred thousand pages: the first fifty are read.
    expect(outcome('pages.pdf')).toEqual({
      state: 'extracted',
      kind: 'pdf',
      detail: 'first 50 of 100,000 pages',
    });
    expect(byName.get('pages.pdf')?.pages).toBe(50);
    // A picture named .pdf is recognised by its bytes.
    expect(outcome('plan.pdf')).toEqual({
      state: 'no_text',
      kind: 'image',
      detail: 'a PNG image: no text to read (it is labelled application/pdf, named plan.pdf)',
    });
    expect(outcome('locked.pdf')).toEqual({
      state: 'no_text',
      kind: 'pdf',
      detail: 'the PDF needs a password',
    });
    // A PDF sent as octet-stream with another name is read all the same, beside the others.
    expect(outcome('membrane.bin')).toEqual({ state: 'extracted', kind: 'pdf', detail: null });
    expect(await found('torch-applied membrane')).toEqual(['hostile']);
    expect(await found('"repeated sheet"')).toEqual(['hostile']);
    expect(await found('sealed bid')).toEqual([]);
  });

  it('takes the text of bytes already read instead of reading them again', async () => {
    await file('again', 'Mix design, again', 'Resent.', [
      { filename: 'mix-design-copy.pdf', content: podiumPdf, contentType: PDF },
      {
        filename: 'locked-again.pdf',
        content: encryptedPdf('Sealed bid 4200000', 'tender'),
        contentType: PDF,
      },
    ]);
    // This reader would refuse any file (one byte at most): what it records, it took.
    await indexWith({ limits: { ...limits, maxBytes: 1 } });
    expect(await textsOf('again')).toMatchObject([
      { filename: 'mix-design-copy.pdf', state: 'extracted', kind: 'pdf', pages: 2 },
      { filename: 'locked-again.pdf', state: 'no_text', detail: 'the PDF needs a password' },
    ]);
    expect(await found('podium slab')).toEqual(['mix', 'again']);
  });

  it('reads again what was filed before attachment text existed, and what did not finish', async () => {
    // Attachments filed before the migration have no row at all.
    await db()
      .deleteFrom('attachment_texts')
      .where('project_id', '=', projectId)
      .where('message_id', '=', messages.get('spec') ?? -1)
      .execute();
    expect(await found('curing compound')).toEqual([]);

    const queued = await queueProjectTexts(db(), projectId);
    expect(queued).toBe(2); // spec-03-30-00.docx, never read; endless.pdf, which did not finish
    expect(await pendingTexts(db(), projectId)).toEqual({ pending: 2, unclaimed: 2 });
    expect(await queueProjectTexts(db(), projectId)).toBe(0);

    const lines: string[] = [];
    const ticks: number[] = [];
    const config = loadConfig({ DOCKET_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    await runCommand(
      'reindex',
      {
        db: db(),
        blobs,
        config,
        filing: new FilingQueue(
          { db: db(), blobs, mailDomain: config.mailDomain },
          pino({ level: 'silent' }),
        ),
        io: {
          out: (text) => lines.push(text),
          progress: (total) => {
            ticks.push(-total);
            return { tick: (delta = 1) => ticks.push(delta), stop: () => undefined };
          },
        },
      },
      { code: 'twr-a' },
    );
    expect(lines[0]).toBe('Queued 0 attachments of twr-a; 2 to read.');
    expect(ticks[0]).toBe(-2);
    expect(ticks.slice(1).reduce((a, b) => a + b, 0)).toBe(2);
    // 14 attachments: 8 read (2 + 50 + 1 + 2 PDF pages), 5 without text (the bombs, the PNG, the
    // locked PDFs), and endless.pdf, which was read again and again did not finish.
    expect(lines[1]).toBe(
      'twr-a: 8 attachments with text (55 PDF pages), 5 without text (pictures, encrypted or unreadable files), 1 whose reading did not finish.',
    );
    expect(await found('curing compound')).toEqual(['spec']);
  });

  it('leaves a claim held by another process alone until its lease runs out, and gives up on a file that never finishes', async () => {
    const [spec] = await textsOf('spec');
    expect(spec).toBeDefined();
    const key = { project_id: projectId, message_id: messages.get('spec') ?? -1 };
    const setRow = (values: {
      state: AttachmentTextState;
      claimed_until: Date | null;
      attempts: number;
    }) =>
      db()
        .updateTable('attachment_texts')
        .set(values)
        .where('project_id', '=', key.project_id)
        .where('message_id', '=', key.message_id)
        .execute();
    // Claimed by a process that is still within its lease: not taken.
    await setRow({ state: 'pending', claimed_until: new Date(Date.now() + 60_000), attempts: 1 });
    await indexWith();
    expect((await textsOf('spec'))[0]).toMatchObject({ state: 'pending', attempts: 1 });
    // Its lease has run out (the process died): read again.
    await setRow({ state: 'pending', claimed_until: new Date(Date.now() - 1000), attempts: 1 });
    await indexWith();
    expect((await textsOf('spec'))[0]).toMatchObject({ state: 'extracted', attempts: 2 });
    // Claimed three times already, each time by a process that never came back: given up.
    await setRow({ state: 'pending', claimed_until: null, attempts: 3 });
    await indexWith();
    expect((await textsOf('spec'))[0]).toMatchObject({
      state: 'failed',
      detail: 'given up after 3 attempts that never finished',
      // What an earlier reading found is kept.
      text: expect.stringContaining('Curing compound') as string,
    });
  });

  it('hands back what it was reading when it stops, for the next start to read', async () => {
    const endless = () =>
      db()
        .selectFrom('attachment_texts as t')
        .innerJoin('attachments as a', (join) =>
          join.onRef('a.project_id', '=', 't.project_id').onRef('a.id', '=', 't.attachment_id'),
        )
        .select(['t.state', 't.attempts', 't.claimed_until'])
        .where('a.filename', '=', 'endless.pdf')
        .executeTakeFirstOrThrow();
    await queueProjectTexts(db(), projectId);
    expect(await endless()).toMatchObject({ state: 'pending', attempts: 0, claimed_until: null });
    const indexer = new TextIndexer({ db: db(), blobs }, pino({ level: 'silent' }), {
      workers: 1,
      limits,
    });
    indexer.notify();
    // Stopped while it reads the file (it takes a second or more to reach the memory limit).
    await expect.poll(async () => (await endless()).claimed_until, { interval: 20 }).not.toBeNull();
    await indexer.stop();
    expect(await endless()).toMatchObject({ state: 'pending', attempts: 0, claimed_until: null });
  });

  it('keeps search vectors within what PostgreSQL can hold, however much text there is', async () => {
    const id = await file('huge', 'Survey data', 'Point cloud export.', [
      { filename: 'a.txt', content: Buffer.from('x'), contentType: 'text/plain' },
      { filename: 'b.txt', content: Buffer.from('y'), contentType: 'text/plain' },
      { filename: 'c.txt', content: Buffer.from('z'), contentType: 'text/plain' },
    ]);
    // A megabyte of distinct words per attachment (hashes), as a reader could have recorded:
    // a tsvector of all of it would be refused ("string is too long for tsvector").
    await sql`
      update attachment_texts set state = 'extracted',
        text = (select string_agg(md5(attachment_id || ':' || i), ' ') from generate_series(1, 30000) i)
              || ' benchmarkword'
      where project_id = ${projectId} and message_id = ${id}`.execute(db());
    const sizes = await db()
      .selectFrom('attachment_texts')
      .select('search_bytes')
      .where('message_id', '=', id)
      .execute();
    expect(sizes).toHaveLength(3);
    for (const { search_bytes } of sizes) {
      expect(search_bytes).toBeGreaterThan(100_000);
      expect(search_bytes).toBeLessThanOrEqual(384 * 1024);
    }
    // The message is still searchable by its own words, and filing more to it still works.
    expect(await found('"point cloud export"')).toEqual(['huge']);
    await sql`update messages set subject = subject || ' (revised)' where id = ${id}`.execute(db());
    expect(await found('survey revised')).toEqual(['huge']);
  });

  it('comes down cleanly, and up again', async () => {
    const migrator = new Migrator({
      db: db(),
      provider: new FileMigrationProvider({
        fs,
        path,
        migrationFolder: fileURLToPath(new URL('../../migrations', import.meta.url)),
      }),
    });
    const last = (await migrator.getMigrations()).at(-1)?.name;
    expect(last).toBe('2026-12-04T1000_attachment_text');
    expect((await migrator.migrateDown()).error).toBeUndefined();
    const left = await sql<{ name: string }>`
      select table_name as name from information_schema.tables where table_name = 'attachment_texts'
      union all
      select proname from pg_proc
      where proname like 'attachment\_text%' or proname in ('attachments_queue_text', 'docket_tsvector_agg')
    `.execute(db());
    expect(left.rows).toEqual([]);
    // Messages are searched by their own words again, and no longer by their attachments'.
    const searched = (q: string) =>
      sql<{ id: number }>`select id from messages
        where project_id = ${projectId} and search @@ websearch_to_tsquery('simple', ${q})`
        .execute(db())
        .then((result) => result.rows.map((row) => row.id));
    expect(await searched('podium')).toEqual([]);
    expect(await searched('"concrete mix design"')).toEqual([messages.get('mix')]);

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await pendingTexts(db(), projectId)).toEqual({ pending: 0, unclaimed: 0 });
    expect(await queueProjectTexts(db(), projectId)).toBeGreaterThan(10);
  });
});
