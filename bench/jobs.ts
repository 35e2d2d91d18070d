/**
 * `npm run bench:jobs`: the daily digest over 100,000 open review steps held by 1,000 people in 50
 * projects, on PostgreSQL at 127.0.0.1. Seeds a fresh database in SQL, runs the digest job once at
 * a pinned working-day afternoon (every project's morning has passed), checks it sent one digest
 * to each person with something due and nothing more, runs it again (must send nothing), prints
 * times and peak memory, and drops the database. Options: see bench/README.md.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { FileBlobStore } from '../src/blobs/file-blob-store.js';
import { createDb } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { createLogger } from '../src/log.js';
import { OutboxDelivery } from '../src/outbox/delivery-worker.js';
import { MailTemplates } from '../src/outbox/templates.js';
import type { ReminderContext } from '../src/reminders/reminder-mail.js';
import { runReminderJob } from '../src/reminders/run-reminder-job.js';
import { expectedDigests, seedJobs, type JobsShape } from './jobs-seed.js';
import { startPostfixSink } from './postfix-sink.js';
import { adminStatement, benchAdminUrl, benchDatabaseUrl, loadAverage } from './bench-postgres.js';
import { formatTable, type Row } from './report.js';

const env = process.env;
const quick = env.BENCH_QUICK === '1';
const adminUrl = benchAdminUrl();
const shape: JobsShape = quick
  ? { projects: 50, people: 1_000, steps: 10_000 }
  : { projects: 50, people: 1_000, steps: 100_000 };
const name = quick ? 'docket_bench_jobs_quick' : 'docket_bench_jobs';
/** Wednesday 10 March 2027, 16:00 UTC: 10:00–17:00 in the projects' zones, after every morning. */
const NOW = new Date('2027-03-10T16:00:00Z');
const TARGET_SECONDS = 10;
const MB = 1024 * 1024;

const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)}s`;
const say = (text: string) => console.log(`[${elapsed()}] ${text}`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${Math.round(bytes / MB)} MB`;

const admin = (statement: string) => adminStatement(adminUrl, statement);

/** Peak RSS and heap while `work` runs, sampled every 50 ms (and once at each end). */
async function sampled<T>(work: () => Promise<T>) {
  const peak = { rss: 0, heap: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    peak.rss = Math.max(peak.rss, usage.rss);
    peak.heap = Math.max(peak.heap, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 50);
  const start = performance.now();
  try {
    const result = await work();
    return { result, ms: performance.now() - start, peak };
  } finally {
    clearInterval(timer);
    sample();
  }
}

const databaseUrl = benchDatabaseUrl(adminUrl, name);
say(
  `Node ${process.version}, ${os.cpus().length} cores; ${shape.steps.toLocaleString('en-US')} open review steps, ` +
    `${shape.people} people, ${shape.projects} projects; database ${name}; load average ${loadAverage()}`,
);
await admin(`drop database if exists ${name} with (force)`);
await admin(`create database ${name}`);
const blobDir = await mkdtemp(path.join(os.tmpdir(), 'docket-bench-jobs-'));
const db = createDb({ databaseUrl, embeddedDir: 'memory://' });
const context: ReminderContext = {
  records: {
    // As `docket serve` by default: blobs as files, a relay configured (rows wait as 'queued').
    outbox: {
      blobs: new FileBlobStore(path.join(blobDir, 'blobs')),
      templates: new MailTemplates(),
      mailDomain: 'docket.example',
      relayConfigured: true,
    },
    secret: 'bench-secret-bench-secret-bench-secret-0123',
    mailDomain: 'docket.example',
  },
  baseUrl: 'https://docket.example',
};
const rows: Row[] = [];
const failures: string[] = [];
const row = (path: string, figure: string, target = '-', met = '-', notes = '') =>
  rows.push({ path, figure, ceiling: '-', ratio: '-', target, met, notes });
try {
  await migrateToLatest(db);
  const seedStart = performance.now();
  await seedJobs(db, shape, NOW);
  const seedMs = performance.now() - seedStart;
  const expected = await expectedDigests(db, NOW);
  const share = (n: number) => `${((100 * n) / expected.steps).toFixed(1)}%`;
  say(
    `seeded in ${seconds(seedMs)}: ${expected.steps} pending steps, ${expected.overdue} overdue ` +
      `(${share(expected.overdue)}), ${expected.dueSoon} due within two working days ` +
      `(${share(expected.dueSoon)}); ${expected.people} people have something due`,
  );

  const idle = process.memoryUsage();
  const first = await sampled(() => runReminderJob(db, context, { job: 'digest' }, NOW));
  say(`first run: sent ${first.result.sent} in ${seconds(first.ms)}`);
  const second = await sampled(() => runReminderJob(db, context, { job: 'digest' }, NOW));
  say(`second run: sent ${second.result.sent} in ${seconds(second.ms)}`);
  const written = await sql<{ rows: number; system: number; lines: number; ledger: number }>`
    select (select count(*) from outbox where kind = 'digest')::int "rows",
      (select count(*) from outbox where kind = 'digest' and project_id = 0)::int system,
      (select coalesce(sum(item_count), 0) from reminders_sent where job = 'digest')::int lines,
      (select count(*) from reminders_sent where job = 'digest')::int ledger`.execute(db);
  const out = written.rows[0] ?? { rows: 0, system: 0, lines: 0, ledger: 0 };

  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
    return ok ? 'yes' : 'NO';
  };
  const met = first.ms < TARGET_SECONDS * 1000;
  row('seed (SQL, then VACUUM ANALYZE)', seconds(seedMs), '-', '-', `${shape.steps} steps`);
  row(
    'digest run (wall)',
    seconds(first.ms),
    `< ${TARGET_SECONDS} s`,
    met ? 'MET' : 'NOT MET',
    `${Math.round(first.result.sent / (first.ms / 1000))} digests/s`,
  );
  row(
    'digests sent',
    String(first.result.sent),
    `= ${expected.people}`,
    check(
      first.result.sent === expected.people &&
        first.result.failed === 0 &&
        first.result.alreadySent === 0,
      `sent ${first.result.sent} (failed ${first.result.failed}), expected ${expected.people}`,
    ),
    'people holding a step overdue or due by Sunday (SQL)',
  );
  row(
    'outbox rows written',
    String(out.rows),
    `= ${expected.people}`,
    check(out.rows === expected.people && out.ledger === expected.people, 'outbox/ledger count'),
    `${out.rows - out.system} under one project, ${out.system} as Docket's own (several projects)`,
  );
  row(
    'lines in digests',
    String(out.lines),
    `= ${expected.lines}`,
    check(out.lines === expected.lines, `lines ${out.lines}, expected ${expected.lines}`),
    `${share(expected.overdue)} of steps overdue, ${share(expected.dueSoon)} due within 2 working days`,
  );
  row(
    'peak RSS during run',
    mb(first.peak.rss),
    '-',
    '-',
    `idle before ${mb(idle.rss)}; process maxRSS ${mb(process.resourceUsage().maxRSS * 1024)}`,
  );
  row(
    'peak heap used during run',
    mb(first.peak.heap),
    '-',
    '-',
    `idle before ${mb(idle.heapUsed)}`,
  );
  row(
    'second run (wall)',
    seconds(second.ms),
    'sends 0',
    check(second.result.sent === 0 && second.result.failed === 0, 'second run sent mail'),
    `${second.result.pending.length} pending after the ledger check`,
  );

  // The digests handed to a real relay, as `docket serve`'s outbox worker does after a run.
  const sink = await startPostfixSink(env.BENCH_SMTP_SINK);
  try {
    const delivery = new OutboxDelivery(db, context.records.outbox.blobs, createLogger('warn'), {
      relayUrl: sink.url,
      maxAttempts: 5,
      clock: () => NOW,
    });
    const delivered = await sampled(async () => {
      delivery.notify();
      await delivery.idle();
      await delivery.stop();
    });
    const sent = await sql<{ count: number }>`
      select count(*)::int count from outbox where kind = 'digest' and status = 'sent'`.execute(db);
    const count = sent.rows[0]?.count ?? 0;
    say(`delivery: ${count} digests in ${seconds(delivered.ms)}`);
    row(
      'delivery to a local relay (wall)',
      seconds(delivered.ms),
      '-',
      check(count === expected.people, `delivered ${count}, expected ${expected.people}`),
      `${Math.round(count / (delivered.ms / 1000))} mails/s to Postfix smtp-sink, one connection`,
    );
  } finally {
    await sink.stop();
  }
} finally {
  await db.destroy();
  await admin(`drop database if exists ${name} with (force)`);
  await rm(blobDir, { recursive: true, force: true });
}

console.log(
  `\nDocket digest job benchmark (${elapsed()} in all; PostgreSQL; now ${NOW.toISOString()}; load average at the end ${loadAverage()})\n`,
);
console.log(formatTable(rows));
if (failures.length > 0) {
  console.log(`\nCHECKS FAILED: ${failures.join('; ')}`);
  process.exitCode = 1;
}
