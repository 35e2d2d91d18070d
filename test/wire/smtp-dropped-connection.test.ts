import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMail, SmtpTestClient } from '../support/smtp-client.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { testDatabaseKind } from '../support/test-db.js';

const MESSAGE = [
  'From: Dana Fields <dana@contractor.example>',
  'To: twr-a@docket.localhost',
  'Subject: Level 3 pour',
  'Message-ID: <pour-1@contractor.example>',
  '',
  'The pour moves to Thursday.',
  '',
].join('\r\n');

/**
 * Clients vanish mid-transaction all the time on the internet (a reset, a timeout, a laptop lid).
 * The server must shrug: nothing half-received is stored, nothing is left waiting, and the next
 * client is served.
 */
describe(`a client that drops the connection mid-transaction, on ${testDatabaseKind}`, () => {
  let test: TestService;

  const storedCount = async () => {
    const row = await test.service.db
      .selectFrom('inbound_messages')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };

  /** Opens a transaction up to DATA and sends half the message. */
  const halfway = async () => {
    const client = await SmtpTestClient.connect(test.service.smtpPort);
    await client.command('EHLO dropped.test');
    await client.command('MAIL FROM:<dana@contractor.example>');
    await client.command('RCPT TO:<twr-a@docket.localhost>');
    expect((await client.command('DATA')).code).toBe(354);
    client.write(MESSAGE.slice(0, MESSAGE.length / 2));
    // Let the server start reading (and staging) the message before the client goes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return client;
  };

  const stagedFiles = () => {
    try {
      return readdirSync(path.join(test.dataDir, 'blobs', 'tmp'));
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    test = await startTestService({ SCHEDULER: 'false' });
    await createTestProject(test.service, 'twr-a');
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  it('stores nothing of a message cut by a reset or a hang-up in DATA, and serves the next client', async () => {
    (await halfway()).reset();
    (await halfway()).hangUp();
    const inEnvelope = await SmtpTestClient.connect(test.service.smtpPort);
    await inEnvelope.command('EHLO dropped.test');
    await inEnvelope.command('MAIL FROM:<dana@contractor.example>');
    inEnvelope.reset();
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(await storedCount()).toBe(0);
    expect(stagedFiles()).toEqual([]);

    const next = await sendMail(
      test.service.smtpPort,
      { from: 'dana@contractor.example', to: ['twr-a@docket.localhost'] },
      MESSAGE,
    );
    expect(next.final.map((reply) => reply.code)).toEqual([250]);
    expect(await storedCount()).toBe(1);
  });

  it('stops cleanly afterwards: no transaction is left waiting for the rest of a message', async () => {
    (await halfway()).reset();
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      test.service.stop().then(() => 'stopped'),
      new Promise((resolve) => (timer = setTimeout(() => resolve('still waiting'), 15_000))),
    ]);
    clearTimeout(timer);
    expect(stopped).toBe('stopped');
  });
});
