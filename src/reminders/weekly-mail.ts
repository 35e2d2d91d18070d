import { DateTime } from 'luxon';
import type { DueReminder, ReminderProject } from './reminder-model.js';
import type { WeeklyProjectSummary } from './weekly-summary.js';

/** The name of the attached PDF, e.g. `Weekly summary 2026-11-30.pdf`. */
export function weeklyPdfName(reminder: DueReminder): string {
  return `Weekly summary ${reminder.localDate}.pdf`;
}

function overdueText(days: number): string {
  if (days === 0) return 'past due';
  return `${days} working day${days === 1 ? '' : 's'} overdue`;
}

/** The template data of one weekly summary (templates/weekly.*). */
export function weeklyMailData(
  reminder: DueReminder,
  home: ReminderProject,
  summaries: readonly WeeklyProjectSummary[],
): Record<string, unknown> {
  const weekOf = DateTime.fromISO(reminder.localDate);
  return {
    person: reminder.person,
    localDate: reminder.localDate,
    weekText: weekOf.toFormat('ccc d LLL yyyy'),
    timezone: home.timezone,
    attachmentName: weeklyPdfName(reminder),
    overdueTotal: summaries.reduce((n, s) => n + s.oldest.length + s.moreOverdue, 0),
    sections: summaries.map((summary) => ({
      ...summary,
      oldest: summary.oldest.map((item) => ({
        ...item,
        holderText: item.holders.join(', '),
        standing: overdueText(item.daysOverdue),
      })),
    })),
  };
}
