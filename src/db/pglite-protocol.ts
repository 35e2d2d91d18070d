/** What `ThreadedPglite` and the database thread (`pglite-thread.ts`) say to each other. */

export interface PgliteThreadData {
  /** The data directory, or null to keep the database in memory. */
  dataDir: string | null;
}

export type PgliteRequest =
  | { op: 'query'; id: number; sql: string; params: unknown[]; tx?: number }
  | { op: 'begin'; id: number; tx: number }
  | { op: 'end'; id: number; tx: number; commit: boolean }
  | { op: 'close'; id: number };

/** Id 0 answers start-up: the database is ready, or could not open. */
export interface PgliteAnswer {
  id: number;
  rows?: unknown[];
  affectedRows?: number;
  error?: Record<string, unknown> & { message: string };
}
