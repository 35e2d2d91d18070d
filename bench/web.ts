/**
 * `npm run bench:web`: the web UI's read paths (correspondence log, deep keyset page, full-text
 * search, thread view) on a project database of a million messages seeded in SQL. Prints figures;
 * asserts nothing. Options: see bench/README.md.
 */
import os from 'node:os';
import { sql } from 'kysely';
import { createDb } from '../src/db/create-db.js';
import { migrateToLatest } from '../src/db/migrator.js';
import { adminStatement, benchAdminUrl, benchDatabaseUrl, loadAverage } from './bench-postgres.js';
import { formatTable, type Row } from './report.js';
import { explainQuery, measureDeepPage, measureLog, type Measured } from './web-measure.js';
import { measureExtraction } from './web-extract.js';
import { seed, type SeedShape } from './web-seed.js';
import { measureThreads } from './web-thread.js';
import { DOCUMENT_COMMON_WORD, DOCUMENT_MEDIUM_WORD, DOCUMENT_RARE_PHRASE } from './web-texts.js';
import { COMMON_WORD, RARE_WORD } from './web-words.js';

const env = process.env;
const quick = env.BENCH_QUICK === '1';
const keep = env.BENCH_WEB_KEEP === '1';
const adminUrl = benchAdminUrl();
const shape: SeedShape = quick
  ? { messages: 100_000, threads: 1_000, projects: 20 }
  : { messages: 1_000_000, threads: 10_000, projects: 20 };
const name = quick ? 'docket_bench_web_quick' : 'docket_bench_web';
const repeats = Number(env.BENCH_WEB_REPEATS ?? (quick ? 10 : 30));
const projects = [1, 8, 15];
const depth = quick ? 50 : 500;

const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)}s`;
const say = (text: string) => console.log(`[${elapsed()}] ${text}`);

const admin = (statement: string) => adminStatement(adminUrl, statement);

const databaseUrl = benchDatabaseUrl(adminUrl, name);
say(
  `Node ${process.version}, ${os.cpus().length} cores; ${shape.messages.toLocaleString('en-US')} messages, ` +
    `${shape.threads} threads, ${shape.projects} projects; database ${name}${keep ? ' (kept)' : ''}; load average ${loadAverage()}`,
);
const exists = (await admin(`select 1 from pg_database where datname = '${name}'`)).rowCount === 1;
let reuse = false;
if (exists && keep) {
  const probe = createDb({ databaseUrl, embeddedDir: 'memory://', poolSize: 1 });
  const count = await sql<{ n: number }>`select count(*)::int n from messages`
    .execute(probe)
    .then((r) => r.rows[0]?.n ?? 0)
    .catch(() => 0);
  await probe.destroy();
  reuse = count === shape.messages;
  say(`found ${name} with ${count} messages: ${reuse ? 'reusing it' : 'seeding again'}`);
}
if (!reuse) {
  if (exists) await admin(`drop database ${name} with (force)`);
  await admin(`create database ${name}`);
}

const db = createDb({ databaseUrl, embeddedDir: 'memory://', poolSize: 2 });
const rows: Row[] = [];
const explains: string[] = [];
let seedNote = 'reused';
try {
  if (!reuse) {
    await migrateToLatest(db);
    const start = performance.now();
    await seed(db, shape, say);
    seedNote = `${((performance.now() - start) / 1000).toFixed(0)} s`;
    say(`seeded in ${seedNote}`);
  }
  const size = await sql<{
    size: string;
  }>`select pg_size_pretty(pg_database_size(current_database())) size`.execute(db);
  say(`database size ${size.rows[0]?.size ?? '?'}`);

  const results: Measured[] = [];
  results.push(await measureLog(db, projects, repeats, 'log first page (newest, 50 rows)', 50));
  const deep = await measureDeepPage(db, projects, repeats, depth);
  results.push(deep.page, deep.walk);
  results.push(
    await measureLog(
      db,
      projects,
      repeats,
      `search common word "${COMMON_WORD}"`,
      150,
      COMMON_WORD,
    ),
  );
  results.push(
    await measureLog(db, projects, repeats, `search rare word "${RARE_WORD}"`, 150, RARE_WORD),
  );
  // Words only attachments hold (their text folded into the message's vector), with the
  // matching attachments and their headlines for the page shown.
  for (const [label, q] of [
    ['search attachment word (20% of messages)', DOCUMENT_COMMON_WORD],
    ['search attachment word (0.5%)', DOCUMENT_MEDIUM_WORD],
    ['search attachment phrase (rare)', `"${DOCUMENT_RARE_PHRASE}"`],
    ['search attachment and body words', `${DOCUMENT_MEDIUM_WORD} ${COMMON_WORD}`],
  ] as const) {
    results.push(await measureLog(db, projects, repeats, `${label}: ${q}`, 150, q));
  }
  results.push(await measureThreads(db, projects, 10, Math.max(3, Math.round(repeats / 5))));

  for (const result of results) {
    const sorted = [...result.timings].sort((a, b) => a - b);
    const at = (p: number) =>
      sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
    const ok = at(0.95) < result.targetMs;
    rows.push({
      path: result.name,
      figure: `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms`,
      ceiling: '-',
      ratio: `n=${sorted.length}`,
      target: `p95 < ${result.targetMs} ms`,
      met: ok ? 'yes' : 'NO',
      notes: `max ${at(1).toFixed(1)} ms; projects ${projects.join(',')}; ${result.notes}`,
    });
    if (!ok) {
      const plan = await db.executeQuery<{ 'QUERY PLAN': string }>(explainQuery(result.explain));
      explains.push(
        `${result.name}:\n${result.explain.sql}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`,
      );
    }
  }
  rows.push(
    ...(await measureExtraction(
      quick ? { documents: 10, pagesPerDocument: 20 } : { documents: 40, pagesPerDocument: 50 },
      say,
    )),
  );
} finally {
  await db.destroy();
  if (!keep) await admin(`drop database if exists ${name} with (force)`);
}

console.log(
  `\nDocket web read benchmark (${elapsed()} in all; seeding ${seedNote}; load average at the end ${loadAverage()})\n`,
);
console.log(formatTable(rows));
for (const text of explains) console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of a miss, ${text}`);
