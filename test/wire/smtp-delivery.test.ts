import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listThreadsWithMessages } from '../../src/correspondence/thread-log.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { sendMail } from '../support/smtp-client.js';
import { fixture } from '../support/fixtures.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { testDatabaseKind } from '../support/test-db.js';

describe(`SMTP delivery and filing on ${testDatabaseKind}`, () => {
  let test: TestService;
  let port: number;
  let projectId: number;
  beforeAll(async () => {
    test = await startTestService();
    port = test.service.smtpPort;
    projectId = (await createTestProject(test.service, 'twr-a')).id;
  });
  afterAll(() => test.stop());

  const deliver = (name: string, to = ['twr-a@docket.localhost'], from = 'sender@example.com') =>
    sendMail(port, { from, to }, fixture(name));

  it('answers 250 only with the raw message committed, byte for byte', async () => {
    const result = await deliver('with-attachment.eml');
    expect(result.final[0]?.code).toBe(250);
    const inbound = await test.service.db
      .selectFrom('inbound_messages')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('raw_size', '=', fixture('with-attachment.eml').length)
      .executeTakeFirstOrThrow();
    expect(inbound.mail_from).toBe('sender@example.com');
    expect(inbound.client_address).toMatch(/127\.0\.0\.1/);
    expect(inbound.helo).toBe('client.test');
    const raw = await test.service.blobs.read(inbound.raw_sha256);
    expect(raw.equals(fixture('with-attachment.eml'))).toBe(true);
  });

  it('files the message with its attachment stored content-addressed', async () => {
    await test.service.filing.idle();
    const message = await test.service.db
      .selectFrom('messages')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('message_id', '=', 'stair2-shop@steelfab.example')
      .executeTakeFirstOrThrow();
    expect(message.subject).toBe('Shop drawings for stair 2');
    expect(message.from_address).toBe('priya@steelfab.example');
    expect(message.attachment_count).toBe(1);
    const attachment = await test.service.db
      .selectFrom('attachments')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('message_id', '=', message.id)
      .executeTakeFirstOrThrow();
    expect(attachment).toMatchObject({
      filename: 'Stair 2 - SD-101.pdf',
      content_type: 'application/pdf',
      inline: false,
    });
    const bytes = await test.service.blobs.read(attachment.blob_sha256);
    expect(bytes.subarray(0, 8).toString()).toBe('%PDF-1.4');
    expect(bytes.length).toBe(attachment.size);
  });

  it('stores the same message once per project, however often and to however many of its addresses', async () => {
    await deliver('rfi-question.eml');
    await deliver('rfi-question.eml');
    await deliver('rfi-question.eml', ['twr-a+rfi@docket.localhost', 'TWR-A@docket.localhost']);
    await test.service.filing.idle();
    const rows = await test.service.db
      .selectFrom('inbound_messages')
      .select(['deliveries', 'rcpt_to'])
      .where('project_id', '=', projectId)
      .where('dedupe_key', 'like', 'mid:%')
      .where('raw_size', '=', fixture('rfi-question.eml').length)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.deliveries).toBe(3);
    expect(rows[0]?.rcpt_to).toEqual(['twr-a+rfi@docket.localhost', 'twr-a@docket.localhost']);
    const messages = await test.service.db
      .selectFrom('messages')
      .select('id')
      .where('project_id', '=', projectId)
      .where('message_id', '=', 'slab-edge-1@contractor.example')
      .execute();
    expect(messages).toHaveLength(1);
  });

  it('keys a message without Message-ID by its bytes', async () => {
    await deliver('no-message-id.eml');
    await deliver('no-message-id.eml');
    await test.service.filing.idle();
    const rows = await test.service.db
      .selectFrom('messages')
      .select(['parse_warnings'])
      .where('project_id', '=', projectId)
      .where('subject', '=', 'Daily report 3 November')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.parse_warnings).toContain('no Message-ID header');
  });

  it('threads a reply with its question and flags an out-of-office', async () => {
    await deliver('rfi-answer.eml');
    await deliver('out-of-office.eml');
    await test.service.filing.idle();
    const threads = await listThreadsWithMessages(test.service.db, projectId, { limit: 10 });
    const thread = threads.find((t) => t.subject === 'Level 3 slab edge detail');
    expect(thread?.messages.map((m) => m.messageId)).toEqual([
      'slab-edge-2@architect.example',
      'ooo-1@architect.example',
      'slab-edge-1@contractor.example',
    ]);
    const answer = await test.service.db
      .selectFrom('messages')
      .select(['reply_text', 'elided_text', 'filing_reasons', 'flags'])
      .where('project_id', '=', projectId)
      .where('message_id', '=', 'slab-edge-2@architect.example')
      .executeTakeFirstOrThrow();
    expect(answer.reply_text).toContain('detail 7/S-502 governs');
    expect(answer.reply_text).not.toContain('Which one governs?');
    expect(answer.elided_text).toContain('Which one governs?');
    expect(answer.filing_reasons.map((r) => r.rule)).toContain('references');
    const ooo = await test.service.db
      .selectFrom('messages')
      .select('flags')
      .where('project_id', '=', projectId)
      .where('message_id', '=', 'ooo-1@architect.example')
      .executeTakeFirstOrThrow();
    expect(ooo.flags).toContain('auto-reply');
    expect(answer.flags).not.toContain('auto-reply');
  });

  it('stores and files a malformed message with warnings instead of failing', async () => {
    const result = await deliver('malformed.eml');
    expect(result.final[0]?.code).toBe(250);
    await test.service.filing.idle();
    const message = await test.service.db
      .selectFrom('messages')
      .select(['parse_warnings', 'flags'])
      .where('project_id', '=', projectId)
      .where('to_addresses', '@>', sql<never>`'[{"address":"twr-a@docket.localhost"}]'::jsonb`)
      .where('parse_warnings', '@>', sql<string[]>`array['no Message-ID header']`)
      .where('subject', 'like', '%meeting%')
      .executeTakeFirstOrThrow();
    expect(message.parse_warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/Date header/)]),
    );
    expect(message.flags).toContain('parse-warning');
  });

  it('answers 451 4.3.0 when the database fails mid-delivery, and files the retry exactly once', async () => {
    const { db } = test.service;
    await sql`create or replace function docket_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'injected storage fault'; end $$`.execute(db);
    await sql`create trigger docket_test_fail before insert on inbound_messages
      for each row execute function docket_test_fail()`.execute(db);
    const failed = await deliver(
      'rfi-question.eml',
      ['twr-a@docket.localhost'],
      'fault@example.com',
    );
    const raw = fixture('rfi-question.eml').toString().replace('slab-edge-1@', 'fault-test@');
    const failedNew = await sendMail(
      port,
      { from: 'fault@example.com', to: ['twr-a@docket.localhost'] },
      raw,
    );
    await sql`drop trigger docket_test_fail on inbound_messages`.execute(db);
    expect(failedNew.final[0]?.code).toBe(451);
    expect(failedNew.final[0]?.text).toMatch(/^4\.3\.0 /);
    expect(failed.final[0]?.code).toBe(451);
    expect(await countMessages(test, 'fault-test@contractor.example')).toBe(0);

    const retry = await sendMail(
      port,
      { from: 'fault@example.com', to: ['twr-a@docket.localhost'] },
      raw,
    );
    expect(retry.final[0]?.code).toBe(250);
    const again = await sendMail(
      port,
      { from: 'fault@example.com', to: ['twr-a@docket.localhost'] },
      raw,
    );
    expect(again.final[0]?.code).toBe(250);
    await test.service.filing.idle();
    expect(await countMessages(test, 'fault-test@contractor.example')).toBe(1);
  });

  it('answers 451 4.3.0 when the blob store cannot write, and accepts the retry', async () => {
    const tmp = path.join(test.dataDir, 'blobs', 'tmp');
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(path.dirname(tmp), { recursive: true });
    // A file where the store wants its directory: every write fails, as on a full or broken disk.
    writeFileSync(tmp, 'not a directory');
    // Past the size kept in the database row (on PostgreSQL), so the raw message is a file too.
    const padding = 'x'.repeat(76) + '\r\n';
    const raw =
      fixture('rfi-question.eml').toString().replace('slab-edge-1@', 'disk-fault@') +
      padding.repeat(Math.ceil(test.service.config.blobInlineMaxBytes / padding.length) + 1);
    const failed = await sendMail(
      port,
      { from: 'disk@example.com', to: ['twr-a@docket.localhost'] },
      raw,
    );
    rmSync(tmp);
    expect(failed.final[0]?.code).toBe(451);
    expect(failed.final[0]?.text).toMatch(/^4\.3\.0 /);
    const retry = await sendMail(
      port,
      { from: 'disk@example.com', to: ['twr-a@docket.localhost'] },
      raw,
    );
    expect(retry.final[0]?.code).toBe(250);
    await test.service.filing.idle();
    expect(await countMessages(test, 'disk-fault@contractor.example')).toBe(1);
  });

  it('gives one reply per recipient in LMTP mode', async () => {
    const lmtp = await startTestService({ SMTP_LMTP: 'true' });
    try {
      await createTestProject(lmtp.service, 'open');
      const closed = await createTestProject(lmtp.service, 'closed', 'members');
      await upsertMember(lmtp.service.db, { projectId: closed.id, email: 'someone@else.example' });
      const result = await sendMail(
        lmtp.service.smtpPort,
        {
          from: 'dana.fields@contractor.example',
          to: ['open@docket.localhost', 'closed@docket.localhost'],
          lmtp: true,
        },
        fixture('rfi-question.eml'),
      );
      expect(result.final.map((r) => r.code)).toEqual([250, 550]);
      expect(result.final[1]?.text).toMatch(/^5\.7\.1 /);
    } finally {
      await lmtp.stop();
    }
  });
});

async function countMessages(test: TestService, messageId: string): Promise<number> {
  const row = await test.service.db
    .selectFrom('messages')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('message_id', '=', messageId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
