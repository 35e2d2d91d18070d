import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../src/blobs/file-blob-store.js';
import { storeDelivery } from '../../src/inbound/store-delivery.js';
import { fileInboundMessage, fileMessages } from '../../src/ingest/file-message.js';
import { FilingQueue } from '../../src/ingest/filing-queue.js';
import type { FilingItem } from '../../src/ingest/filing-run.js';
import { prepareMail } from '../../src/ingest/prepare-mail.js';
import { readEnvelopeHeaders } from '../../src/mail/envelope-headers.js';
import { headerBlockOf } from '../../src/mail/header-capture.js';
import { createProject } from '../../src/projects/project.repository.js';
import { loadMessageMix } from '../../bench/message-mix.js';
import { rawMessage } from '../support/deliver-raw.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

const dana = 'Dana Fields <dana@contractor.example>';
const sam = 'Sam Ortiz <sam@architect.example>';

/**
 * Conversations whose threading depends on what was filed before: replies before their parents,
 * a message proving two threads are one (a merge), a chain whose middle comes last, Outlook's
 * Thread-Index, record tags and a subject match.
 */
function conversations(): Buffer[] {
  const at = (minute: number) => `Mon, 02 Nov 2026 09:${String(minute).padStart(2, '0')}:00 +0000`;
  const mail = (minute: number, headers: Record<string, string>, from = dana, to = sam) =>
    rawMessage({
      From: from,
      To: `${to}, twr@docket.localhost`,
      Date: at(minute),
      Subject: 'Curtain wall anchors',
      ...headers,
    });
  return [
    mail(1, { 'Message-ID': '<b@x>', 'In-Reply-To': '<a@x>', Subject: 'Re: Curtain wall anchors' }),
    mail(2, { 'Message-ID': '<a@x>' }),
    mail(3, { 'Message-ID': '<p@x>', Subject: 'Level 2 slab pour' }),
    mail(4, { 'Message-ID': '<q@x>', Subject: 'Level 2 slab pour sequence' }),
    mail(5, {
      'Message-ID': '<r@x>',
      References: '<p@x> <q@x>',
      Subject: 'Re: Level 2 slab pour',
    }),
    mail(6, { 'Message-ID': '<g3@x>', 'In-Reply-To': '<g2@x>', Subject: 'Re: Anchor bolts' }),
    mail(7, { 'Message-ID': '<g1@x>', Subject: 'Anchor bolts' }),
    mail(8, { 'Message-ID': '<g2@x>', 'In-Reply-To': '<g1@x>', Subject: 'Re: Anchor bolts' }),
    mail(10, {
      'Message-ID': '<o1@x>',
      'Thread-Index': 'AdlE6Zr0JQJ3mLnXTHGZ0e9bGW+WdQ==',
      Subject: 'Façade mock-up',
    }),
    mail(11, {
      'Message-ID': '<o2@x>',
      'Thread-Index': 'AdlE6Zr0JQJ3mLnXTHGZ0e9bGW+WdQAAEgFA',
      Subject: 'RE: Façade mock-up',
    }),
    mail(12, { 'Message-ID': '<t1@x>', Subject: '[TWR SUB 03 30 00-001.0] Mix design' }),
    mail(13, { 'Message-ID': '<t2@x>', Subject: 'Fwd: [TWR SUB 03 30 00-001.0] Mix design' }),
    mail(14, { 'Message-ID': '<s1@x>', Subject: 'Crane lift plan for tower crane 2' }),
    mail(
      15,
      { 'Message-ID': '<s2@x>', Subject: 'RE: Crane lift plan for tower crane 2' },
      sam,
      dana,
    ),
    mail(16, { 'Message-ID': '<s3@x>', Subject: 'RE: Crane lift plan for tower crane 2' }),
  ];
}

/** Stores raw messages for a project as the SMTP edge does, leaving them for filing. */
async function store(
  db: TestDatabase['db'],
  blobs: FileBlobStore,
  projectId: number,
  messages: Buffer[],
) {
  const stored = [];
  for (const raw of messages) {
    const blob = await blobs.put(Readable.from([raw]));
    const headers = readEnvelopeHeaders(headerBlockOf(raw));
    const [row] = await storeDelivery(db, {
      blob,
      messageId: headers.messageId,
      transport: 'smtp',
      mailFrom: 'sender@client.example',
      clientAddress: null,
      clientHostname: null,
      helo: null,
      smtpSessionId: null,
      receivedAt: new Date('2026-11-02T12:00:00Z'),
      projects: [{ projectId, recipients: ['twr@docket.localhost'] }],
    });
    if (row?.isNew) {
      stored.push({
        project_id: projectId,
        id: row.inboundId,
        raw_sha256: blob.sha256,
        mail_from: 'sender@client.example',
        received_at: new Date('2026-11-02T12:00:00Z'),
        transport: 'smtp' as const,
        rcpt_to: ['twr@docket.localhost'],
      });
    }
  }
  return stored;
}

describe(`filing in batches on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let dataDir: string;
  let blobs: FileBlobStore;
  let projectSeq = 0;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), 'docket-batch-filing-'));
    blobs = new FileBlobStore(dataDir);
  });
  afterAll(async () => {
    await database.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const context = () => ({ db: database.db, blobs, mailDomain: 'docket.localhost' });

  /** Parses stored messages here, as the filing queue's workers would. */
  async function prepared(stored: FilingItem['inbound'][]): Promise<FilingItem[]> {
    const items: FilingItem[] = [];
    for (const inbound of stored) {
      const mail = await prepareMail(await blobs.open(inbound.raw_sha256), blobs, {
        mailFrom: inbound.mail_from,
        fromOutbox: false,
      });
      items.push({ inbound, prepared: mail, degraded: false });
    }
    return items;
  }

  /**
   * What filing decided, with thread ids replaced by the order in which threads first appear, so
   * two projects filed the same way read the same.
   */
  async function outcome(projectId: number) {
    const messages = await database.db
      .selectFrom('messages')
      .select([
        'id',
        'thread_id',
        'message_id',
        'parent_message_id',
        'filing_reasons',
        'flags',
        'search',
      ])
      .where('project_id', '=', projectId)
      .orderBy('inbound_id')
      .execute();
    const threads = await database.db
      .selectFrom('threads')
      .select([
        'id',
        'subject',
        'normalized_subject',
        'participants',
        'message_count',
        'first_message_at',
        'last_message_at',
        'merged_into',
      ])
      .where('project_id', '=', projectId)
      .orderBy('id')
      .execute();
    const keys = await database.db
      .selectFrom('thread_keys')
      .select(['key', 'thread_id'])
      .where('project_id', '=', projectId)
      .orderBy('key')
      .execute();
    const label = new Map(threads.map((thread, index) => [thread.id, `T${index + 1}`]));
    const named = (id: number | null) => (id === null ? null : (label.get(id) ?? `unknown ${id}`));
    const withLabels = (text: string) =>
      text.replace(/\bthreads? ([\d, ]+)/g, (_match, ids: string) =>
        ids.replace(/\d+/g, (id) => named(Number(id)) ?? id),
      );
    return {
      messages: messages.map((m) => ({
        thread: named(m.thread_id),
        messageId: m.message_id,
        parent: m.parent_message_id,
        flags: m.flags,
        search: m.search,
        reasons: (m.filing_reasons as { rule: string; detail: string }[]).map(
          (r) => `${r.rule}: ${withLabels(r.detail)}`,
        ),
      })),
      threads: threads.map((t) => ({
        thread: named(t.id),
        subject: t.subject,
        normalized: t.normalized_subject,
        participants: t.participants,
        count: t.message_count,
        first: t.first_message_at.toISOString(),
        last: t.last_message_at.toISOString(),
        mergedInto: named(t.merged_into),
      })),
      keys: keys.map((k) => `${k.key} → ${named(k.thread_id)}`),
    };
  }

  it('decides every thread, reason and summary exactly as filing one message at a time', async () => {
    const messages = [...conversations(), ...loadMessageMix(250)];
    const oneByOne = (await createProject(database.db, { code: `a${++projectSeq}`, name: 'A' })).id;
    const batched = (await createProject(database.db, { code: `b${++projectSeq}`, name: 'B' })).id;

    const now = new Date('2026-11-02T12:00:00Z');
    for (const inbound of await store(database.db, blobs, oneByOne, messages)) {
      await fileInboundMessage(context(), inbound, now);
    }
    const items = await prepared(await store(database.db, blobs, batched, messages));
    // Batches of several sizes, the conversations above all inside the first one.
    for (let start = 0, size = 37; start < items.length; start += size, size += 20) {
      await fileMessages(context(), batched, items.slice(start, start + size), now);
    }

    const expected = await outcome(oneByOne);
    const actual = await outcome(batched);
    expect(actual.messages.length).toBe(expected.messages.length);
    // The conversations really exercised the rules that depend on earlier filing.
    const rules = new Set(
      expected.messages.flatMap((m) => m.reasons.map((r) => r.slice(0, r.indexOf(':')))),
    );
    for (const rule of ['message-id', 'conflicting-references', 'thread-index', 'tag', 'subject']) {
      expect(rules).toContain(rule);
    }
    expect(actual.messages).toEqual(expected.messages);
    expect(actual.threads).toEqual(expected.threads);
    expect(actual.keys).toEqual(expected.keys);
  });

  it('files a retried batch once: messages already filed are left as they are', async () => {
    const projectId = (await createProject(database.db, { code: `c${++projectSeq}`, name: 'C' }))
      .id;
    const items = await prepared(
      await store(database.db, blobs, projectId, conversations().slice(0, 4)),
    );
    const now = new Date('2026-11-02T12:00:00Z');
    const first = await fileMessages(context(), projectId, items.slice(0, 2), now);
    const again = await fileMessages(context(), projectId, items, now);
    expect(again.slice(0, 2)).toEqual(first.map((filed) => ({ ...filed, alreadyFiled: true })));
    expect(again.slice(2).every((filed) => !filed.alreadyFiled)).toBe(true);
    const count = await database.db
      .selectFrom('messages')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(4);
  });
});

describe(`the filing queue's batches on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), 'docket-filing-batches-'));
  });
  afterAll(async () => {
    await database.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ends a batch with the message whose raw bytes reach the bound, and files each message once, in order', async () => {
    const blobs = new FileBlobStore(dataDir);
    const projectId = (await createProject(database.db, { code: 'twr', name: 'Tower' })).id;
    // About 1 KB and about 60 KB, against a bound of 50,000 bytes.
    const sizes = ['small', 'large', 'small', 'small', 'large', 'large', 'small'] as const;
    await store(
      database.db,
      blobs,
      projectId,
      sizes.map((size, index) =>
        rawMessage(
          {
            From: dana,
            To: 'twr@docket.localhost',
            Date: `Mon, 02 Nov 2026 09:${String(index).padStart(2, '0')}:00 +0000`,
            Subject: `Daily report ${index}`,
            'Message-ID': `<report-${index}@contractor.example>`,
          },
          'Concrete placed on level 2. '.repeat(size === 'large' ? 2150 : 36),
        ),
      ),
    );

    const batches: number[] = [];
    const log = pino(
      { level: 'debug' },
      {
        write: (line: string) => {
          const entry = JSON.parse(line) as { msg: string; filed?: number };
          if (entry.msg === 'messages filed' && entry.filed !== undefined)
            batches.push(entry.filed);
        },
      },
    );
    const queue = new FilingQueue({ db: database.db, blobs, mailDomain: 'docket.localhost' }, log, {
      batchSize: 10,
      batchBytes: 50_000,
      parsers: 0,
    });
    queue.notify();
    await queue.idle();
    await queue.stop();

    // small+large | small+small+large | large (alone: the bound is passed already) | small
    expect(batches).toEqual([2, 3, 1, 1]);
    const filed = await database.db
      .selectFrom('messages')
      .select(['subject'])
      .where('project_id', '=', projectId)
      .orderBy('id')
      .execute();
    expect(filed.map((m) => m.subject)).toEqual(sizes.map((_, index) => `Daily report ${index}`));
  });
});
