import type { CommandIo } from '../../src/cli/command-io.js';
import type { CommandContext } from '../../src/cli/commands/context.js';
import type { Db } from '../../src/db/database.js';
import type { Service } from '../../src/main.js';

/** What the pipeline made of the inbound mail of one or more projects. */
export interface FilingReport {
  /** Inbound rows: each distinct message stored for the project. */
  stored: number;
  /** Accepted deliveries, repeats of a stored message included. */
  deliveries: number;
  /** Inbound rows that never reached state `filed`, with their last error. */
  unfiled: { projectId: number; id: number; rawSha256: string; lastError: string | null }[];
  /** Rows in `messages`: one per filed inbound row. */
  messages: number;
  withWarnings: number;
  autoReply: number;
  bounce: number;
  list: number;
  /** Messages carrying at least one of auto-reply, bounce, list. */
  flagged: number;
}

export async function filingReport(
  db: Db,
  projects: number | readonly number[],
): Promise<FilingReport> {
  const projectIds = typeof projects === 'number' ? [projects] : [...projects];
  const inbound = await db
    .selectFrom('inbound_messages')
    .select(['project_id', 'id', 'raw_sha256', 'state', 'last_error', 'deliveries'])
    .where('project_id', 'in', projectIds)
    .orderBy('project_id')
    .orderBy('id')
    .execute();
  const messages = await db
    .selectFrom('messages')
    .select(['flags', 'parse_warnings'])
    .where('project_id', 'in', projectIds)
    .execute();
  const has = (flag: string) => messages.filter((m) => m.flags.includes(flag)).length;
  return {
    stored: inbound.length,
    deliveries: inbound.reduce((sum, row) => sum + row.deliveries, 0),
    unfiled: inbound
      .filter((row) => row.state !== 'filed')
      .map((row) => ({
        projectId: row.project_id,
        id: row.id,
        rawSha256: row.raw_sha256,
        lastError: row.last_error,
      })),
    messages: messages.length,
    withWarnings: messages.filter((m) => m.parse_warnings.length > 0).length,
    autoReply: has('auto-reply'),
    bounce: has('bounce'),
    list: has('list'),
    flagged: messages.filter((m) =>
      m.flags.some((f) => f === 'auto-reply' || f === 'bounce' || f === 'list'),
    ).length,
  };
}

/** Adds reports up, for one line over several projects or runs. */
export function sumReports(reports: readonly FilingReport[]): FilingReport {
  const total = (pick: (report: FilingReport) => number) =>
    reports.reduce((sum, report) => sum + pick(report), 0);
  return {
    stored: total((r) => r.stored),
    deliveries: total((r) => r.deliveries),
    unfiled: reports.flatMap((r) => r.unfiled),
    messages: total((r) => r.messages),
    withWarnings: total((r) => r.withWarnings),
    autoReply: total((r) => r.autoReply),
    bounce: total((r) => r.bounce),
    list: total((r) => r.list),
    flagged: total((r) => r.flagged),
  };
}

export function describeReport(label: string, report: FilingReport): string {
  return (
    `${label}: ${report.deliveries} delivered, ${report.stored} stored, ${report.messages} filed, ` +
    `${report.withWarnings} with parse warnings, ${report.flagged} flagged ` +
    `(auto-reply ${report.autoReply}, bounce ${report.bounce}, list ${report.list}), ${report.unfiled.length} unfiled`
  );
}

/** A CommandIo that keeps what a command printed, for tests that run commands in process. */
export function capturingIo(): CommandIo & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    out: (text) => lines.push(text),
    progress: () => ({ tick: () => undefined, stop: () => undefined }),
  };
}

/** The context `docket` commands run with inside a running service (as its control socket does). */
export function serviceCommandContext(service: Service, io: CommandIo): CommandContext {
  return {
    db: service.db,
    blobs: service.blobs,
    config: service.config,
    filing: service.filing,
    texts: service.texts,
    io,
  };
}
