import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadSummary } from '../../src/correspondence/thread-log.js';
import {
  docketEnv,
  repoRoot,
  runDocket,
  startServe,
  type DocketResult,
  type ServeProcess,
} from '../support/docket-cli.js';
import { dropDatabase } from '../support/pg-cleanup.js';
import { SmtpTestClient } from '../support/smtp-client.js';
import { createTestDatabase, testDatabaseKind, testDatabaseUrl } from '../support/test-db.js';

/** `docket threads --json` as it prints: dates are ISO strings. */
type ThreadJson = Omit<ThreadSummary, 'firstMessageAt' | 'lastMessageAt' | 'messages'> & {
  firstMessageAt: string;
  lastMessageAt: string;
  messages: (Omit<ThreadSummary['messages'][number], 'date'> & { date: string })[];
};

const fixturesMail = path.join(repoRoot, 'fixtures', 'mail');
const fixtureCount = readdirSync(fixturesMail).filter((name) => name.endsWith('.eml')).length;

/** A message as a mail client writes it, CRLF line ends. */
const plainMessage = (id: string, subject: string) =>
  [
    'From: Dana Fields <dana.fields@contractor.example>',
    'To: twr-a@docket.localhost',
    `Subject: ${subject}`,
    'Date: Wed, 5 Nov 2025 10:00:00 +0000',
    `Message-ID: <${id}@contractor.example>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `${subject}: see the attached schedule and confirm by Friday.`,
    '',
  ].join('\r\n');

describe(`the docket command, on ${testDatabaseKind}`, () => {
  let dataDir: string;
  let workDir: string;
  let databaseUrl: string | null = null;
  let env: NodeJS.ProcessEnv;
  const servers: ServeProcess[] = [];
  /** `docket threads --json` right after the fixtures were imported. */
  let imported: ThreadJson[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'docket-cli-data-'));
    workDir = mkdtempSync(path.join(tmpdir(), 'docket-cli-work-'));
    if (testDatabaseUrl) {
      const database = await createTestDatabase();
      await database.db.destroy();
      databaseUrl = database.url;
    }
    env = docketEnv({
      DOCKET_DATA_DIR: dataDir,
      // Dana is a manager: at its first five-minute tick a running server's scheduler would file
      // this week's summary to her in twr-a, a thread that appears between two listings here.
      SCHEDULER: 'false',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });
  });

  afterAll(async () => {
    for (const serve of servers) {
      if (serve.child.exitCode === null && serve.child.signalCode === null) {
        serve.child.kill('SIGKILL');
        await serve.exited;
      }
    }
    if (databaseUrl) await dropDatabase(databaseUrl);
    for (const dir of [dataDir, workDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const docket = (...args: string[]) => runDocket(args, env);

  const expectSuccess = (result: DocketResult) => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  };

  /** A refusal reads as one line on stderr, `docket: …`, and a non-zero exit; nothing on stdout. */
  const expectOneErrorLine = (result: DocketResult, pattern: RegExp) => {
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^docket: /);
    expect(lines[0]).toMatch(pattern);
    expect(result.stdout).toBe('');
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
  };

  const threadsJson = async (code: string) => {
    const result = await docket('threads', code, '--json');
    expectSuccess(result);
    return JSON.parse(result.stdout) as ThreadJson[];
  };

  /** Retries `check` until it stops throwing: filing runs just behind the SMTP `250`. */
  const eventually = async <T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await check();
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  };

  describe('with no server running', () => {
    it('creates a project and prints its inbox address', async () => {
      const result = await docket(
        'project',
        'create',
        'twr-a',
        '--name',
        'Tower A',
        '--timezone',
        'America/New_York',
      );
      expectSuccess(result);
      expect(result.stdout).toContain(
        'Created project twr-a (Tower A), time zone America/New_York',
      );
      expect(result.stdout.split('\n')).toContain('Inbox: twr-a@docket.localhost');
    });

    it('refuses a second project with the same code in one clear line', async () => {
      expectOneErrorLine(
        await docket('project', 'create', 'TWR-A', '--name', 'Tower A again'),
        /project "twr-a" already exists/,
      );
    });

    it('refuses a code that cannot be an inbox address in one clear line', async () => {
      expectOneErrorLine(
        await docket('project', 'create', 'Tower A!', '--name', 'Tower A'),
        /project code "Tower A!" must be .*letters, digits or inner hyphens/,
      );
    });

    it('refuses a member with an unknown role or a malformed address, and adds a valid one', async () => {
      const badRole = await docket(
        'member',
        'add',
        'twr-a',
        'dana.fields@contractor.example',
        '--role',
        'boss',
      );
      expectOneErrorLine(badRole, /'boss'.*manager, reviewer, member/);
      const badEmail = await docket('member', 'add', 'twr-a', 'dana.fields-at-contractor.example');
      expectOneErrorLine(badEmail, /"dana\.fields-at-contractor\.example" is not an email address/);

      const added = await docket(
        'member',
        'add',
        'twr-a',
        'Dana.Fields@Contractor.example',
        '--name',
        'Dana Fields',
        '--role',
        'manager',
      );
      expectSuccess(added);
      expect(added.stdout.trim()).toBe('dana.fields@contractor.example is a manager of twr-a.');
    });

    it('imports a folder of .eml files with a summary, and skips them all as duplicates the second time', async () => {
      const first = await docket('import', 'twr-a', fixturesMail);
      expectSuccess(first);
      expect(first.stdout.trim()).toMatch(
        new RegExp(
          `^Imported ${fixtureCount} messages into twr-a; 0 duplicates skipped; \\d+ filed with parse warnings\\.$`,
        ),
      );
      const again = await docket('import', 'twr-a', fixturesMail);
      expectSuccess(again);
      expect(again.stdout.trim()).toBe(
        `Imported 0 messages into twr-a; ${fixtureCount} duplicates skipped; 0 filed with parse warnings.`,
      );
    });

    it('lists threads as JSON, newest first, every imported message once', async () => {
      const threads = await threadsJson('twr-a');
      expect(threads.length).toBeGreaterThan(1);
      const last = threads.map((thread) => Date.parse(thread.lastMessageAt));
      expect(last).toEqual([...last].sort((a, b) => b - a));
      for (const thread of threads) {
        expect(thread.messages).toHaveLength(thread.messageCount);
        const dates = thread.messages.map((message) => Date.parse(message.date));
        expect(dates).toEqual([...dates].sort((a, b) => b - a));
      }
      expect(threads.flatMap((thread) => thread.messages)).toHaveLength(fixtureCount);
      const rfi = threads.find((thread) =>
        thread.messages.some((m) => m.messageId === 'slab-edge-1@contractor.example'),
      );
      expect(rfi?.messages.map((m) => m.messageId)).toEqual([
        'slab-edge-2@architect.example',
        'ooo-1@architect.example',
        'slab-edge-1@contractor.example',
      ]);

      imported = threads;
    });
  });

  describe('while `docket serve` runs', () => {
    let serve: ServeProcess;
    beforeAll(async () => {
      serve = await startServe(env);
      servers.push(serve);
    });

    it('still runs commands, through the running server', async () => {
      const created = await docket('project', 'create', 'twr-b', '--name', 'Tower B');
      expectSuccess(created);
      expect(created.stdout.split('\n')).toContain('Inbox: twr-b@docket.localhost');
      expectOneErrorLine(
        await docket('project', 'create', 'twr-b', '--name', 'Tower B'),
        /project "twr-b" already exists/,
      );
      expect(await threadsJson('twr-a')).toEqual(imported);
      const limited = await docket('threads', 'twr-a', '--json', '--limit', '1');
      expect((JSON.parse(limited.stdout) as ThreadJson[]).map((thread) => thread.id)).toEqual([
        imported[0]?.id,
      ]);
    });

    // Commands go through the server's control socket only when it holds the embedded database.
    it.skipIf(testDatabaseUrl !== null)(
      'keeps serving when a command is interrupted while the server sends its output',
      async () => {
        // As `docket threads` does over the server's control socket, but gone at the first line,
        // as after a Ctrl-C: the server's next writes meet a closed socket.
        const socketPath = path.join(dataDir, 'docket.sock');
        const interrupted = () =>
          new Promise<void>((resolve) => {
            const client = createConnection(socketPath);
            client.on('error', () => undefined);
            client.once('data', () => client.destroy());
            client.once('close', () => resolve());
            client.write(`${JSON.stringify({ command: 'threads', input: { code: 'twr-a' } })}\n`);
          });
        for (let i = 0; i < 20; i++) await interrupted();
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(serve.child.exitCode).toBeNull();
        expect(await threadsJson('twr-a')).toEqual(imported);
      },
    );

    it.skipIf(testDatabaseUrl !== null)(
      'stops an import carried out by the server when its docket is interrupted',
      async () => {
        // Enough that an import not stopped would still be running when the client has gone.
        const total = 1_000;
        const mbox = path.join(workDir, 'interrupted.mbox');
        writeFileSync(
          mbox,
          Array.from(
            { length: total },
            (_, i) =>
              `From dana@contractor.example Fri Nov 27 10:00:00 2026\nFrom: dana@contractor.example\n` +
              `Subject: Daily report ${i}\nMessage-ID: <interrupted-${i}@contractor.example>\n\nReport ${i}.\n\n`,
          ).join(''),
        );
        await new Promise<void>((resolve) => {
          const client = createConnection(path.join(dataDir, 'docket.sock'));
          client.on('error', () => undefined);
          client.once('data', () => client.destroy()); // the progress bar starts: Ctrl-C
          client.once('close', () => resolve());
          client.write(
            `${JSON.stringify({ command: 'import', input: { code: 'twr-b', source: mbox } })}\n`,
          );
        });
        // The server stops the import at its next message (a test that never sees this times out).
        await serve.waitForLog(
          'control command failed',
          (entry) =>
            (entry.err as { message?: string }).message === 'the docket command was interrupted',
        );
        // What it stored before stopping is kept; the rest comes in when asked again.
        const again = await docket('import', 'twr-b', mbox);
        expectSuccess(again);
        const [, fresh, skipped] =
          /^Imported (\d+) messages? into twr-b; (\d+) duplicates? skipped/.exec(again.stdout) ??
          [];
        expect(Number(fresh) + Number(skipped)).toBe(total);
        expect(Number(skipped)).toBeLessThan(total);
      },
      // Importing a thousand messages on a machine busy with other test files takes its time.
      180_000,
    );

    it('refuses, through the server too, in one clear line', async () => {
      expectOneErrorLine(
        await docket('member', 'add', 'nosuch', 'dana.fields@contractor.example'),
        /no project "nosuch"/,
      );
      expectOneErrorLine(
        await docket('import', 'twr-a', path.join(workDir, 'missing.mbox')),
        /cannot read .*missing\.mbox/,
      );
    });

    it('lists threads as text with each message under its thread', async () => {
      const result = await docket('threads', 'twr-a');
      expectSuccess(result);
      expect(result.stdout).toMatch(
        /^#\d+ {2}Shop drawings for stair 2 {2}\[1 message, last \S+Z\]\n {4}\S+Z {2}priya@steelfab\.example {2}Shop drawings for stair 2 {2}📎1$/m,
      );
      expect(result.stdout).toMatch(
        /^ {4}\S+ {2}sam\.ortiz@architect\.example {2}Automatic reply: Level 3 slab edge detail {2}\(auto-reply\)$/m,
      );
    });

    // Only the embedded database belongs to one process; several instances may share PostgreSQL.
    it.skipIf(testDatabaseUrl !== null)(
      'refuses a second `docket serve` on the same data directory, naming the one that holds it',
      async () => {
        const second = await runDocket(
          ['serve'],
          {
            ...env,
            SMTP_HOST: '127.0.0.1',
            SMTP_PORT: '0',
            HTTP_HOST: '127.0.0.1',
            HTTP_PORT: '0',
          },
          30_000,
        );
        expectOneErrorLine(
          second,
          /the embedded database in .+ is in use by another docket process \(pid \d+\)$/,
        );
        expect(second.stderr).toContain(`(pid ${serve.child.pid})`);
      },
    );

    it('files a message sent with swaks, attachment and all, and lists it in `docket threads`', async () => {
      const pdf = path.join(workDir, 'pour-schedule.pdf');
      writeFileSync(
        pdf,
        '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      );
      const swaks = await promisify(execFile)('swaks', [
        '--server',
        `127.0.0.1:${serve.smtpPort}`,
        '--to',
        'twr-a@docket.localhost',
        '--from',
        'dana.fields@contractor.example',
        '--header',
        'Subject: Level 4 pour schedule',
        '--body',
        'Pour schedule attached.',
        '--attach-type',
        'application/pdf',
        '--attach',
        `@${pdf}`,
      ]);
      expect(swaks.stdout).toMatch(/<- {2}250 2\.6\.0 /);

      const thread = await eventually(async () => {
        const found = (await threadsJson('twr-a')).find(
          (t) => t.subject === 'Level 4 pour schedule',
        );
        if (!found) throw new Error('not filed yet');
        return found;
      });
      expect(thread.messages).toHaveLength(1);
      expect(thread.messages[0]).toMatchObject({
        from: 'dana.fields@contractor.example',
        attachmentCount: 1,
        flags: [],
      });
      const text = await docket('threads', 'twr-a');
      expect(text.stdout).toMatch(
        /dana\.fields@contractor\.example {2}Level 4 pour schedule {2}📎1$/m,
      );
    });

    it('stops cleanly on SIGTERM, keeping every message it answered 250 for', async () => {
      // One message fully delivered just before the signal, on a connection left open...
      const delivered = await SmtpTestClient.connect(serve.smtpPort);
      await delivered.command('EHLO relay.test');
      await delivered.command('MAIL FROM:<dana.fields@contractor.example>');
      await delivered.command('RCPT TO:<twr-a@docket.localhost>');
      expect(
        (await delivered.data(plainMessage('before-sigterm', 'Delivered before SIGTERM'))).final[0]
          ?.code,
      ).toBe(250);
      // ...and one whose bytes are still arriving when the signal comes.
      const inFlight = await SmtpTestClient.connect(serve.smtpPort);
      await inFlight.command('EHLO relay.test');
      await inFlight.command('MAIL FROM:<dana.fields@contractor.example>');
      await inFlight.command('RCPT TO:<twr-a@docket.localhost>');
      expect((await inFlight.command('DATA')).code).toBe(354);
      const message = plainMessage('during-sigterm', 'In flight at SIGTERM');
      const half = message.indexOf('\r\n\r\n');
      inFlight.write(message.slice(0, half));

      serve.child.kill('SIGTERM');
      await serve.waitForLog('stopping');
      inFlight.write(`${message.slice(half)}\r\n.\r\n`);
      const answer = await inFlight.reply();
      const [code, signal] = await serve.exited;
      await delivered.quit();
      await inFlight.quit();
      expect(answer.code).toBe(250);
      expect({ code, signal }).toEqual({ code: 0, signal: null });

      // Whatever was answered 250 is there after a restart, and gets filed.
      const restarted = await startServe(env);
      servers.push(restarted);
      const subjects = await eventually(async () => {
        const found = (await threadsJson('twr-a')).map((thread) => thread.subject);
        if (!found.includes('In flight at SIGTERM') || !found.includes('Delivered before SIGTERM'))
          throw new Error(`not filed yet: ${found.join(', ')}`);
        return found;
      });
      expect(subjects).toEqual(
        expect.arrayContaining([
          'Delivered before SIGTERM',
          'In flight at SIGTERM',
          'Level 4 pour schedule',
        ]),
      );

      restarted.child.kill('SIGTERM');
      const [restartCode, restartSignal] = await restarted.exited;
      expect({ code: restartCode, signal: restartSignal }).toEqual({ code: 0, signal: null });
    });

    it('lets commands open the database themselves again once the server has stopped', async () => {
      const threads = await threadsJson('twr-a');
      expect(threads.map((thread) => thread.subject)).toContain('In flight at SIGTERM');
    });

    it('logged one JSON object a line, its output being no terminal', () => {
      const lines = serve
        .stdout()
        .split('\n')
        .filter((line) => line !== '');
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const entry of entries)
        expect([typeof entry.level, typeof entry.time, typeof entry.msg]).toEqual([
          'number',
          'number',
          'string',
        ]);
      expect(entries.map((entry) => entry.msg)).toEqual(
        expect.arrayContaining(['docket is running', 'stopping', 'stopped']),
      );
    });

    it('logs readable lines with LOG_FORMAT=pretty, to the last one before it exits', async () => {
      const pretty = await startServe({ ...env, LOG_FORMAT: 'pretty' });
      servers.push(pretty);
      pretty.child.kill('SIGTERM');
      const [code] = await pretty.exited;
      expect(code).toBe(0);
      const lines = pretty.stdout().trimEnd().split('\n');
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[service\] docket is running \{"smtp":"127\.0\.0\.1:\d+",/,
        ),
      );
      expect(lines.at(-1)).toMatch(/^\[[\d:.]+\] INFO: \[service\] stopped$/);
      expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
    });
  });
});
