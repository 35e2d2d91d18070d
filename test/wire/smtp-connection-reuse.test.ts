import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpTestClient } from '../support/smtp-client.js';
import { testDatabaseKind } from '../support/test-db.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';

const message = (id: string) =>
  [
    'From: Dana Fields <dana@contractor.example>',
    `Subject: Message ${id}`,
    'Date: Tue, 4 Nov 2025 09:00:00 +0000',
    `Message-ID: <${id}@contractor.example>`,
    '',
    `Body of ${id}.`,
    '',
  ].join('\r\n');

describe(`several messages over one SMTP connection, on ${testDatabaseKind}`, () => {
  let test: TestService;
  beforeAll(async () => {
    test = await startTestService();
    await createTestProject(test.service, 'alpha');
    await createTestProject(test.service, 'beta');
  });
  afterAll(() => test.stop());

  const storedIn = async (messageId: string) =>
    (
      await test.service.db
        .selectFrom('inbound_messages')
        .innerJoin('projects', 'projects.id', 'inbound_messages.project_id')
        .innerJoin('messages', (join) =>
          join
            .onRef('messages.project_id', '=', 'inbound_messages.project_id')
            .onRef('messages.inbound_id', '=', 'inbound_messages.id'),
        )
        .select('projects.code')
        .where('messages.message_id', '=', messageId)
        .orderBy('projects.code')
        .execute()
    ).map((row) => row.code);

  // A relay sends many messages per connection: each transaction's recipients are its own, so a
  // second message is never stored for the first one's project.
  it('stores each message only for the projects of its own RCPT TO', async () => {
    const client = await SmtpTestClient.connect(test.service.smtpPort);
    try {
      await client.command('EHLO relay.test');
      for (const [id, to] of [
        ['first', 'alpha'],
        ['second', 'beta'],
      ] as const) {
        expect((await client.command('MAIL FROM:<dana@contractor.example>')).code).toBe(250);
        expect((await client.command(`RCPT TO:<${to}@docket.localhost>`)).code).toBe(250);
        expect((await client.data(message(id))).final[0]?.code).toBe(250);
      }
    } finally {
      await client.quit();
    }
    await test.service.filing.idle();
    expect(await storedIn('first@contractor.example')).toEqual(['alpha']);
    expect(await storedIn('second@contractor.example')).toEqual(['beta']);
  });

  it('still stores the second message for its own project', async () => {
    expect(await storedIn('second@contractor.example')).toContain('beta');
  });
});
