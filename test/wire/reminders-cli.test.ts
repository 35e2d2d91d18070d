import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeReply } from '../support/compose-reply.js';
import { docketEnv, runDocket, startServe, type DocketResult } from '../support/docket-cli.js';
import { dropDatabase } from '../support/pg-cleanup.js';
import { sendMail } from '../support/smtp-client.js';
import { createTestDatabase, testDatabaseKind, testDatabaseUrl } from '../support/test-db.js';

const SAM = 'sam@architect.example';
// Each step starts a process that opens the database; a busy CI machine can take its time.
const SLOW_MS = 300_000;

interface OutboxJson {
  kind: string;
  to_addresses: string[];
  subject: string;
  text_body: string;
}

/** A weekday three weeks from now at 07:05 UTC: Sam's ten-working-day review is overdue by then. */
function weeksLater(): Date {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 21);
  while ([0, 6].includes(day.getUTCDay())) day.setUTCDate(day.getUTCDate() + 1);
  day.setUTCHours(7, 5, 0, 0);
  return day;
}

describe(`docket jobs run, end to end on ${testDatabaseKind}`, { timeout: SLOW_MS }, () => {
  let dataDir: string;
  let databaseUrl: string | null = null;
  let env: NodeJS.ProcessEnv;
  const docket = async (...args: string[]): Promise<DocketResult> => {
    const result = await runDocket(args, env, SLOW_MS);
    if (result.code !== 0 && !args.includes('no-such-job')) {
      throw new Error(`docket ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
    }
    return result;
  };
  const digests = async () =>
    (
      JSON.parse(
        (await docket('outbox', 'twr-a', '--json', '--limit', '100')).stdout,
      ) as OutboxJson[]
    ).filter((m) => m.kind === 'digest');

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'docket-reminders-'));
    if (testDatabaseUrl) {
      const database = await createTestDatabase();
      await database.db.destroy();
      databaseUrl = database.url;
    }
    env = docketEnv({
      DOCKET_DATA_DIR: dataDir,
      DOCKET_SECRET: 'test-secret-test-secret-test-secret-0123',
      HTTP_HOST: 'docket.example',
      HTTP_PORT: '8080',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });
    await docket('project', 'create', 'twr-a', '--name', 'Tower A', '--timezone', 'Europe/London');
    await docket('workflow', 'add', 'twr-a', 'Default', '--steps', SAM);
    await docket('project', 'reminders', 'twr-a', '--digest-time', '07:00');

    // A real submittal by mail, filed by a running server (its scheduler off: the test runs jobs).
    const serve = await startServe({ ...env, SCHEDULER: 'false' }, SLOW_MS);
    try {
      const raw = composeReply({
        from: 'Dana Fields <dana@contractor.example>',
        to: 'twr-a+submittal@docket.localhost',
        subject: '03 30 00 Concrete mix design',
        messageId: 'mix-1@contractor.example',
        body: 'Type: Product Data',
        attachment: {
          filename: 'mix.pdf',
          content: Buffer.from('%PDF-1.4\n%%EOF\n'),
          contentType: 'application/pdf',
        },
      });
      const sent = await sendMail(
        serve.smtpPort,
        { from: 'dana@contractor.example', to: ['twr-a+submittal@docket.localhost'] },
        raw,
      );
      expect(sent.final[0]?.code).toBe(250);
      for (let i = 0; ; i++) {
        const register = JSON.parse((await docket('submittals', 'twr-a', '--json')).stdout) as {
          ball_in_court?: string[];
          ballInCourt?: string[];
        }[];
        if (register.length > 0) break;
        if (i > 100) throw new Error('the submittal was never filed');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  }, 3 * SLOW_MS);

  afterAll(async () => {
    if (databaseUrl) await dropDatabase(databaseUrl);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('--dry-run prints what would be sent and writes nothing', async () => {
    const now = weeksLater().toISOString();
    const result = await docket('jobs', 'run', 'digest', '--now', now, '--dry-run');
    expect(result.stdout).toContain(`digest at ${now}: would send 1`);
    expect(result.stdout).toContain(`${SAM} (digest,`);
    expect(result.stdout).toMatch(
      /twr-a 03 30 00-001\.0 Concrete mix design — due \w{3}, \d{1,2} \w{3} \d{4} \(overdue \d+ working day/,
    );
    expect(await digests()).toEqual([]);
  });

  it('without --dry-run puts one digest per person in the outbox, once', async () => {
    const now = weeksLater().toISOString();
    const first = await docket('jobs', 'run', 'digest', '--now', now);
    expect(first.stdout).toContain(`digest at ${now}: sent 1`);
    const again = await docket('jobs', 'run', 'digest', '--now', now);
    expect(again.stdout).toContain(`digest at ${now}: sent 0`);
    const mail = await digests();
    expect(mail.map((m) => m.to_addresses)).toEqual([[SAM]]);
    expect(mail[0]?.subject).toMatch(/^Daily digest .*: 1 item waiting for you, 1 overdue$/);
    expect(mail[0]?.text_body).toMatch(/reply to: twr-a\+r-[a-z2-7]+@docket\.localhost/);
    expect(mail[0]?.text_body).toContain('http://docket.example:8080/p/twr-a/threads/');
  });

  it('a paused member gets nothing until resumed', async () => {
    const next = weeksLater();
    next.setUTCDate(next.getUTCDate() + (next.getUTCDay() === 5 ? 3 : 1));
    const now = next.toISOString();
    const paused = await docket('member', 'pause', 'twr-a', SAM);
    expect(paused.stdout).toContain('paused until resumed');
    expect((await docket('jobs', 'run', 'digest', '--now', now)).stdout).toContain('sent 0');
    await docket('member', 'resume', 'twr-a', SAM);
    expect((await docket('jobs', 'run', 'digest', '--now', now)).stdout).toContain('sent 1');
    expect(await digests()).toHaveLength(2);
  });

  it('lists the jobs and refuses an unknown one', async () => {
    expect((await docket('jobs', 'list')).stdout).toMatch(
      /^digest .*\nescalation .*\nweekly .*\nsessions .*\noutbox /m,
    );
    const unknown = await docket('jobs', 'run', 'no-such-job');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'no job "no-such-job": one of digest, escalation, weekly, sessions, outbox',
    );
  });
});
