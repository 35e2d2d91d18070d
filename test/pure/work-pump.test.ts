import { describe, expect, it } from 'vitest';
import { WorkPump } from '../../src/work-pump.js';

/** A loop over a queue of work items, claiming up to two at a time, as the real loops claim rows. */
function queueLoop(queue: number[], done: number[], pause: () => Promise<void>) {
  let runs = 0;
  const pump = new WorkPump(async () => {
    runs++;
    while (pump.lookAgain()) {
      const claimed = queue.splice(0, 2);
      await pause(); // the claim's round trip
      if (claimed.length === 0) continue;
      pump.foundWork();
      done.push(...claimed);
    }
  });
  return { pump, runs: () => runs };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the pump behind background loops', () => {
  it('claims until a claim comes back empty, then is idle', async () => {
    const done: number[] = [];
    const { pump, runs } = queueLoop([1, 2, 3, 4, 5], done, turn);
    pump.notify();
    await pump.idle();
    expect(done).toEqual([1, 2, 3, 4, 5]);
    expect(runs()).toBe(1);
  });

  it('runs once at a time, and claims again for work announced during an empty claim', async () => {
    const queue: number[] = [];
    const done: number[] = [];
    let release = () => undefined as void;
    const { pump, runs } = queueLoop(queue, done, async () => {
      await new Promise<void>((resolve) => (release = resolve));
    });
    pump.notify();
    pump.notify(); // while running: no second run beside it
    await turn();
    // The loop's claim found nothing; work is stored and announced before the claim answers.
    queue.push(7, 8);
    pump.notify();
    for (let i = 0; i < 5; i++) {
      release();
      await turn();
    }
    await pump.idle();
    expect(done).toEqual([7, 8]);
    expect(runs()).toBe(1);
  });

  it('stops starting runs, and stop waits for the run in progress', async () => {
    const queue = [1, 2, 3, 4, 5, 6];
    const done: number[] = [];
    const { pump, runs } = queueLoop(queue, done, turn);
    pump.notify();
    const stopped = pump.stop();
    expect(pump.stopped).toBe(true);
    await stopped;
    // The run in progress ends at its next look; nothing new starts.
    expect(done.length).toBeLessThan(6);
    pump.notify();
    await pump.idle();
    expect(runs()).toBe(1);
  });

  it('is idle at once when nothing was ever announced', async () => {
    const { pump, runs } = queueLoop([1], [], turn);
    await pump.idle();
    expect(runs()).toBe(0);
  });
});
