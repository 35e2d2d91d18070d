import type { ReplyTokenKind } from '../auth/reply-token.js';
import { signedReplyAddress } from '../records/reply-evidence.js';
import type { RecordContext } from '../records/record-context.js';
import type { DueReminder, ReminderLine, ReminderProject } from './reminder-model.js';

/** A reply address in a reminder stays good about as long as the original request's did. */
const TOKEN_LIFETIME_DAYS = 120;

const ACTION_TEXT: Record<ReplyTokenKind, string> = {
  review: 'review and decide',
  rfi: 'answer',
  ack: 'acknowledge receipt',
  resubmit: 'resubmit a revision',
};

/** What a reminder needs besides the database: signing and mail settings, and the web address. */
export interface ReminderContext {
  records: RecordContext;
  /** Where people reach the web pages, e.g. http://docket.example:3000 (no trailing slash). */
  baseUrl: string;
}

/** One formatter per zone: building one costs far more than using it, and a digest has many lines. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date as the project's people read it, in its zone: "Fri, 11 Dec 2026". */
export function projectDateText(project: ReminderProject, instant: Date): string {
  let format = dateFormats.get(project.timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: project.timezone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    });
    dateFormats.set(project.timezone, format);
  }
  return format.format(instant);
}

function standing(line: ReminderLine): string {
  if (!line.overdue) {
    if (line.daysLeft === 0) return 'due today';
    return `due in ${line.daysLeft} working day${line.daysLeft === 1 ? '' : 's'}`;
  }
  if (line.daysOverdue === 0) return 'overdue';
  return `${line.daysOverdue} working day${line.daysOverdue === 1 ? '' : 's'} overdue`;
}

/**
 * The template data of one reminder. A digest line carries a reply address signed for the person
 * and record — the same kind of token the original request carried, so a reply to it acts on the
 * item — and every line links to its thread in the web pages.
 */
export function reminderMailData(
  context: ReminderContext,
  reminder: DueReminder,
  now: Date,
): Record<string, unknown> {
  const home = reminder.sections.find((s) => s.project.id === reminder.homeProjectId)?.project;
  const lines = reminder.sections.flatMap((s) => s.lines);
  return {
    person: reminder.person,
    localDate: reminder.localDate,
    dateText: home ? projectDateText(home, now) : reminder.localDate,
    total: lines.length,
    overdueCount: lines.filter((l) => l.overdue).length,
    sections: reminder.sections.map(({ project, lines }) => {
      const projectLink = `${context.baseUrl}/p/${encodeURIComponent(project.code)}`;
      return {
        code: project.code,
        name: project.name,
        link: projectLink,
        lines: lines.map((line) => {
          const o = line.obligation;
          const replyTo =
            reminder.job === 'digest' && o.holderMemberId !== null
              ? signedReplyAddress(
                  context.records,
                  project.code,
                  {
                    kind: o.kind,
                    recordId: o.recordId,
                    revision: o.revision,
                    step: o.step,
                    personId: o.holderMemberId,
                  },
                  now,
                  TOKEN_LIFETIME_DAYS,
                )
              : null;
          return {
            number: o.number,
            title: o.title,
            holder: o.holder,
            actionText: ACTION_TEXT[o.kind],
            dueDate: projectDateText(project, o.dueAt),
            daysOverdue: line.daysOverdue,
            overdue: line.overdue,
            standing: standing(line),
            replyTo,
            link: o.threadId === null ? projectLink : `${projectLink}/threads/${o.threadId}`,
          };
        }),
      };
    }),
  };
}
