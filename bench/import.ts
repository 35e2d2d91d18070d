import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createBenchEnvironment, type DatabaseKind } from './bench-service.js';
import type { BenchOptions } from './options.js';
import { openStorage } from '../src/main.js';

export interface ImportResult {
  kind: DatabaseKind;
  /** Messages in the mbox, and how many `docket import` stored and how many were filed. */
  messages: number;
  stored: number;
  filed: number;
  /** Wall time of the `docket import` process, start-up and filing included. */
  seconds: number;
  rate: number;
  /** The process's peak resident set size (GNU time's %M). */
  peakRss: number;
  mboxBytes: number;
  error?: string;
}

/** The command measured; BENCH_DOCKET_BIN names another build's bin/docket.js to compare with. */
const docketBin =
  process.env.BENCH_DOCKET_BIN ??
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../../bin/docket.js');

/**
 * Writes the messages as one mbox file (mboxrd: a `From ` separator before each, and body lines
 * that start with `From ` or `>From ` quoted with one more `>`). Returns its size.
 */
export async function writeMbox(file: string, messages: Buffer[]): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (chunk: string | Buffer) => {
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  };
  for (const message of messages) {
    const text = message.toString('latin1').replace(/\r\n/g, '\n');
    await write('From bench@client.example Fri Nov 27 09:00:00 2026\n');
    await write(Buffer.from(text.replace(/^(>*From )/gm, '>$1'), 'latin1'));
    await write(text.endsWith('\n') ? '\n' : '\n\n');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

/** Runs the real `docket` command under GNU time, with the environment given. */
function runDocket(
  args: string[],
  env: Record<string, string>,
): Promise<{
  code: number | null;
  stdout: string;
  stderr: string;
  peakRss: number;
  seconds: number;
}> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(
      '/usr/bin/time',
      ['-f', 'peak-rss-kb %M', process.execPath, docketBin, ...args],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8192);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const kb = /peak-rss-kb (\d+)/.exec(stderr);
      resolve({ code, stdout, stderr, peakRss: kb ? Number(kb[1]) * 1024 : 0, seconds });
    });
  });
}

/**
 * `docket import` of the whole mix into a new project, as a user runs it with no server running:
 * the command opens the database itself, stores every message and waits until all are filed.
 */
export async function measureImport(
  options: BenchOptions,
  kind: DatabaseKind,
  mbox: { file: string; messages: number; bytes: number },
): Promise<ImportResult> {
  const environment = await createBenchEnvironment(kind, options.postgresUrl, options.docketEnv);
  const result: ImportResult = {
    kind,
    messages: mbox.messages,
    stored: 0,
    filed: 0,
    seconds: 0,
    rate: 0,
    peakRss: 0,
    mboxBytes: mbox.bytes,
  };
  try {
    const created = await runDocket(
      ['project', 'create', 'archive', '--name', 'Archive'],
      environment.env,
    );
    if (created.code !== 0) throw new Error(`project create failed: ${created.stderr}`);
    const run = await runDocket(['import', 'archive', mbox.file], environment.env);
    result.seconds = run.seconds;
    result.peakRss = run.peakRss;
    if (run.code !== 0)
      result.error = `docket import exited ${run.code}: ${run.stderr.slice(-500)}`;
    const { db, lock } = await openStorage(environment.config);
    try {
      const counts = await sql<{ stored: number; filed: number }>`
        select count(*)::int as stored, (count(*) filter (where state = 'filed'))::int as filed
        from inbound_messages`.execute(db);
      result.stored = counts.rows[0]?.stored ?? 0;
      result.filed = counts.rows[0]?.filed ?? 0;
    } finally {
      await db.destroy();
      lock?.release();
    }
    result.rate = result.filed / result.seconds;
  } finally {
    await environment.cleanup();
  }
  return result;
}
