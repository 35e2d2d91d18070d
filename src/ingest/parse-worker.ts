/**
 * A worker thread of the parse pool: parses and classifies raw messages it is sent, storing their
 * attachments with the same blob writer as the main thread's store, and answers with plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../background-priority.js';
import type { BlobWriterSpec } from '../blobs/blob-store.js';
import { blobWriterFor } from '../blobs/create-blob-store.js';
import { openRaw, type ParseTask, type ParseTaskAnswer } from './parse-pool.js';
import { prepareMail } from './prepare-mail.js';

const port = parentPort;
if (!port) throw new Error('parse-worker.js runs as a worker thread');
lowerThreadPriority();

const spec = (workerData as { writerSpec: BlobWriterSpec }).writerSpec;
const writer = blobWriterFor(spec);

port.on('message', (task: ParseTask) => {
  prepareMail(openRaw(task.raw, spec), writer, task.envelope).then(
    (prepared) => port.postMessage({ id: task.id, prepared } satisfies ParseTaskAnswer),
    (error: unknown) =>
      port.postMessage({
        id: task.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies ParseTaskAnswer),
  );
});
