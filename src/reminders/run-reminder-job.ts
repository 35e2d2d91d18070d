import type { Db } from '../db/database.js';
import type { Logger } from '../log.js';
import { digestsDue, escalationsDue } from './due-reminders.js';
import { loadReminderState } from './load-reminder-state.js';
import type { ReminderContext } from './reminder-mail.js';
import type { DueReminder, ReminderJob, ReminderState } from './reminder-model.js';
import { sendReminders } from './send-reminders.js';
import { weeklySummariesDue } from './weekly-due.js';
import { sendWeeklySummary } from './weekly-send.js';

const DUE: Record<ReminderJob, (state: ReminderState, now: Date) => DueReminder[]> = {
  digest: digestsDue,
  escalation: escalationsDue,
  weekly: weeklySummariesDue,
};

export interface ReminderRunReport {
  job: ReminderJob;
  /** Reminders due at this instant and not yet in the ledger (with --dry-run: would be sent). */
  pending: DueReminder[];
  sent: number;
  /** Claimed by another instance between our read of the ledger and our claim. */
  alreadySent: number;
  failed: number;
}

/**
 * One run of a reminder job at `now`: work out what is due, drop what the ledger says already went
 * out, and send the rest — in groups per transaction, each reminder in a savepoint of its own
 * (`sendReminders`), so one failure (a template error) holds up nobody else and is retried by the
 * next tick. With `dryRun` nothing is written.
 */
export async function runReminderJob(
  db: Db,
  context: ReminderContext,
  input: { job: ReminderJob; dryRun?: boolean; log?: Logger },
  now: Date,
): Promise<ReminderRunReport> {
  const state = await loadReminderState(db, now);
  const due = DUE[input.job](state, now);
  const pending = await notYetSent(db, input.job, due);
  const report: ReminderRunReport = { job: input.job, pending, sent: 0, alreadySent: 0, failed: 0 };
  if (input.dryRun) return report;
  if (input.job !== 'weekly') {
    return { ...report, ...(await sendReminders(db, context, pending, now, input.log)) };
  }
  // A weekly summary renders its PDF before its claim's transaction: one at a time, each its own.
  for (const reminder of pending) {
    try {
      const outcome = await sendWeeklySummary(db, context, reminder, now);
      if (outcome === 'sent') report.sent += 1;
      else report.alreadySent += 1;
    } catch (error) {
      report.failed += 1;
      input.log?.error(
        { err: error, job: input.job, person: reminder.person, localDate: reminder.localDate },
        'reminder not sent; the next run retries it',
      );
    }
  }
  return report;
}

/** A cheap pre-check against the ledger, so a tick every minute re-sends nothing and locks nothing. */
async function notYetSent(db: Db, job: ReminderJob, due: DueReminder[]): Promise<DueReminder[]> {
  const dates = [...new Set(due.map((r) => r.localDate))];
  if (dates.length === 0) return [];
  const sent = await db
    .selectFrom('reminders_sent')
    .select(['person', 'local_date'])
    .where('job', '=', job)
    .where('local_date', 'in', dates)
    .execute();
  const keys = new Set(sent.map((s) => `${s.person} ${s.local_date}`));
  return due.filter((r) => !keys.has(`${r.person} ${r.localDate}`));
}
