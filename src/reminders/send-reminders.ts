import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Logger } from '../log.js';
import type { ReminderContext } from './reminder-mail.js';
import type { DueReminder } from './reminder-model.js';
import { claimAndEnqueueReminder } from './send-reminder.js';

/** Reminders claimed in one transaction: one commit (one WAL flush) for the lot, not one each. */
const PER_TRANSACTION = 25;
/**
 * Transactions at once: each mail waits on its blob's fsync and its statements' round trips, so
 * several in flight keep the CPU busy (8 ran the 1,000-person benchmark a quarter faster than 4).
 * Of the default pool of 10 that leaves 2 for the web pages, for the few seconds a run lasts.
 */
const IN_FLIGHT = 8;

export interface SendOutcome {
  sent: number;
  /** Claimed by another instance first. */
  alreadySent: number;
  failed: number;
}

/**
 * Sends many reminders exactly once each, in groups of 25 per transaction, eight transactions at a
 * time. Each reminder is claimed and written inside a savepoint of its group's transaction: one
 * that fails (a template error) is rolled back alone, counted as failed and left for the next
 * tick; a group whose commit fails (a lost connection) leaves none of its claims, and all of it is
 * retried by the next tick. Nothing is lost and nothing doubles, as with one transaction each.
 *
 * `reminders` must be sorted by person (as the rules return them): every transaction, here or in
 * another instance, then takes the ledger's keys in the same order, so racing instances wait on
 * one another but can never deadlock.
 */
export async function sendReminders(
  db: Db,
  context: ReminderContext,
  reminders: readonly DueReminder[],
  now: Date,
  log?: Logger,
): Promise<SendOutcome> {
  const outcome: SendOutcome = { sent: 0, alreadySent: 0, failed: 0 };
  const groups: DueReminder[][] = [];
  for (let i = 0; i < reminders.length; i += PER_TRANSACTION) {
    groups.push(reminders.slice(i, i + PER_TRANSACTION));
  }
  const failed = (reminder: DueReminder, error: unknown) => {
    outcome.failed += 1;
    log?.error(
      { err: error, job: reminder.job, person: reminder.person, localDate: reminder.localDate },
      'reminder not sent; the next run retries it',
    );
  };
  const worker = async () => {
    for (let group = groups.shift(); group; group = groups.shift()) {
      const done = { sent: 0, alreadySent: 0 };
      const dropped: DueReminder[] = [];
      try {
        await db.transaction().execute(async (trx) => {
          for (const reminder of group) {
            await sql`savepoint reminder`.execute(trx);
            try {
              const result = await claimAndEnqueueReminder(trx, context, reminder, now);
              await sql`release savepoint reminder`.execute(trx);
              if (result === 'sent') done.sent += 1;
              else done.alreadySent += 1;
            } catch (error) {
              await sql`rollback to savepoint reminder`.execute(trx);
              dropped.push(reminder);
              failed(reminder, error);
            }
          }
        });
      } catch (error) {
        // The commit (or the connection) failed: nothing of the group was kept.
        for (const reminder of group) if (!dropped.includes(reminder)) failed(reminder, error);
        continue;
      }
      outcome.sent += done.sent;
      outcome.alreadySent += done.alreadySent;
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, groups.length) }, worker));
  return outcome;
}
