import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedDigests, seedJobs } from '../../bench/jobs-seed.js';
import { createDb } from '../../src/db/create-db.js';
import type { Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { docketBin, docketEnv, runDocket, type DocketResult } from '../support/docket-cli.js';
import { dropDatabase } from '../support/pg-cleanup.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { createTestDatabase, testDatabaseKind, testDatabaseUrl } from '../support/test-db.js';

/** Wednesday 10 March 2027, 16:00 UTC: every seeded project's digest morning has passed. */
const NOW = '2027-03-10T16:00:00Z';
/**
 * About 1,100 people with something due: a run spans some 45 of the sender's 25-reminder
 * transactions, eight of them in flight at once on PostgreSQL.
 */
const SHAPE = { projects: 8, people: 1_400, steps: 8_400 };
/**
 * A run is killed once it has written this many digests' mail, plus up to KILL_SPREAD more at
 * random: past the first eight transactions (200 claims) so some have committed on PostgreSQL,
 * and well short of the end.
 */
const KILL_AFTER = 300;
const KILL_SPREAD = 150;
const SLOW_MS = 300_000;

interface Ledger {
  claims: number;
  /** Claims whose outbox row is missing: a reminder claimed but never written would be lost. */
  withoutMail: number;
  digests: number;
  /** People with more than one digest in the outbox. */
  doubled: number;
  lines: number;
}

/**
 * Processes are killed with SIGKILL (no handler runs, no connection is closed politely), as a
 * crash or an out-of-memory kill would. First the digest job, half-way through claiming reminders
 * and writing their mail: the claim and the outbox row are written in one transaction, so what was
 * committed before the kill must hold both and what was in flight neither, and the next run must
 * send exactly the rest. Then the delivery job, half-way through handing those digests to the
 * relay: the next runs must deliver every one, and only the message in flight can go twice (the
 * relay accepted it, the process died before recording that), as with any SMTP client.
 */
describe(
  `digest and delivery runs killed mid-way on ${testDatabaseKind}`,
  { timeout: SLOW_MS },
  () => {
    let dataDir: string;
    let databaseUrl: string | null = null;
    let sink: SmtpSink;
    let env: NodeJS.ProcessEnv;
    let expected: Awaited<ReturnType<typeof expectedDigests>>;

    /** The database as the `docket` command opens it; only one process may hold the embedded one. */
    const openDb = (): Db => createDb({ databaseUrl, embeddedDir: path.join(dataDir, 'pglite') });

    const withDb = async <T>(work: (db: Db) => Promise<T>): Promise<T> => {
      const db = openDb();
      try {
        return await work(db);
      } finally {
        await db.destroy();
      }
    };

    const ledger = () =>
      withDb(async (db) => {
        const result = await sql<Ledger>`
        select (select count(*) from reminders_sent where job = 'digest')::int claims,
          (select count(*) from reminders_sent r where job = 'digest' and not exists (
            select 1 from outbox o where o.project_id = r.outbox_project_id and o.id = r.outbox_id
              and o.kind = 'digest' and o.to_addresses = array[r.person]))::int "withoutMail",
          (select count(*) from outbox where kind = 'digest')::int digests,
          (select count(*) from (select to_addresses from outbox where kind = 'digest'
            group by to_addresses having count(*) > 1) d)::int doubled,
          (select coalesce(sum(item_count), 0) from reminders_sent where job = 'digest')::int lines`.execute(
          db,
        );
        const row = result.rows[0];
        if (!row) throw new Error('no ledger row');
        return row;
      });

    /** Blobs the run has written so far: one per digest, each just before its claim commits. */
    const blobCount = (): number => {
      try {
        return readdirSync(path.join(dataDir, 'blobs'), { recursive: true }).filter(
          (name) => typeof name === 'string' && /[0-9a-f]{64}$/.test(name),
        ).length;
      } catch {
        return 0;
      }
    };

    /**
     * Starts `docket <args>` and kills it with SIGKILL as soon as `due()` holds. Resolves with how
     * it ended (killed, or finished first) and what it printed.
     */
    const killWhen = async (args: string[], due: () => boolean) => {
      const child = spawn(process.execPath, [docketBin, ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
      let done = false;
      void exited.then(() => (done = true));
      const deadline = Date.now() + SLOW_MS;
      while (!done && !due() && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      child.kill('SIGKILL');
      const [code, signal] = await exited;
      return { code, signal, output };
    };

    const docket = async (...args: string[]): Promise<DocketResult> => {
      const result = await runDocket(args, env, SLOW_MS);
      if (result.code !== 0) {
        throw new Error(`docket ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
      }
      return result;
    };

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'docket-crash-'));
      if (testDatabaseUrl) {
        const database = await createTestDatabase();
        await database.db.destroy();
        databaseUrl = database.url;
      }
      sink = await SmtpSink.start();
      env = docketEnv({
        DOCKET_DATA_DIR: dataDir,
        DOCKET_SECRET: 'test-secret-test-secret-test-secret-0123',
        HTTP_HOST: 'docket.example',
        // A relay, so the digests wait in the outbox as queued mail for the delivery job.
        SMTP_RELAY_URL: sink.url,
        // The kills are timed by the blob files a run writes (one per digest), so every mail is a
        // file here; on PostgreSQL small ones would otherwise go into their row.
        BLOB_INLINE_MAX_BYTES: '0',
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      });
      expected = await withDb(async (db) => {
        await migrateToLatest(db);
        await seedJobs(db, SHAPE, new Date(NOW));
        return expectedDigests(db, new Date(NOW));
      });
    }, SLOW_MS);

    afterAll(async () => {
      await sink?.close();
      if (databaseUrl) await dropDatabase(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('keeps every committed claim with its mail and sends the rest once on the next run', async () => {
      // Enough people with something due that two killed runs cannot finish it all.
      expect(expected.people).toBeGreaterThan(2 * (KILL_AFTER + KILL_SPREAD));

      const claimedAfterKills: number[] = [];
      for (let kill = 0; kill < 2; kill++) {
        // Killed once it has written this many digests' mail.
        const count = KILL_AFTER + Math.floor(Math.random() * KILL_SPREAD);
        const before = blobCount();
        const run = await killWhen(
          ['jobs', 'run', 'digest', '--now', NOW],
          () => blobCount() - before >= count,
        );
        expect(run.signal, `run ended by itself, before the kill:\n${run.output}`).toBe('SIGKILL');
        const written = blobCount() - before;

        const state = await ledger();
        // Killed between claims: this run committed some, never more than it had written mail for.
        const previous = claimedAfterKills.at(-1) ?? 0;
        expect(state.claims).toBeGreaterThan(previous);
        expect(state.claims - previous).toBeLessThanOrEqual(written);
        expect(state.claims).toBeLessThan(expected.people);
        // Whatever was committed holds both the claim and its mail; nothing doubled.
        expect(state.withoutMail).toBe(0);
        expect(state.digests).toBe(state.claims);
        expect(state.doubled).toBe(0);
        claimedAfterKills.push(state.claims);
      }

      // The next run sends exactly what the kills left unsent.
      const rerun = await docket('jobs', 'run', 'digest', '--now', NOW);
      const remaining = expected.people - (claimedAfterKills.at(-1) ?? 0);
      expect(rerun.stdout).toContain(`digest at 2027-03-10T16:00:00.000Z: sent ${remaining}`);
      const final = await ledger();
      expect(final).toEqual({
        claims: expected.people,
        withoutMail: 0,
        digests: expected.people,
        doubled: 0,
        lines: expected.lines,
      });

      // One more run finds nothing left to send.
      const again = await docket('jobs', 'run', 'digest', '--now', NOW);
      expect(again.stdout).toContain('sent 0');
    });

    it('delivers each digest after a delivery run is killed, only the one in flight twice', async () => {
      // Killed while it hands mail to the relay, one message after another on one connection.
      const count = KILL_AFTER + Math.floor(Math.random() * KILL_SPREAD);
      const killed = await killWhen(
        ['jobs', 'run', 'outbox', '--now', NOW],
        () => sink.messages.length >= count,
      );
      expect(killed.signal, `run ended by itself, before the kill:\n${killed.output}`).toBe(
        'SIGKILL',
      );
      const received = () => sink.messages.flatMap((m) => m.envelopeTo);
      const status = () =>
        withDb(async (db) => {
          const rows = await db
            .selectFrom('outbox')
            .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
            .where('kind', '=', 'digest')
            .groupBy('status')
            .execute();
          return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
        });
      // What the relay accepted and what the outbox recorded as sent differ by at most the one
      // message in flight: accepted by the relay, the process gone before it could mark it sent.
      const atKill = await status();
      const sentAtKill = atKill.sent ?? 0;
      expect(sentAtKill).toBeGreaterThan(0);
      expect(received().length - sentAtKill).toBeGreaterThanOrEqual(0);
      expect(received().length - sentAtKill).toBeLessThanOrEqual(1);

      // The next run delivers all but what is left of the killed run's claimed batch of 20 (none,
      // if it died between two batches): those wait ten minutes (their lease), in case that run
      // was only slow, then go out.
      await docket('jobs', 'run', 'outbox', '--now', NOW);
      expect((await status()).queued ?? 0).toBeLessThanOrEqual(20);
      const later = new Date(Date.parse(NOW) + 11 * 60_000).toISOString();
      await docket('jobs', 'run', 'outbox', '--now', later);
      expect(await status()).toEqual({ sent: expected.people });

      // Every person received their digest; only the message in flight at the kill went twice,
      // under the same Message-ID, so the recipient's mail program shows it once.
      const recipients = received();
      const twice = recipients.filter((to, i) => recipients.indexOf(to) !== i);
      expect(new Set(recipients).size).toBe(expected.people);
      expect(twice.length).toBeLessThanOrEqual(1);
      const copies = sink.messages.filter((m) => twice.includes(m.envelopeTo[0] ?? ''));
      expect(new Set(copies.map((m) => m.parsed.messageId)).size).toBeLessThanOrEqual(1);
    });
  },
);
