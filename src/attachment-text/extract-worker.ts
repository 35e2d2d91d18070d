import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from '../background-priority.js';
import { readDocument, type DocumentReader, type ReadingLimits } from './read-document.js';

/** One job for a worker: the bytes (transferred, not copied), the reader, the limits. */
export interface WorkerRequest {
  id: number;
  bytes: Uint8Array;
  reader: DocumentReader;
  limits: ReadingLimits;
}

// The entry of an extraction worker thread (see extraction-pool.ts): reads one document at a
// time and answers with its outcome. Everything that can run away (pdf.js, inflating, XML) runs
// here, where the pool can terminate it without touching the SMTP and HTTP servers.
lowerThreadPriority();

parentPort?.on('message', (request: WorkerRequest) => {
  void readDocument(request.bytes, request.reader, request.limits).then((outcome) =>
    parentPort?.postMessage({ id: request.id, outcome }),
  );
});
