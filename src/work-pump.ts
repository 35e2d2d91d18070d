/**
 * Drives a background loop that looks for work in the database (filing, reading attachments):
 * one run at a time, started by `notify`, started again when work was announced while it ran,
 * and waited for by `idle` and `stop`. The loop asks `lookAgain()` before each claim and calls
 * `foundWork()` after a claim that found something, so it ends only after a claim came back
 * empty with nothing announced since.
 */
export class WorkPump {
  readonly #loop: () => Promise<void>;
  #wanted = false;
  #stopped = false;
  #running: Promise<void> | null = null;
  #idleWaiters: (() => void)[] = [];

  constructor(loop: () => Promise<void>) {
    this.#loop = loop;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Work may be waiting: run the loop now, or once more after the run in progress. */
  notify(): void {
    if (this.#stopped) return;
    this.#wanted = true;
    this.#running ??= this.#loop().finally(() => {
      this.#running = null;
      if (this.#wanted && !this.#stopped) this.notify();
      else for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
  }

  /** For the loop: whether to claim again (and, if so, that this look is now taken). */
  lookAgain(): boolean {
    if (!this.#wanted || this.#stopped) return false;
    this.#wanted = false;
    return true;
  }

  /** For the loop: a claim found work, so there may be more behind it. */
  foundWork(): void {
    this.#wanted = true;
  }

  /** Resolves once the loop has ended with nothing more announced. */
  idle(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** No more runs; resolves when the run in progress, if any, has ended. */
  stop(): Promise<void> {
    this.#stopped = true;
    return this.#running ?? Promise.resolve();
  }
}
