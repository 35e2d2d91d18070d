/**
 * `npm run bench:ingest`: Docket's ingest path beside ceilings measured in the same run with the
 * same client. Prints figures; asserts nothing. Options: see bench/README.md and options.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { measureBare, measureDocket, type AcceptanceResult } from './acceptance.js';
import {
  createBenchEnvironment,
  startBenchService,
  type BenchEnvironment,
  type DatabaseKind,
} from './bench-service.js';
import { measureFiling, type FilingResult } from './filing.js';
import { measureImport, writeMbox, type ImportResult } from './import.js';
import { measureMemory, type MemoryResult } from './memory.js';
import { loadMessageMix } from './message-mix.js';
import { readOptions } from './options.js';
import { measureDocketParse, measureSimpleParser, type ParseRate } from './parse-ceiling.js';
import type { Service } from '../src/main.js';
import {
  acceptanceRows,
  filingRows,
  formatTable,
  importRows,
  memoryRows,
  type Row,
} from './report.js';

const options = readOptions();
const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)}s`;
const say = (text: string) => console.log(`[${elapsed()}] ${text}`);
const runs = (values: number[]) => values.map((value) => Math.round(value)).join('/');
const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

say(
  `Node ${process.version}, ${os.cpus().length} cores; ${options.quick ? 'QUICK; ' : ''}databases ${options.databases.join(', ')}; ` +
    `client smtp-source -d (connections reused); ${options.repeats} measured run(s) of ~${options.seconds} s per cell; ` +
    `load average ${load()}` +
    (Object.keys(options.docketEnv).length > 0
      ? `; Docket env ${JSON.stringify(options.docketEnv)}`
      : ''),
);
const rows: Row[] = [];

if (options.sections.has('acceptance')) {
  // One running service per database for the whole section; each run gets a new project.
  const services: { kind: DatabaseKind; environment: BenchEnvironment; service: Service }[] = [];
  const results: AcceptanceResult[] = [];
  try {
    for (const kind of options.databases) {
      const environment = await createBenchEnvironment(
        kind,
        options.postgresUrl,
        options.docketEnv,
      );
      const service = await startBenchService(environment).catch(async (error: unknown) => {
        await environment.cleanup();
        throw error;
      });
      services.push({ kind, environment, service });
    }
    for (const bodyBytes of options.sizes) {
      for (const connections of options.connections) {
        const cell = `${Math.round(bodyBytes / 1024)} KB x${connections}`;
        const bare = await measureBare(options, bodyBytes, connections);
        results.push(bare);
        say(
          `acceptance ${cell} bare smtp-server: ${runs(bare.runs)} msg/s${bare.error ? ` ERROR ${bare.error}` : ''}`,
        );
        for (const { kind, service } of services) {
          const docket = await measureDocket(options, service, kind, bodyBytes, connections);
          results.push(docket);
          say(
            `acceptance ${cell} ${kind}: ${runs(docket.runs)} msg/s of ${docket.count}, ` +
              `unfiled at end ${docket.unfiledAtEnd}${docket.error ? ` ERROR ${docket.error}` : ''}`,
          );
        }
      }
    }
  } finally {
    for (const { service, environment } of services) {
      await service.stop();
      await environment.cleanup();
    }
  }
  rows.push(...acceptanceRows(results));
}

let parseCeiling: ParseRate | null = null;
if (options.sections.has('filing')) {
  const messages = loadMessageMix(options.filingCount);
  const bytes = messages.reduce((sum, message) => sum + message.length, 0);
  say(
    `filing mix: ${messages.length} SpamAssassin messages, ${(bytes / 1024 / 1024).toFixed(1)} MB`,
  );
  const ceiling = await measureSimpleParser(messages);
  parseCeiling = ceiling;
  say(
    `filing ceiling simpleParser: ${Math.round(ceiling.rate)} msg/s (${ceiling.seconds.toFixed(1)} s)`,
  );
  const docketParse = await measureDocketParse(messages);
  say(
    `Docket parseMail alone: ${Math.round(docketParse.rate)} msg/s (${docketParse.seconds.toFixed(1)} s)`,
  );
  const results: FilingResult[] = [];
  for (const kind of options.databases) {
    const result = await measureFiling(options, kind, messages);
    results.push(result);
    say(
      `filing ${kind}: ${Math.round(result.rate)} msg/s, ${result.filed}/${result.stored} filed in ` +
        `${result.seconds.toFixed(1)} s, ${result.threads} threads, Node CPU ${Math.round(result.nodeCpuPercent)}%, ` +
        `event loop late by ${Math.round(result.loopDelayP99Ms)} ms p99, ${Math.round(result.loopDelayMaxMs)} ms at worst`,
    );
  }
  rows.push(...filingRows(results, ceiling, docketParse));
}

if (options.sections.has('memory')) {
  const results: MemoryResult[] = [];
  for (const kind of options.databases) {
    const result = await measureMemory(options, kind);
    results.push(result);
    say(
      `memory ${kind}: idle ${(result.idleRss / 1048576).toFixed(0)} MB, peak ${(result.peakRss / 1048576).toFixed(0)} MB, ` +
        `filed ${result.filed}`,
    );
  }
  rows.push(...memoryRows(results, options.attachmentBytes));
}

if (options.sections.has('import')) {
  const dir = mkdtempSync(path.join(tmpdir(), 'docket-bench-mbox-'));
  try {
    const file = path.join(dir, 'archive.mbox');
    const bytes = await writeMbox(file, loadMessageMix(options.importCount));
    say(`import mbox: ${options.importCount} messages, ${(bytes / 1024 / 1024).toFixed(0)} MB`);
    const results: ImportResult[] = [];
    for (const kind of options.databases) {
      const result = await measureImport(options, kind, {
        file,
        messages: options.importCount,
        bytes,
      });
      results.push(result);
      say(
        `import ${kind}: ${Math.round(result.rate)} msg/s, ${result.filed}/${result.stored} filed in ` +
          `${result.seconds.toFixed(0)} s, peak RSS ${(result.peakRss / 1048576).toFixed(0)} MB` +
          `${result.error ? ` ERROR ${result.error}` : ''}`,
      );
    }
    rows.push(...importRows(results, parseCeiling));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`\nDocket ingest benchmark (${elapsed()} in all; load average at the end ${load()})\n`);
console.log(formatTable(rows));
