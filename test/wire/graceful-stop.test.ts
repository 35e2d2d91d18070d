import { describe, expect, it } from 'vitest';
import { SmtpTestClient } from '../support/smtp-client.js';
import { fixture } from '../support/fixtures.js';
import { createTestProject, startTestService } from '../support/test-service.js';
import { testDatabaseKind } from '../support/test-db.js';

describe(`graceful stop on ${testDatabaseKind}`, () => {
  it('finishes a transaction already in DATA, then refuses new connections and closes idle ones', async () => {
    const test = await startTestService();
    const port = test.service.smtpPort;
    let stopping: Promise<void> | null = null;
    try {
      await createTestProject(test.service, 'twr-a');
      const idle = await SmtpTestClient.connect(port);
      await idle.command('EHLO idle.test');

      const busy = await SmtpTestClient.connect(port);
      await busy.command('EHLO busy.test');
      await busy.command('MAIL FROM:<dana@contractor.example>');
      await busy.command('RCPT TO:<twr-a@docket.localhost>');
      expect((await busy.command('DATA')).code).toBe(354);
      const message = fixture('rfi-question.eml').toString('latin1');
      const half = Math.floor(message.length / 2);
      busy.write(message.slice(0, half));
      await new Promise((resolve) => setTimeout(resolve, 100));

      stopping = test.service.stop();
      await new Promise((resolve) => setTimeout(resolve, 100));
      busy.write(`${message.slice(half)}\r\n.\r\n`);
      const final = await busy.reply();
      expect(final.code).toBe(250);
      await stopping;

      await expect(SmtpTestClient.connect(port)).rejects.toThrow();
      expect(await idle.reply()).toEqual({ code: 421, text: 'Server shutting down' });
    } finally {
      if (!stopping) await test.service.stop();
      await test.cleanup();
    }
  });
});
