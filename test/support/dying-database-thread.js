// Stands in for the embedded database's thread (src/db/pglite-thread.ts): it reports ready, then
// ends with exit code 3 at the first request, as a thread would whose PGlite crashed.
import process from 'node:process';
import { parentPort } from 'node:worker_threads';

parentPort.postMessage({ id: 0 });
parentPort.on('message', () => process.exit(3));
