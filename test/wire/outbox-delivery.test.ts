import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextAttemptAt } from '../../src/outbox/delivery-worker.js';
import { enqueueMail } from '../../src/outbox/enqueue.js';
import { MailTemplates } from '../../src/outbox/templates.js';
import type { Project } from '../../src/db/database.js';
import { SmtpSink, headerOf } from '../support/smtp-sink.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { testDatabaseKind } from '../support/test-db.js';

describe(`outbox delivery through a relay on ${testDatabaseKind}`, () => {
  let sink: SmtpSink;
  let test: TestService;
  let project: Project;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    test = await startTestService({ SMTP_RELAY_URL: sink.url, OUTBOX_MAX_ATTEMPTS: '2' });
    project = await createTestProject(test.service, 'out');
  });
  afterAll(async () => {
    await test.stop();
    await sink.close();
  });

  async function enqueue(to: string) {
    const { db, blobs } = test.service;
    return db.transaction().execute((trx) =>
      enqueueMail(
        trx,
        {
          blobs,
          templates: new MailTemplates(),
          mailDomain: 'docket.localhost',
          relayConfigured: true,
        },
        {
          project,
          kind: 'not-counted',
          template: 'review-not-counted',
          data: { subject: 'Test', number: null, reason: 'a test', acceptedResponses: null },
          to: [to],
        },
        new Date(),
      ),
    );
  }
  const row = (id: number) =>
    test.service.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const deliverNow = async () => {
    await test.service.db
      .updateTable('outbox')
      .set({ next_attempt_at: new Date() })
      .where('status', '=', 'queued')
      .execute();
    test.service.delivery?.notify();
    await test.service.delivery?.idle();
  };

  it('sends the stored bytes with our headers and marks the row sent', async () => {
    const { outboxId, messageId } = await enqueue('dana@contractor.example');
    await deliverNow();
    const sent = await sink.waitFor(
      (m) => m.parsed.messageId === `<${messageId}>`,
      'the queued message',
    );
    expect(sent.envelopeFrom).toBe('out+bounces@docket.localhost');
    expect(headerOf(sent, 'x-auto-response-suppress')).toBe('OOF, AutoReply');
    const stored = await row(outboxId);
    expect(stored.status).toBe('sent');
    const storedBytes = await test.service.blobs.read(stored.raw_sha256);
    expect(sent.raw.equals(storedBytes)).toBe(true);
  });

  it('keeps going when the database fails to record a delivery, and keeps the row to retry', async () => {
    const { db } = test.service;
    const { outboxId, messageId } = await enqueue('lucy@contractor.example');
    // Fails every update but the claim (the claim counts an attempt; recording one does not).
    await sql`create or replace function docket_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'injected database fault'; end $$`.execute(db);
    await sql`create trigger docket_test_fail before update on outbox for each row
      when (new.attempts = old.attempts) execute function docket_test_fail()`.execute(db);
    try {
      test.service.delivery?.notify();
      await test.service.delivery?.idle();
    } finally {
      await sql`drop trigger docket_test_fail on outbox`.execute(db);
    }
    await sink.waitFor((m) => m.parsed.messageId === `<${messageId}>`, 'the message');
    // The relay took it, the outbox could not say so: still queued under the claim's lease.
    expect(await row(outboxId)).toMatchObject({ status: 'queued', attempts: 1, sent_at: null });

    await deliverNow();
    expect(await row(outboxId)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('retries a temporary refusal with back-off, then gives up after the maximum attempts', async () => {
    sink.refuse = (address) =>
      address.startsWith('busy@') ? { code: 451, text: '4.3.0 try later' } : null;
    const { outboxId } = await enqueue('busy@contractor.example');
    await deliverNow();
    const first = await row(outboxId);
    expect(first).toMatchObject({ status: 'queued', attempts: 1 });
    expect(first.last_error).toContain('451');
    expect(first.next_attempt_at?.getTime()).toBeGreaterThan(Date.now());
    await deliverNow();
    expect(await row(outboxId)).toMatchObject({
      status: 'failed',
      attempts: 2,
      next_attempt_at: null,
    });
  });

  it('fails a permanent refusal at once', async () => {
    sink.refuse = (address) =>
      address.startsWith('gone@') ? { code: 550, text: '5.1.1 no such user' } : null;
    const { outboxId } = await enqueue('gone@contractor.example');
    await deliverNow();
    expect(await row(outboxId)).toMatchObject({ status: 'failed', attempts: 1 });
  });
});

describe('nextAttemptAt', () => {
  it.each([
    [1, 60],
    [2, 120],
    [3, 240],
    [10, 6 * 3600],
  ])('after %i failed attempts waits %i seconds', (attempts, seconds) => {
    const now = new Date('2026-11-27T09:00:00Z');
    expect((nextAttemptAt(now, attempts).getTime() - now.getTime()) / 1000).toBe(seconds);
  });
});
