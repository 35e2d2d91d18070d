import { DateTime } from 'luxon';
import { cleanUpSessions } from '../../auth/session-cleanup.js';
import { webBaseUrl } from '../../auth/web-login-link.js';
import { DocketError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { OutboxDelivery } from '../../outbox/delivery-worker.js';
import { configuredRecordContext } from '../../records/configured-record-context.js';
import { projectDateText, type ReminderContext } from '../../reminders/reminder-mail.js';
import { REMINDER_JOBS, type DueReminder } from '../../reminders/reminder-model.js';
import { runReminderJob } from '../../reminders/run-reminder-job.js';
import type { CommandContext } from './context.js';

export const JOB_NAMES = [...REMINDER_JOBS, 'sessions', 'outbox'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface JobsRunInput {
  job: string;
  /** An ISO date-time (see `parseNow`). Default: now. */
  now?: string;
  dryRun?: boolean;
}

const SCHEDULES: Record<JobName, string> = {
  digest: "every 5 minutes; sends at each project's digest time on its working days",
  escalation: "every 5 minutes; sends at each project's digest time on its working days",
  weekly: "every 5 minutes; sends to managers at the digest time on the week's first working day",
  sessions: 'daily at 03:17; deletes expired sessions and spent login links',
  outbox: 'every minute (and after every filing); needs SMTP_RELAY_URL',
};

/** `docket jobs list`: the jobs `docket serve` runs, and when. */
export function jobsList(ctx: CommandContext): Promise<void> {
  for (const name of JOB_NAMES) ctx.io.out(`${name.padEnd(11)} ${SCHEDULES[name]}`);
  if (!ctx.config.scheduler) ctx.io.out('(SCHEDULER=false: docket serve runs none of them here)');
  return Promise.resolve();
}

/** `docket jobs run <job> [--now <ISO time>] [--dry-run]`: one run, as a scheduler tick would. */
export async function jobsRun(ctx: CommandContext, input: JobsRunInput): Promise<void> {
  const job = jobName(input.job);
  const now = instant(input.now);
  if (job === 'outbox') return runOutbox(ctx, input.dryRun ?? false, now);
  if (job === 'sessions') return runSessions(ctx, input.dryRun ?? false, now);
  const report = await runReminderJob(
    ctx.db,
    reminderContext(ctx),
    { job, dryRun: input.dryRun ?? false, log: createLogger('error', process.stderr) },
    now,
  );
  const verb = input.dryRun ? 'would send' : 'sent';
  const count = input.dryRun ? report.pending.length : report.sent;
  ctx.io.out(`${job} at ${now.toISOString()}: ${verb} ${count}`);
  for (const reminder of report.pending) printReminder(ctx, reminder);
  if (report.alreadySent > 0)
    ctx.io.out(`${report.alreadySent} sent meanwhile by another instance`);
  if (report.failed > 0) {
    throw new DocketError('unavailable', `${report.failed} ${job} mail(s) failed; see the log`);
  }
}

function reminderContext(ctx: CommandContext): ReminderContext {
  return {
    records: configuredRecordContext(ctx.config, ctx.blobs),
    baseUrl: webBaseUrl(ctx.config.http),
  };
}

function printReminder(ctx: CommandContext, reminder: DueReminder): void {
  const count = reminder.sections.reduce((n, s) => n + s.lines.length, 0);
  ctx.io.out(`  ${reminder.person} (${reminder.job}, ${reminder.localDate}): ${count} item(s)`);
  for (const { project, lines } of reminder.sections) {
    for (const { obligation: o, daysOverdue, daysLeft, overdue } of lines) {
      const standing = overdue
        ? `overdue ${daysOverdue} working day(s)`
        : `due in ${daysLeft} working day(s)`;
      const holder = reminder.job === 'digest' ? '' : `, ball with ${o.holder}`;
      ctx.io.out(
        `    ${project.code} ${o.number} ${o.title} — due ${projectDateText(project, o.dueAt)} (${standing}${holder})`,
      );
    }
  }
}

/**
 * One delivery pass over the mail due at `now`. A reminder run with `--now` in the future queues
 * its mail for that moment; the same `--now` here delivers it.
 */
async function runOutbox(ctx: CommandContext, dryRun: boolean, now: Date): Promise<void> {
  const due = await ctx.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', '=', 'queued')
    .where('next_attempt_at', '<=', now)
    .executeTakeFirstOrThrow();
  if (!ctx.config.relayUrl) {
    ctx.io.out(
      'No SMTP_RELAY_URL: outbound mail stays captured in the outbox, nothing to deliver.',
    );
    return;
  }
  if (dryRun) return ctx.io.out(`outbox: would try ${Number(due.count)} queued message(s)`);
  const delivery = new OutboxDelivery(ctx.db, ctx.blobs, createLogger('warn', process.stderr), {
    relayUrl: ctx.config.relayUrl,
    maxAttempts: ctx.config.outboxMaxAttempts,
    clock: () => now,
  });
  delivery.notify();
  await delivery.idle();
  await delivery.stop();
  ctx.io.out(`outbox: tried ${Number(due.count)} queued message(s)`);
}

async function runSessions(ctx: CommandContext, dryRun: boolean, now: Date): Promise<void> {
  if (dryRun) return ctx.io.out('sessions: --dry-run is not supported; nothing deleted');
  const report = await cleanUpSessions(ctx.db, now);
  ctx.io.out(
    `sessions at ${now.toISOString()}: deleted ${report.sessions} expired session(s), ${report.loginTokens} spent login link(s), ${report.loginRequests} old login request(s)`,
  );
}

function jobName(value: string): JobName {
  if ((JOB_NAMES as readonly string[]).includes(value)) return value as JobName;
  throw new DocketError('invalid_input', `no job "${value}": one of ${JOB_NAMES.join(', ')}`);
}

function instant(value: string | undefined): Date {
  return value === undefined ? new Date() : parseNow(value);
}

/**
 * `--now`: an ISO date-time. Without an offset it is read in this machine's time zone, as `date`
 * would; the CLI converts it before handing it to a running server, whose zone may differ.
 */
export function parseNow(value: string): Date {
  const parsed = DateTime.fromISO(value);
  if (!parsed.isValid) {
    throw new DocketError('invalid_input', `--now "${value}" is not an ISO date-time`);
  }
  return parsed.toJSDate();
}
