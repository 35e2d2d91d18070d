import { cleanUpSessions } from '../auth/session-cleanup.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../log.js';
import type { OutboxDelivery } from '../outbox/delivery-worker.js';
import type { ReminderContext } from '../reminders/reminder-mail.js';
import { REMINDER_JOBS } from '../reminders/reminder-model.js';
import { runReminderJob } from '../reminders/run-reminder-job.js';
import type { ScheduledJob } from './scheduler.js';

/**
 * Reminder jobs tick every five minutes: each tick works out whose morning has come and sends what
 * the ledger does not already hold, so a tick missed while the service was down is caught up by the
 * next one, and several instances ticking at once send each reminder once. Outbox delivery is
 * nudged every minute, on top of the nudges filing gives it, so retries fall due on time.
 */
export function scheduledJobs(deps: {
  db: Db;
  reminders: ReminderContext;
  delivery: OutboxDelivery | null;
  log: Logger;
}): ScheduledJob[] {
  const { db, reminders, delivery, log } = deps;
  const jobs: ScheduledJob[] = REMINDER_JOBS.map((job) => ({
    name: job,
    cron: '*/5 * * * *',
    async run(now) {
      const report = await runReminderJob(db, reminders, { job, log }, now);
      if (report.sent + report.failed > 0) {
        delivery?.notify();
        log.info(
          { job, sent: report.sent, alreadySent: report.alreadySent, failed: report.failed },
          'reminders sent',
        );
      }
    },
  }));
  // Daily, at a quiet hour: expired sessions and spent login links would otherwise pile up forever.
  jobs.push({
    name: 'sessions',
    cron: '17 3 * * *',
    async run(now) {
      log.info(
        { job: 'sessions', ...(await cleanUpSessions(db, now)) },
        'sign-in records cleaned up',
      );
    },
  });
  if (delivery) {
    jobs.push({
      name: 'outbox',
      cron: '* * * * *',
      async run() {
        delivery.notify();
        await delivery.idle();
      },
    });
  }
  return jobs;
}
