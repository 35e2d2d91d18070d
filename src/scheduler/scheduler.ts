import cron from 'node-cron';
import type { Logger } from '../log.js';

/** A job the scheduler runs: when (a cron expression) and what, given the time of the tick. */
export interface ScheduledJob {
  name: string;
  cron: string;
  run(now: Date): Promise<void>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Runs scheduled jobs inside `docket serve`. A tick only calls the job with the current time; the
 * job itself decides what is due and records what it did, so a missed or doubled tick is harmless.
 * A job still running when its next tick comes is not started twice.
 */
export function startScheduler(jobs: readonly ScheduledJob[], log: Logger): Scheduler {
  const running = new Map<string, Promise<void>>();
  const tasks = jobs.map((job) =>
    cron.schedule(job.cron, () => {
      if (running.has(job.name)) return;
      const run = job
        .run(new Date())
        .catch((error: unknown) => log.error({ err: error, job: job.name }, 'scheduled job failed'))
        .finally(() => running.delete(job.name));
      running.set(job.name, run);
    }),
  );
  log.info({ jobs: jobs.map((job) => job.name) }, 'scheduler started');
  return {
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.allSettled([...running.values()]);
    },
  };
}
