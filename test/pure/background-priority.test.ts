import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const linux = existsSync('/proc/thread-self');

describe('background threads', () => {
  it.skipIf(!linux)(
    'run at a lower priority than the main thread, which keeps its own (Linux)',
    async () => {
      // The compiled module, as the worker threads load it.
      const module = new URL('../../dist/src/background-priority.js', import.meta.url).href;
      const worker = new Worker(
        `import(${JSON.stringify(module)}).then(({ lowerThreadPriority }) => {
         const { readlinkSync } = require('node:fs');
         const { getPriority } = require('node:os');
         const { parentPort } = require('node:worker_threads');
         const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
         const before = getPriority(tid);
         lowerThreadPriority();
         parentPort.postMessage({ before, after: getPriority(tid) });
       });`,
        { eval: true },
      );
      const seen = await new Promise<{ before: number; after: number }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      const { getPriority } = await import('node:os');
      expect(seen.after).toBe(Math.min(seen.before + 10, 19));
      expect(getPriority()).toBe(seen.before);
    },
  );
});
