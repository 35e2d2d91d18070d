import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  docketEnv,
  freePort,
  runDocket,
  startServe,
  type ServeProcess,
} from '../support/docket-cli.js';
import { needsPostfix } from '../support/external-suites.js';
import { dropDatabase } from '../support/pg-cleanup.js';
import { PrivatePostfix } from '../support/postfix.js';
import { sendMail } from '../support/smtp-client.js';
import { SmtpSink, type SunkMessage } from '../support/smtp-sink.js';
import { createTestDatabase, testDatabaseKind, testDatabaseUrl } from '../support/test-db.js';

const DOMAIN = 'docket.example.com';
const DANA = 'dana.fields@contractor.example';
const STRANGER = 'stranger@contractor.example';

/** A message as a mail client writes it, CRLF line ends. */
const message = (id: string, from: string, to: string, subject: string) =>
  [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    'Date: Wed, 5 Nov 2025 10:00:00 +0000',
    `Message-ID: <${id}@contractor.example>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `${subject}: see the attached schedule and confirm by Friday.`,
    '',
  ].join('\r\n');

/** A delivery report's text with folded lines unfolded, so a long reply reads as one line. */
const unfolded = (report: SunkMessage) => report.raw.toString('utf8').replace(/\r?\n[ \t]+/g, ' ');

/** Retries `check` until it stops throwing: Postfix delivers, and Docket files, just behind. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

// Debian's Postfix receives mail on SMTP and hands the project domain to a real `docket serve`
// over LMTP, configured as README.md's "Running behind Postfix" says.
describe(`Postfix in front of docket serve over LMTP, on ${testDatabaseKind}`, needsPostfix, () => {
  let dataDir: string;
  let databaseUrl: string | null = null;
  let env: NodeJS.ProcessEnv;
  let lmtpPort: number;
  let serve: ServeProcess | null = null;
  /** The senders' own mail server, where Postfix's delivery reports arrive. */
  let senders: SmtpSink;
  let postfix: PrivatePostfix | null = null;

  const docket = async (...args: string[]) => {
    const result = await runDocket(args, env);
    if (result.code !== 0) throw new Error(`docket ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };

  /** The Message-IDs filed in a project, as `docket threads --json` lists them. */
  const filed = async (code: string) => {
    const threads = JSON.parse(await docket('threads', code, '--json')) as {
      messages: { messageId: string }[];
    }[];
    return threads.flatMap((thread) => thread.messages.map((m) => m.messageId));
  };

  const stopDocket = async () => {
    if (serve === null) return;
    serve.child.kill('SIGTERM');
    await serve.exited;
    serve = null;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'docket-postfix-data-'));
    if (testDatabaseUrl) {
      const database = await createTestDatabase();
      await database.db.destroy();
      databaseUrl = database.url;
    }
    env = docketEnv({
      DOCKET_DATA_DIR: dataDir,
      MAIL_DOMAIN: DOMAIN,
      SMTP_LMTP: 'true',
      SCHEDULER: 'false',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });
    await docket('project', 'create', 'twr-a', '--name', 'Tower A');
    await docket('project', 'create', 'closed', '--name', 'Closed', '--sender-policy', 'members');
    await docket('member', 'add', 'closed', DANA);
    lmtpPort = await freePort();
    serve = await startServe(env, 60_000, { smtpPort: lmtpPort });
    senders = await SmtpSink.start();
    postfix = await PrivatePostfix.start({
      relayDomain: DOMAIN,
      lmtpPort,
      smtpRoutes: { 'contractor.example': senders.port },
    });
  });

  afterAll(async () => {
    await postfix?.stop();
    await stopDocket();
    await senders?.close();
    if (databaseUrl) await dropDatabase(databaseUrl);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const smtpPort = () => postfix?.smtpPort ?? 0;
  const maillog = () => postfix?.maillog() ?? '';

  it('files the mail Postfix accepts for a project, handed over by LMTP', async () => {
    const result = await sendMail(
      smtpPort(),
      { from: DANA, to: [`twr-a@${DOMAIN}`] },
      message('accepted-1', DANA, `twr-a@${DOMAIN}`, 'Level 3 slab edge detail'),
    );
    expect(result.rcpt[0]?.code).toBe(250);
    expect(result.final[0]?.code).toBe(250);
    expect(result.final[0]?.text).toMatch(/^2\.0\.0 Ok: queued as /);

    await eventually(async () =>
      expect(await filed('twr-a')).toContain('accepted-1@contractor.example'),
    );
    expect(maillog()).toMatch(
      new RegExp(
        `postfix/lmtp\\[\\d+\\]: \\w+: to=<twr-a@${DOMAIN}>, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:${lmtpPort},.* status=sent \\(250 2\\.6\\.0 Message stored as `,
      ),
    );
  });

  it("refuses an unknown project at RCPT TO with Docket's 550 5.1.1, having asked Docket first", async () => {
    // Postfix probes Docket over LMTP and answers from the result; until the probe is back it
    // says 450 and a sender retries, as this one does.
    const reply = await eventually(async () => {
      const result = await sendMail(
        smtpPort(),
        { from: DANA, to: [`nosuch@${DOMAIN}`] },
        message('unknown-1', DANA, `nosuch@${DOMAIN}`, 'Wrong address'),
      );
      expect(result.rcpt[0]?.code).not.toBe(450);
      return result.rcpt[0];
    });
    expect(reply?.code).toBe(550);
    expect(reply?.text).toContain(
      `5.1.1 <nosuch@${DOMAIN}>: Recipient address rejected: undeliverable address: host 127.0.0.1[127.0.0.1] said: 550 5.1.1 No such project inbox: nosuch@${DOMAIN}`,
    );
    // Refused in the conversation: nothing queued, so nothing bounced to a sender that may be forged.
    expect(maillog()).not.toMatch(new RegExp(`to=<nosuch@${DOMAIN}>.* status=bounced`));
  });

  it('accepts mail for a project created after Postfix refused its address, once it asks again', async () => {
    const send = () =>
      sendMail(
        smtpPort(),
        { from: DANA, to: [`twr-b@${DOMAIN}`] },
        message('new-project-1', DANA, `twr-b@${DOMAIN}`, 'Tower B kick-off'),
      );
    await eventually(async () => expect((await send()).rcpt[0]?.code).toBe(550));
    await docket('project', 'create', 'twr-b', '--name', 'Tower B');

    const accepted = await eventually(async () => {
      const result = await send();
      expect(result.rcpt[0]?.code).toBe(250);
      return result;
    });
    expect(accepted.final[0]?.code).toBe(250);
    await eventually(async () =>
      expect(await filed('twr-b')).toContain('new-project-1@contractor.example'),
    );
  });

  it("without that check, Postfix accepts and then bounces an unknown project with Docket's 550 5.1.1 text", async () => {
    const result = await sendMail(
      postfix?.acceptFirstPort ?? 0,
      { from: DANA, to: [`nosuch-either@${DOMAIN}`] },
      message('unknown-2', DANA, `nosuch-either@${DOMAIN}`, 'Wrong address again'),
    );
    expect(result.rcpt[0]?.code).toBe(250);
    expect(result.final[0]?.code).toBe(250);

    const report = unfolded(
      await senders.waitFor(
        (m) => m.envelopeTo.includes(DANA) && m.raw.includes('unknown-2@contractor.example'),
        "Postfix's delivery report for nosuch-either@",
      ),
    );
    expect(report).toContain('Action: failed');
    expect(report).toContain(`Final-Recipient: rfc822; nosuch-either@${DOMAIN}`);
    expect(report).toContain(
      `Diagnostic-Code: smtp; 550 5.1.1 No such project inbox: nosuch-either@${DOMAIN}`,
    );
  });

  it('delivers to one project while the sender policy of the other refuses the same message', async () => {
    const result = await sendMail(
      smtpPort(),
      { from: STRANGER, to: [`twr-a@${DOMAIN}`, `closed@${DOMAIN}`] },
      message('policy-1', STRANGER, `twr-a@${DOMAIN}, closed@${DOMAIN}`, 'Unsolicited offer'),
    );
    expect(result.rcpt.map((r) => r.code)).toEqual([250, 250]);
    expect(result.final[0]?.code).toBe(250);

    await eventually(async () =>
      expect(await filed('twr-a')).toContain('policy-1@contractor.example'),
    );
    const report = unfolded(
      await senders.waitFor(
        (m) => m.envelopeTo.includes(STRANGER) && m.raw.includes('policy-1@contractor.example'),
        "Postfix's delivery report for closed@",
      ),
    );
    expect(report).toContain(`Final-Recipient: rfc822; closed@${DOMAIN}`);
    expect(report).toContain(
      `Diagnostic-Code: smtp; 550 5.7.1 ${STRANGER} is not a member of project closed, which accepts mail from its members only`,
    );
    expect(report).not.toContain(`Final-Recipient: rfc822; twr-a@${DOMAIN}`);
    expect(await filed('closed')).not.toContain('policy-1@contractor.example');
  });

  it('loses nothing while Docket restarts: Postfix keeps the mail and delivers it when Docket is back', async () => {
    await stopDocket();
    const held = ['held-1', 'held-2', 'held-3'];
    for (const id of held) {
      const result = await sendMail(
        smtpPort(),
        { from: DANA, to: [`twr-a@${DOMAIN}`] },
        message(id, DANA, `twr-a@${DOMAIN}`, `Held while Docket restarts (${id})`),
      );
      expect(result.final[0]?.code).toBe(250);
    }
    // A recipient Postfix has not verified yet cannot be checked with Docket down: 450, and its
    // sender retries later. Never a 5xx.
    const unverified = await sendMail(
      smtpPort(),
      { from: DANA, to: [`twr-a+later@${DOMAIN}`] },
      message('later-1', DANA, `twr-a+later@${DOMAIN}`, 'Sent while Docket is down'),
    );
    expect(unverified.rcpt[0]?.code).toBe(450);
    expect(unverified.rcpt[0]?.text).toMatch(/^4\.1\.1 /);

    await eventually(async () => {
      const queue = (await postfix?.queue()) ?? [];
      expect(queue).toHaveLength(held.length);
      for (const entry of queue) {
        expect(entry.recipients[0]?.delay_reason).toMatch(/Connection refused/);
      }
    });

    serve = await startServe(env, 60_000, { smtpPort: lmtpPort });
    await postfix?.flush();
    await eventually(async () => {
      const ids = await filed('twr-a');
      for (const id of held)
        expect(ids.filter((m) => m === `${id}@contractor.example`)).toHaveLength(1);
    });
    await eventually(async () => expect(await postfix?.queue()).toEqual([]));

    // The sender of the 450 retries, and now Postfix can check the address and take the mail.
    const retried = await eventually(async () => {
      const result = await sendMail(
        smtpPort(),
        { from: DANA, to: [`twr-a+later@${DOMAIN}`] },
        message('later-1', DANA, `twr-a+later@${DOMAIN}`, 'Sent while Docket is down'),
      );
      expect(result.rcpt[0]?.code).toBe(250);
      return result;
    });
    expect(retried.final[0]?.code).toBe(250);
    await eventually(async () =>
      expect(await filed('twr-a')).toContain('later-1@contractor.example'),
    );
  });
});
