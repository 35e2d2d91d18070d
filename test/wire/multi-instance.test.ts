import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listThreadsWithMessages } from '../../src/correspondence/thread-log.js';
import { MailTemplates } from '../../src/outbox/templates.js';
import { runReminderJob } from '../../src/reminders/run-reminder-job.js';
import type { ReminderContext } from '../../src/reminders/reminder-mail.js';
import type { Service } from '../../src/main.js';
import { sendMail } from '../support/smtp-client.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';

/** A small conversation: each reply names the message before it. */
function message(n: number, subject: string, replyTo: number | null): string {
  return [
    `From: Person ${n} <person${n}@contractor.example>`,
    'To: twr-a@docket.localhost',
    `Subject: ${replyTo === null ? '' : 'Re: '}${subject}`,
    `Message-ID: <m${n}@contractor.example>`,
    ...(replyTo === null ? [] : [`In-Reply-To: <m${replyTo}@contractor.example>`]),
    'Date: Tue, 01 Dec 2026 09:00:00 +0000',
    '',
    `Body of message ${n}.`,
    '',
  ].join('\r\n');
}

/** What an instance's scheduler hands the reminder jobs, built from the instance's own parts. */
function remindersOf(service: Service): ReminderContext {
  const { config } = service;
  return {
    records: {
      outbox: {
        blobs: service.blobs,
        templates: new MailTemplates(),
        mailDomain: config.mailDomain,
        relayConfigured: false,
      },
      secret: config.secret,
      mailDomain: config.mailDomain,
    },
    baseUrl: 'http://docket.test',
  };
}

/**
 * Two `docket serve` processes' worth of service on one PostgreSQL, each with its own data
 * directory (no shared disk: raw mail in the database), as behind several MX records and a load
 * balancer. Only PostgreSQL can be shared; the embedded database belongs to one process.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('two instances on one PostgreSQL', () => {
  let first: TestService;
  let second: TestService;
  let projectId: number;

  beforeAll(async () => {
    first = await startTestService({ BLOB_STORE: 'database', SCHEDULER: 'false' });
    second = await startTestService({
      BLOB_STORE: 'database',
      SCHEDULER: 'false',
      DATABASE_URL: first.service.config.databaseUrl!,
    });
    projectId = (await createTestProject(first.service, 'twr-a')).id;
  });
  afterAll(async () => {
    await second.stop();
    await first.stop();
  });

  it('files mail taken in by either instance once, in the same threads', async () => {
    const ports = [first.service.smtpPort, second.service.smtpPort];
    // Two conversations whose messages alternate between the instances, and a retry of one
    // message to the other instance (a sender that tried the second MX after a timeout).
    const mails = [
      message(1, 'Crane schedule', null),
      message(2, 'Rebar delivery', null),
      message(3, 'Crane schedule', 1),
      message(4, 'Rebar delivery', 2),
      message(5, 'Crane schedule', 3),
      message(6, 'Rebar delivery', 4),
    ];
    const deliveries = mails.map((raw, i) =>
      sendMail(
        ports[i % 2]!,
        { from: 'a@contractor.example', to: ['twr-a@docket.localhost'] },
        raw,
      ),
    );
    deliveries.push(
      sendMail(
        ports[1]!,
        { from: 'a@contractor.example', to: ['twr-a@docket.localhost'] },
        mails[0]!,
      ),
    );
    for (const result of await Promise.all(deliveries)) expect(result.final[0]?.code).toBe(250);
    // Each instance files what it can claim; between them everything is filed.
    await Promise.all([first.service.filing.idle(), second.service.filing.idle()]);
    await Promise.all([first.service.filing.idle(), second.service.filing.idle()]);

    const seenByFirst = await listThreadsWithMessages(first.service.db, projectId, { limit: 10 });
    const seenBySecond = await listThreadsWithMessages(second.service.db, projectId, { limit: 10 });
    expect(seenBySecond).toEqual(seenByFirst);
    // A thread takes the subject of whichever message was filed first, which may be a reply.
    const subjects = seenByFirst
      .map((t) => [t.subject.replace(/^Re: /, ''), t.messageCount])
      .sort();
    expect(subjects).toEqual([
      ['Crane schedule', 3],
      ['Rebar delivery', 3],
    ]);
    const filed = await first.service.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    expect(Number(filed.n)).toBe(6);
  });

  it('sends each digest once when both instances run the job at the same instant', async () => {
    const submit = (port: number, reviewer: string, title: string) =>
      sendMail(
        port,
        { from: 'dana@contractor.example', to: ['twr-a+submittal@docket.localhost'] },
        [
          'From: Dana <dana@contractor.example>',
          'To: twr-a+submittal@docket.localhost',
          `Subject: 03 30 00 ${title}`,
          `Message-ID: <${title.replace(/\W/g, '')}@contractor.example>`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b"',
          '',
          '--b',
          'Content-Type: text/plain',
          '',
          `Reviewers: ${reviewer}`,
          '--b',
          'Content-Type: application/pdf; name="doc.pdf"',
          'Content-Disposition: attachment; filename="doc.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          Buffer.from(`%PDF-1.4 ${title}`).toString('base64'),
          '--b--',
          '',
        ].join('\r\n'),
      );
    const taken = await Promise.all([
      submit(first.service.smtpPort, 'sam@architect.example', 'Mix design'),
      submit(second.service.smtpPort, 'sam@architect.example', 'Rebar shop drawings'),
      submit(second.service.smtpPort, 'kim@engineer.example', 'Formwork'),
    ]);
    for (const result of taken) expect(result.final[0]?.code).toBe(250);
    await Promise.all([first.service.filing.idle(), second.service.filing.idle()]);
    await Promise.all([first.service.filing.idle(), second.service.filing.idle()]);

    // Five weeks on, a working-day morning: all three reviews are overdue.
    const now = new Date(Date.now() + 35 * 86_400_000);
    now.setUTCHours(12, 0, 0, 0);
    while ([0, 6].includes(now.getUTCDay())) now.setUTCDate(now.getUTCDate() + 1);
    const reports = await Promise.all([
      runReminderJob(first.service.db, remindersOf(first.service), { job: 'digest' }, now),
      runReminderJob(second.service.db, remindersOf(second.service), { job: 'digest' }, now),
      runReminderJob(first.service.db, remindersOf(first.service), { job: 'digest' }, now),
    ]);
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(2);
    expect(reports.every((r) => r.failed === 0)).toBe(true);
    const digests = await second.service.db
      .selectFrom('outbox')
      .select(['to_addresses', 'text_body'])
      .where('kind', '=', 'digest')
      .execute();
    expect(digests.map((d) => d.to_addresses.join()).sort()).toEqual([
      'kim@engineer.example',
      'sam@architect.example',
    ]);
    const sams = digests.find((d) => d.to_addresses.includes('sam@architect.example'));
    expect(sams?.text_body).toContain('Mix design');
    expect(sams?.text_body).toContain('Rebar shop drawings');
  });
});
