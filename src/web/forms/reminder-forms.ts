import { DateTime } from 'luxon';
import { z } from 'zod';
import type { ReminderSettings } from '../../reminders/reminder-settings.js';

function threshold(label: string) {
  return z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, `${label} must be a whole number of working days.`)
    .transform(Number)
    .refine((days) => days >= 1 && days <= 1000, `${label} must be 1 to 1000 working days.`)
    .prefault('');
}

/** The project's reminder time and the two escalation thresholds. */
export const reminderSettingsForm = z
  .object({
    digest_time: z
      .string()
      .trim()
      .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, {
        error: (issue) =>
          `${JSON.stringify(issue.input ?? '')} is not a time of day: use HH:MM, such as 07:00.`,
      })
      .prefault(''),
    escalate_after_days: threshold('The managers’ escalation threshold'),
    escalate_admin_after_days: threshold('The administrators’ escalation threshold'),
  })
  .transform((form): Required<ReminderSettings> => ({
    digestTime: form.digest_time,
    escalateAfterDays: form.escalate_after_days,
    escalateAdminAfterDays: form.escalate_admin_after_days,
  }));

/**
 * Pausing a member's reminders through a local date (inclusive), or until resumed when the date is
 * left empty. `today` is the project's local date: a pause that has already ended is refused.
 */
export function pauseRemindersForm(today: string) {
  return z.object({
    until: z
      .string()
      .trim()
      .prefault('')
      .superRefine((text, ctx) => {
        if (text === '') return;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !DateTime.fromISO(text).isValid) {
          ctx.addIssue({
            code: 'custom',
            message: `"${text}" is not a date: use YYYY-MM-DD, such as 2026-12-24, or leave it empty to pause until resumed.`,
          });
        } else if (text < today) {
          ctx.addIssue({
            code: 'custom',
            message: `${text} has already passed: choose today or a later date, or leave it empty to pause until resumed.`,
          });
        }
      })
      .transform((text) => text || null),
  });
}
