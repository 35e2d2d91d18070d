import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pgliteOptions } from './pglite-options.js';
import type { PgliteAnswer, PgliteRequest, PgliteThreadData } from './pglite-protocol.js';

/**
 * The embedded database's own thread: PGlite runs here, so the WebAssembly PostgreSQL spends
 * this thread's time, not the SMTP loop's. It answers the requests of `ThreadedPglite` with
 * PGlite's own query and transaction calls, so PGlite's locking is what it always was.
 */
const port = parentPort!;
const { dataDir } = workerData as PgliteThreadData;
const pglite = new PGlite(pgliteOptions(dataDir ?? undefined));

interface OpenTransaction {
  tx: Transaction;
  end: (commit: boolean) => void;
  closed: Promise<unknown>;
}
const transactions = new Map<number, OpenTransaction>();

const answer = (message: PgliteAnswer): void => port.postMessage(message);

/** A DatabaseError's fields (code, detail, constraint…) travel with its message. */
function describeError(error: unknown): Record<string, unknown> & { message: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    // The statement and its parameters are the caller's own; they may be large.
    if (key === 'query' || key === 'params' || typeof value === 'function') continue;
    fields[key] = value;
  }
  return { ...fields, name: error.name, message: error.message };
}

function begin(id: number, txId: number): void {
  let decide!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => (decide = resolve));
  let begun = false;
  const closed = pglite
    .transaction(async (tx) => {
      transactions.set(txId, { tx, end: decide, closed });
      begun = true;
      answer({ id });
      // PGlite commits when this callback returns and rolls back when it throws.
      if (!(await decided)) throw new RollbackRequested();
    })
    .finally(() => transactions.delete(txId));
  closed.catch((error: unknown) => {
    if (!begun) answer({ id, error: describeError(error) });
  });
}

class RollbackRequested extends Error {}

async function end(id: number, txId: number, commit: boolean): Promise<void> {
  const open = transactions.get(txId);
  if (!open) return answer({ id, error: { message: `no open transaction ${txId}` } });
  open.end(commit);
  try {
    await open.closed;
    answer({ id });
  } catch (error) {
    if (error instanceof RollbackRequested) answer({ id });
    else answer({ id, error: describeError(error) });
  }
}

async function query(id: number, sql: string, params: unknown[], txId?: number): Promise<void> {
  try {
    const target = txId === undefined ? pglite : transactions.get(txId)?.tx;
    if (!target) throw new Error(`no open transaction ${txId}`);
    const { rows, affectedRows } = await target.query(sql, params, { rowMode: 'object' });
    answer({ id, rows, ...(affectedRows === undefined ? {} : { affectedRows }) });
  } catch (error) {
    answer({ id, error: describeError(error) });
  }
}

port.on('message', (request: PgliteRequest) => {
  switch (request.op) {
    case 'query':
      void query(request.id, request.sql, request.params, request.tx);
      break;
    case 'begin':
      begin(request.id, request.tx);
      break;
    case 'end':
      void end(request.id, request.tx, request.commit);
      break;
    case 'close':
      void pglite.close().then(
        () => answer({ id: request.id }),
        (error: unknown) => answer({ id: request.id, error: describeError(error) }),
      );
      break;
  }
});

pglite.waitReady.then(
  () => answer({ id: 0 }),
  (error: unknown) => answer({ id: 0, error: describeError(error) }),
);
