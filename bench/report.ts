import type { AcceptanceResult } from './acceptance.js';
import type { FilingResult } from './filing.js';
import type { ImportResult } from './import.js';
import type { MemoryResult } from './memory.js';
import type { ParseRate } from './parse-ceiling.js';

export interface Row {
  path: string;
  figure: string;
  ceiling: string;
  ratio: string;
  target: string;
  met: string;
  notes: string;
}

const MB = 1024 * 1024;
const rate = (value: number) => `${Math.round(value).toLocaleString('en-US')} msg/s`;
const percent = (value: number) => `${Math.round(value * 100)}%`;
const size = (bytes: number) =>
  bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.round(bytes / 1024)} KB`;
const verdict = (ok: boolean) => (ok ? 'yes' : 'NO');

/** Docket's 250 rate beside the bare server's, for the same size and connection count. */
export function acceptanceRows(results: AcceptanceResult[]): Row[] {
  return results
    .filter((result) => result.target !== 'bare smtp-server')
    .map((result) => {
      const ceiling = results.find(
        (other) =>
          other.target === 'bare smtp-server' &&
          other.bodyBytes === result.bodyBytes &&
          other.connections === result.connections,
      );
      const ratio = ceiling && ceiling.rate > 0 ? result.rate / ceiling.rate : 0;
      // The targets: PostgreSQL 20 KB x10 at 40% of the bare server, the embedded database at 20%.
      const goal =
        result.bodyBytes === 20480 && result.connections === 10
          ? result.target === 'postgresql'
            ? 0.4
            : 0.2
          : null;
      const runs = result.runs.map((run) => Math.round(run)).join('/');
      const lag = `unfiled at end ${result.unfiledAtEnd ?? '?'} of ${result.count}`;
      return {
        path: `acceptance ${size(result.bodyBytes)} x${result.connections} conn, ${result.target}`,
        figure: rate(result.rate),
        ceiling: ceiling ? rate(ceiling.rate) : 'n/a',
        ratio: percent(ratio),
        target: goal ? `>= ${percent(goal)}` : '-',
        met: goal ? verdict(ratio >= goal) : '-',
        notes: `runs ${runs}; ${lag}${result.error ? `; ERROR ${result.error}` : ''}`,
      };
    });
}

export function filingRows(
  results: FilingResult[],
  ceiling: ParseRate,
  docketParse: ParseRate,
): Row[] {
  return results.map((result) => {
    const ratio = result.rate / ceiling.rate;
    return {
      path: `filing ${result.filed.toLocaleString('en-US')} msgs, ${result.kind}`,
      figure: rate(result.rate),
      ceiling: rate(ceiling.rate),
      ratio: percent(ratio),
      target: '>= 50%',
      met: verdict(ratio >= 0.5 && result.unfiled === 0),
      notes:
        `${result.seconds.toFixed(1)} s; ${result.threads} threads; ${result.unfiled} unfiled; ` +
        `Node CPU ${Math.round(result.nodeCpuPercent)}%; event loop late ${Math.round(result.loopDelayP99Ms)} ms p99, ` +
        `${Math.round(result.loopDelayMaxMs)} ms max; Docket parse alone ${rate(docketParse.rate)}; ` +
        `staged at ${rate(result.stageRate)}`,
    };
  });
}

export function memoryRows(results: MemoryResult[], attachmentBytes: number): Row[] {
  return results.map((result) => {
    const above = result.peakRss - result.idleRss;
    const ratio = above / attachmentBytes;
    return {
      path: `memory ${size(attachmentBytes)} attachment, ${result.kind}`,
      figure: `+${size(above)} peak over idle`,
      ceiling: `${size(4 * attachmentBytes)} (4x)`,
      ratio: `${ratio.toFixed(2)}x`,
      target: '< 4x',
      met: verdict(ratio < 4 && result.filed),
      notes:
        `idle ${size(result.idleRss)}, peak ${size(result.peakRss)}${result.highWaterReset ? '' : ' (sampled)'}; ` +
        `message ${size(result.messageBytes)} accepted in ${result.acceptSeconds.toFixed(1)} s, ` +
        `filed ${result.fileSeconds.toFixed(1)} s later${result.filed ? '' : ' NOT FILED'}`,
    };
  });
}

/** `docket import` of the mix: its rate beside the parse ceiling, and its peak memory. */
export function importRows(results: ImportResult[], ceiling: ParseRate | null): Row[] {
  return results.map((result) => ({
    path: `import ${result.messages.toLocaleString('en-US')} msgs (${size(result.mboxBytes)} mbox), ${result.kind}`,
    figure: rate(result.rate),
    ceiling: ceiling ? rate(ceiling.rate) : 'n/a',
    ratio: ceiling ? percent(result.rate / ceiling.rate) : '-',
    target: '-',
    met: '-',
    notes:
      `${result.seconds.toFixed(0)} s in all; ${result.stored.toLocaleString('en-US')} stored ` +
      `(the rest duplicates), ${result.filed.toLocaleString('en-US')} filed; peak RSS ${size(result.peakRss)}` +
      `${result.error ? `; ERROR ${result.error}` : ''}`,
  }));
}

export function formatTable(rows: Row[]): string {
  const columns: (keyof Row)[] = ['path', 'figure', 'ceiling', 'ratio', 'target', 'met', 'notes'];
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  return [
    line(columns),
    line(widths.map((width, i) => '-'.repeat(i === widths.length - 1 ? 5 : width))),
    ...rows.map((row) => line(columns.map((column) => row[column]))),
  ].join('\n');
}
