import { CompiledQuery } from 'kysely';
import { listCorrespondence } from '../src/correspondence/correspondence-log.js';
import { decodeCursor } from '../src/correspondence/log-cursor.js';
import { logQuerySegments, type LogFilters } from '../src/correspondence/log-query.js';
import type { Db } from '../src/db/database.js';

/** One measured path: its timings in milliseconds and the query to explain if it is slow. */
export interface Measured {
  name: string;
  targetMs: number;
  timings: number[];
  notes: string;
  /** The SQL of the slowest project's query, for EXPLAIN when the target is missed. */
  explain: CompiledQuery;
}

const LIMIT = 50;

export async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** Runs `work` once untimed (warm-up), then `repeats` times timed. */
export async function sample(repeats: number, work: () => Promise<unknown>): Promise<number[]> {
  await work();
  const timings: number[] = [];
  for (let i = 0; i < repeats; i++) timings.push(await timed(work));
  return timings;
}

/** The first page's SQL as listCorrespondence runs it (one segment for the date orders). */
function logSql(db: Db, projectId: number, filters: LogFilters, cursor: string | null) {
  const position = cursor ? decodeCursor(cursor, 'newest').position : null;
  const [segment] = logQuerySegments(db, projectId, filters, 'newest', false, position);
  if (!segment) throw new Error('no log segment');
  return segment.limit(LIMIT + 1).compile();
}

export async function measureLog(
  db: Db,
  projects: number[],
  repeats: number,
  name: string,
  targetMs: number,
  q?: string,
): Promise<Measured> {
  const timings: number[] = [];
  let rows = 0;
  for (const projectId of projects) {
    const query = q ? { q } : {};
    timings.push(
      ...(await sample(repeats, async () => {
        rows = (await listCorrespondence(db, projectId, query, { limit: LIMIT })).rows.length;
      })),
    );
  }
  const filters = q ? { text: q } : {};
  const explain = logSql(db, projects.at(-1) ?? 1, filters, null);
  return { name, targetMs, timings, notes: `${rows} rows on the last page read`, explain };
}

/**
 * Page 500 by keyset: walk the cursor from the first page 499 times (each page timed: `walk`),
 * then request page 500 with the real cursor of page 499, `repeats` times (`page500`).
 */
export async function measureDeepPage(
  db: Db,
  projects: number[],
  repeats: number,
  depth: number,
): Promise<{ walk: Measured; page: Measured }> {
  const walk: number[] = [];
  const page: number[] = [];
  let cursor: string | null = null;
  for (const projectId of projects) {
    cursor = null;
    for (let n = 1; n < depth; n++) {
      let next: string | null = null;
      walk.push(
        await timed(async () => {
          next = (await listCorrespondence(db, projectId, {}, { limit: LIMIT, cursor })).nextCursor;
        }),
      );
      cursor = next;
      if (!cursor) throw new Error(`project ${projectId} has fewer than ${depth} pages`);
    }
    const at = cursor;
    page.push(
      ...(await sample(repeats, () => listCorrespondence(db, projectId, {}, { cursor: at }))),
    );
  }
  const explain = logSql(db, projects.at(-1) ?? 1, {}, cursor);
  return {
    walk: {
      name: `log pages 1-${depth - 1} (walking the cursor)`,
      targetMs: 50,
      timings: walk,
      notes: 'every page timed once',
      explain,
    },
    page: {
      name: `log page ${depth} (keyset, real cursor)`,
      targetMs: 50,
      timings: page,
      notes: `cursor from walking ${depth - 1} pages`,
      explain,
    },
  };
}

export const explainQuery = (query: CompiledQuery) =>
  CompiledQuery.raw(`explain (analyze, buffers) ${query.sql}`, [...query.parameters]);
