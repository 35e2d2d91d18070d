import { createConnection } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertMember } from '../../src/projects/member.repository.js';
import { SmtpTestClient, sendMail } from '../support/smtp-client.js';
import { fixture } from '../support/fixtures.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { testDatabaseKind } from '../support/test-db.js';

describe(`SMTP refusals on ${testDatabaseKind}`, () => {
  let test: TestService;
  let port: number;
  beforeAll(async () => {
    test = await startTestService({ SMTP_MAX_RECIPIENTS: '3', MAX_MESSAGE_BYTES: '4096' });
    port = test.service.smtpPort;
    await createTestProject(test.service, 'twr-a');
    const closed = await createTestProject(test.service, 'closed', 'members');
    await upsertMember(test.service.db, {
      projectId: closed.id,
      email: 'dana.fields@contractor.example',
    });
  });
  afterAll(() => test.stop());

  it.each([
    ['an unknown project', 'nosuch@docket.localhost'],
    ['another domain', 'twr-a@example.com'],
    ['an address that cannot be a project', 'twr_a!@docket.localhost'],
  ])('refuses %s at RCPT TO with 550 5.1.1', async (_label, address) => {
    const result = await sendMail(
      port,
      { from: 'a@example.com', to: [address] },
      fixture('rfi-question.eml'),
    );
    expect(result.rcpt[0]?.code).toBe(550);
    expect(result.rcpt[0]?.text).toMatch(/^5\.1\.1 No such project inbox/);
  });

  it('accepts the project address in any case and with a subaddress', async () => {
    const result = await sendMail(
      port,
      { from: 'a@example.com', to: ['TWR-A@Docket.Localhost', 'twr-a+submittal@docket.localhost'] },
      fixture('rfi-question.eml'),
    );
    expect(result.rcpt.map((r) => r.code)).toEqual([250, 250]);
    expect(result.final[0]?.code).toBe(250);
  });

  it('answers 452 4.5.3 once the recipient limit is reached', async () => {
    const to = [
      'twr-a@docket.localhost',
      'twr-a+1@docket.localhost',
      'twr-a+2@docket.localhost',
      'twr-a+3@docket.localhost',
    ];
    const result = await sendMail(port, { from: 'a@example.com', to }, fixture('rfi-question.eml'));
    expect(result.rcpt.map((r) => r.code)).toEqual([250, 250, 250, 452]);
    expect(result.rcpt[3]?.text).toMatch(/^4\.5\.3 Too many recipients/);
  });

  it('refuses a declared SIZE over the limit at MAIL FROM with 552 5.3.4', async () => {
    const client = await SmtpTestClient.connect(port);
    await client.command('EHLO client.test');
    const reply = await client.command('MAIL FROM:<a@example.com> SIZE=999999');
    await client.quit();
    expect(reply.code).toBe(552);
    expect(reply.text).toMatch(/^5\.3\.4 /);
  });

  it('drains a message that turns out too large, then answers 552 5.3.4 and stores nothing', async () => {
    const big = `${fixture('rfi-question.eml').toString()}\r\n${'x'.repeat(78).concat('\r\n').repeat(80)}`;
    const before = await countInbound(test);
    const result = await sendMail(
      port,
      { from: 'a@example.com', to: ['twr-a@docket.localhost'] },
      big,
    );
    expect(result.final[0]?.code).toBe(552);
    expect(result.final[0]?.text).toMatch(/^5\.3\.4 Message exceeds/);
    expect(await countInbound(test)).toBe(before);
  });

  it('refuses a sender the project policy does not allow at DATA with 550 5.7.1 and the reason', async () => {
    const raw = fixture('rfi-question.eml')
      .toString()
      .replace('dana.fields@contractor.example', 'stranger@elsewhere.example');
    const result = await sendMail(
      port,
      { from: 'stranger@elsewhere.example', to: ['closed@docket.localhost'] },
      raw,
    );
    expect(result.data?.code).toBe(354);
    expect(result.final[0]?.code).toBe(550);
    expect(result.final[0]?.text).toContain(
      '5.7.1 stranger@elsewhere.example is not a member of project closed',
    );
  });

  it('accepts the same project mail from a member', async () => {
    const result = await sendMail(
      port,
      { from: 'dana.fields@contractor.example', to: ['closed@docket.localhost'] },
      fixture('rfi-question.eml'),
    );
    expect(result.final[0]?.code).toBe(250);
  });

  it('answers 421 to a connection past SMTP_MAX_CONNECTIONS, and serves the next once one closes', async () => {
    const limited = await startTestService({ SMTP_MAX_CONNECTIONS: '1' });
    try {
      const smtpPort = limited.service.smtpPort;
      const first = await SmtpTestClient.connect(smtpPort);
      expect(await greeting(smtpPort)).toMatch(/^421 .*Too many connected clients/);
      await first.quit();
      // The server notices the closed connection a moment later.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await greeting(smtpPort)).toMatch(/^220 /);
    } finally {
      await limited.stop();
    }
  });
});

async function countInbound(test: TestService): Promise<number> {
  const row = await test.service.db
    .selectFrom('inbound_messages')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The first line a new connection is greeted with. */
function greeting(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) {
        socket.destroy();
        resolve(text.split('\r\n')[0] ?? '');
      }
    });
    socket.on('error', reject);
  });
}
