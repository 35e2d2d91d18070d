/**
 * Runs in a child process of its own (see memory.ts) so its RSS is Docket's alone: starts the
 * service, files one small message so every module is loaded, takes the idle RSS, then has
 * `smtp-source` deliver the big message and waits until it is filed. Prints one JSON line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { startService, type Service } from '../src/main.js';
import { createProject } from '../src/projects/project.repository.js';
import { runSmtpSource } from './smtp-source.js';

export interface ProbeInput {
  env: Record<string, string>;
  file: string;
  smtpSource: string;
}

export interface ProbeOutput {
  idleRss: number;
  peakRss: number;
  /** Whether the kernel's high-water mark could be reset after start-up (else only sampled). */
  highWaterReset: boolean;
  acceptSeconds: number;
  fileSeconds: number;
  filed: boolean;
  attachmentBytes: number;
}

const TO = 'twr-a@docket.localhost';

/** The kernel's peak RSS (VmHWM) since start or since the last reset, in bytes. */
function highWaterMark(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

function resetHighWaterMark(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

async function filedAttachmentBytes(
  service: Service,
  projectId: number,
  deadline: number,
): Promise<number | null> {
  while (Date.now() < deadline) {
    await service.filing.idle();
    const row = await service.db
      .selectFrom('attachments')
      .select(({ fn }) => fn.max('size').as('size'))
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (row?.size) return Number(row.size);
    await sleep(250);
    service.filing.notify();
  }
  return null;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.env.BENCH_PROBE ?? '{}') as ProbeInput;
  const service = await startService(loadConfig(input.env), pino({ level: 'silent' }));
  try {
    const project = await createProject(service.db, { code: 'twr-a', name: 'Tower A' });
    const send = (extra: { file?: string; bodyBytes?: number }) =>
      runSmtpSource(input.smtpSource, {
        sessions: 1,
        count: 1,
        port: service.smtpPort,
        to: TO,
        timeoutMs: 300_000,
        ...extra,
      });
    await send({ bodyBytes: 2000 });
    await service.filing.idle();
    await sleep(500);
    globalThis.gc?.();
    await sleep(500);
    const idleRss = process.memoryUsage.rss();
    const highWaterReset = resetHighWaterMark();

    let sampled = idleRss;
    const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage.rss())), 5);
    const started = performance.now();
    const delivery = await send({ file: input.file });
    const acceptSeconds = (performance.now() - started) / 1000;
    const attachmentBytes = await filedAttachmentBytes(service, project.id, Date.now() + 300_000);
    const fileSeconds = (performance.now() - started) / 1000 - acceptSeconds;
    clearInterval(sampler);
    if (delivery.exitCode !== 0) throw new Error(`smtp-source failed: ${delivery.stderr}`);

    const output: ProbeOutput = {
      idleRss,
      peakRss: Math.max(sampled, highWaterReset ? highWaterMark() : 0),
      highWaterReset,
      acceptSeconds,
      fileSeconds,
      filed: attachmentBytes !== null,
      attachmentBytes: attachmentBytes ?? 0,
    };
    process.stdout.write(`${JSON.stringify(output)}\n`);
  } finally {
    await service.stop();
  }
}

await main();
