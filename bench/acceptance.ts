import { sql } from 'kysely';
import { startBareServer } from './bare-server.js';
import { profiled } from './cpu-profile.js';
import type { DatabaseKind } from './bench-service.js';
import type { BenchOptions } from './options.js';
import { runSmtpSource } from './smtp-source.js';
import type { Service } from '../src/main.js';
import { createProject } from '../src/projects/project.repository.js';

export type AcceptanceTarget = 'bare smtp-server' | DatabaseKind;

export interface AcceptanceResult {
  target: AcceptanceTarget;
  bodyBytes: number;
  connections: number;
  /** Messages answered 250 per second, median of the measured runs. */
  rate: number;
  runs: number[];
  count: number;
  /** Docket only: messages still waiting to be filed when the client finished (median run). */
  unfiledAtEnd?: number;
  error?: string;
}

const MAX_BYTES = 50 * 1024 * 1024;
/** Each run sends to a project of its own (bench-1, bench-2, …), empty when the run starts. */
let projects = 0;

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** A short warm-up (also JIT) that tells how many messages make a run of about `seconds`. */
function warmupCount(options: BenchOptions, connections: number): number {
  return Math.max(20, connections * (options.quick ? 3 : 10));
}

function sizeRun(options: BenchOptions, warmupRate: number): number {
  return Math.round(
    Math.min(50_000, Math.max(options.quick ? 30 : 60, warmupRate * options.seconds)),
  );
}

function send(
  options: BenchOptions,
  port: number,
  to: string,
  bodyBytes: number,
  connections: number,
  count: number,
) {
  const timeoutMs = Math.max(60_000, options.seconds * 20_000);
  return runSmtpSource(options.smtpSource, {
    sessions: connections,
    count,
    bodyBytes,
    port,
    to,
    timeoutMs,
  });
}

/** The ceiling: the same client against a bare smtp-server that drains and discards. */
export async function measureBare(
  options: BenchOptions,
  bodyBytes: number,
  connections: number,
): Promise<AcceptanceResult> {
  const server = await startBareServer(MAX_BYTES);
  const result: AcceptanceResult = {
    target: 'bare smtp-server',
    bodyBytes,
    connections,
    rate: 0,
    runs: [],
    count: 0,
  };
  const to = 'twr-a@docket.localhost';
  try {
    const warmup = warmupCount(options, connections) * 5;
    const warm = await send(options, server.port, to, bodyBytes, connections, warmup);
    result.count = sizeRun(options, warmup / warm.seconds);
    for (let i = 0; i < options.repeats; i++) {
      const before = server.accepted;
      const run = await send(options, server.port, to, bodyBytes, connections, result.count);
      if (run.exitCode !== 0 || server.accepted - before !== result.count) {
        result.error = `smtp-source exit ${run.exitCode}, ${server.accepted - before}/${result.count} accepted: ${run.stderr}`;
      }
      result.runs.push(result.count / run.seconds);
    }
  } finally {
    await server.close();
  }
  result.rate = median(result.runs);
  return result;
}

/**
 * Docket's `250` path on a running service. Every run sends to a new, empty project and starts
 * with nothing waiting to be filed; the filing queue then works behind the `250`s as in production.
 */
export async function measureDocket(
  options: BenchOptions,
  service: Service,
  kind: DatabaseKind,
  bodyBytes: number,
  connections: number,
): Promise<AcceptanceResult> {
  const result: AcceptanceResult = {
    target: kind,
    bodyBytes,
    connections,
    rate: 0,
    runs: [],
    count: 0,
  };
  const unfiled: number[] = [];
  const newInbox = async () => {
    const project = await createProject(service.db, {
      code: `bench-${++projects}`,
      name: 'Benchmark',
    });
    return { id: project.id, to: `${project.code}@${service.config.mailDomain}` };
  };

  const warmup = warmupCount(options, connections);
  const warm = await send(
    options,
    service.smtpPort,
    (await newInbox()).to,
    bodyBytes,
    connections,
    warmup,
  );
  result.count = sizeRun(options, warmup / warm.seconds);
  for (let i = 0; i < options.repeats; i++) {
    const inbox = await newInbox();
    service.filing.notify();
    await service.filing.idle();
    const run = await profiled(`acceptance-${kind}-${bodyBytes}-x${connections}-${i}`, () =>
      send(options, service.smtpPort, inbox.to, bodyBytes, connections, result.count),
    );
    const counts = await sql<{ stored: number; unfiled: number }>`
      select count(*)::int as stored, (count(*) filter (where state = 'received'))::int as unfiled
      from inbound_messages where project_id = ${inbox.id}`.execute(service.db);
    const { stored = 0, unfiled: waiting = 0 } = counts.rows[0] ?? {};
    if (run.exitCode !== 0 || stored !== result.count) {
      result.error = `smtp-source exit ${run.exitCode}, ${stored}/${result.count} stored: ${run.stderr}`;
    }
    result.runs.push(result.count / run.seconds);
    unfiled.push(waiting);
  }
  result.rate = median(result.runs);
  result.unfiledAtEnd = unfiled[result.runs.indexOf(result.rate)] ?? median(unfiled);
  return result;
}
