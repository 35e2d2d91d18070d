import type { ReplyTokenKind } from '../auth/reply-token.js';

/**
 * The reminder jobs that mail people; each sends a person at most one mail per local date (the
 * weekly summary at most one a week: its date is always the week's first working day).
 */
export const REMINDER_JOBS = ['digest', 'escalation', 'weekly'] as const;
export type ReminderJob = (typeof REMINDER_JOBS)[number];

/** A project as the reminder rules see it: its calendar, its morning and its thresholds. */
export interface ReminderProject {
  id: number;
  code: string;
  name: string;
  timezone: string;
  workingWeekdays: readonly number[];
  holidays: readonly string[];
  /** Local 'HH:MM' the morning reminders go out. */
  digestTime: string;
  escalateAfterDays: number;
  escalateAdminAfterDays: number;
}

/**
 * Something one person owes on one record right now, read from the current ball in court: a
 * review step, an answer to an RFI or other item, a transmittal acknowledgement, a resubmittal.
 */
export interface Obligation {
  projectId: number;
  /** The reply-token kind a reply about it uses. */
  kind: ReplyTokenKind;
  recordType: 'submittal' | 'item' | 'transmittal';
  recordId: number;
  revision: number;
  step: number;
  /** As people read it: `03 30 00-007.1`, `RFI-007`, `TR-0042`. */
  number: string;
  title: string;
  holder: string;
  holderMemberId: number | null;
  dueAt: Date;
  /** When it became theirs (request sent, item opened, decision issued). */
  since: Date;
  threadId: number | null;
}

/** Who is not to be mailed: hard-bounced addresses and members paused in a project. */
export interface QuietList {
  undeliverable: ReadonlySet<string>;
  /** `${projectId} ${email}` → last paused local date (inclusive). */
  pausedUntil: ReadonlyMap<string, string>;
}

/** Who hears about escalations: each project's managers, and the administrators. */
export interface EscalationAudience {
  managers: ReadonlyMap<number, readonly string[]>;
  admins: readonly string[];
}

/** What the rules read at one instant; loaded from the database, or written out in a test. */
export interface ReminderState extends QuietList, EscalationAudience {
  projects: readonly ReminderProject[];
  obligations: readonly Obligation[];
}

/** One line of a reminder: an obligation and how it stands at the run's instant. */
export interface ReminderLine {
  obligation: Obligation;
  /** Working days past the due date (0 when not yet due or due today). */
  daysOverdue: number;
  /** Working days until the due date (0: due today, or overdue). */
  daysLeft: number;
  overdue: boolean;
}

/** One mail to one person: its identity (job, person, local date) and its lines by project. */
export interface DueReminder {
  job: ReminderJob;
  person: string;
  localDate: string;
  /** The project whose local date and morning the reminder follows (see `homeProject`). */
  homeProjectId: number;
  sections: { project: ReminderProject; lines: ReminderLine[] }[];
}
