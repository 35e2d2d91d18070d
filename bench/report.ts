import type { AcceptanceResult } from './acceptance.js';
import type { FilingResult } from './filing.js';
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
      const targeted =
        result.target === 'postgresql' && result.bodyBytes === 20480 && result.connections === 10;
      const runs = result.runs.map((run) => Math.round(run)).join('/');
      const lag = `unfiled at end ${result.unfiledAtEnd ?? '?'} of ${result.count}`;
      return {
        path: `acceptance ${size(result.bodyBytes)} x${result.connections} conn, ${result.target}`,
        figure: rate(result.rate),
        ceiling: ceiling ? rate(ceiling.rate) : 'n/a',
        ratio: percent(ratio),
        target: targeted ? '>= 40%' : '-',
        met: targeted ? verdict(ratio >= 0.4) : '-',
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
        `Node CPU ${Math.round(result.nodeCpuPercent)}%; Docket parse alone ${rate(docketParse.rate)}; ` +
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
