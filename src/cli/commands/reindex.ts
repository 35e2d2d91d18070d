import pino from 'pino';
import {
  pendingTexts,
  projectTextSummary,
  queueProjectTexts,
} from '../../attachment-text/attachment-text.repository.js';
import { TextIndexer } from '../../attachment-text/text-indexer.js';
import { getProjectByCode } from '../../projects/project.repository.js';
import type { CommandContext } from './context.js';

export interface ReindexInput {
  code: string;
}

/** How often progress is read back from the database. */
const POLL_MS = 500;

/**
 * Reads the text of a project's attachments that were filed before Docket read attachments, and
 * again those whose reading did not finish (it timed out, say, on a busy machine), so a search
 * finds them. The reading is done by this process's reader, or a running server's, alongside any
 * other instance's; progress counts the project's attachments still waiting, whoever reads them.
 */
export async function reindex(ctx: CommandContext, input: ReindexInput): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const queued = await queueProjectTexts(ctx.db, project.id);
  let { pending } = await pendingTexts(ctx.db, project.id);
  ctx.io.out(
    `Queued ${count(queued)} attachment${queued === 1 ? '' : 's'} of ${project.code}; ${count(pending)} to read.`,
  );
  const own =
    pending > 0 && !ctx.texts
      ? new TextIndexer({ db: ctx.db, blobs: ctx.blobs }, pino({ level: 'silent' }), {
          workers: Math.max(1, ctx.config.attachmentTextWorkers),
        })
      : null;
  const indexer = ctx.texts ?? own;
  const progress = pending > 0 ? ctx.io.progress(pending, `Reading ${project.code}`) : null;
  let elsewhere = 0;
  try {
    while (pending > 0 && indexer) {
      ctx.signal?.throwIfAborted();
      indexer.notify();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const now = await pendingTexts(ctx.db, project.id);
      if (now.pending < pending) progress?.tick(pending - now.pending);
      pending = now.pending;
      // What is left is held by other processes' claims: theirs to finish, or to be taken again
      // once the lease of one that stopped runs out.
      if (now.unclaimed === 0 && pending > 0) {
        await indexer.idle();
        const again = await pendingTexts(ctx.db, project.id);
        if (again.pending < pending) progress?.tick(pending - again.pending);
        pending = again.pending;
        if (again.unclaimed === 0) {
          elsewhere = pending;
          break;
        }
      }
    }
  } finally {
    progress?.stop();
    await own?.stop();
  }
  const summary = await projectTextSummary(ctx.db, project.id);
  ctx.io.out(
    `${project.code}: ${count(summary.extracted)} attachment${summary.extracted === 1 ? '' : 's'} with text ` +
      `(${count(summary.pages)} PDF page${summary.pages === 1 ? '' : 's'}), ${count(summary.noText)} without text ` +
      `(pictures, encrypted or unreadable files), ${count(summary.failed)} whose reading did not finish.`,
  );
  if (elsewhere > 0) {
    ctx.io.out(`${count(elsewhere)} are being read by another docket process.`);
  }
}

const count = (n: number) => n.toLocaleString('en-US');
