import { DateTime } from 'luxon';
import { z } from 'zod';
import { isValidTimeZone } from '../../projects/project-code.js';
import type { ProjectSettingsChange } from '../../projects/project-settings.js';
import { nonBlankLines } from './form-fields.js';

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

const projectName = z
  .string()
  .trim()
  .min(1, 'The project needs a name.')
  .max(200, 'The project name is too long (200 characters at most).')
  .prefault('');

const timeZone = z
  .string()
  .trim()
  .min(1, 'Choose the time zone the project works in.')
  .refine((zone) => /^[A-Za-z]/.test(zone) && isValidTimeZone(zone), {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a time zone: use an IANA name such as Europe/London.`,
  })
  .prefault('');

function workingDays(label: string) {
  return z
    .string()
    .trim()
    .regex(/^\d{1,3}$/, `${label} must be a whole number of working days.`)
    .transform(Number)
    .refine((days) => days <= 365, `${label} must be 365 working days or fewer.`)
    .prefault('');
}

/** `POST /projects`: what a new project starts with. */
export const newProjectForm = z.object({
  code: z.string().trim().min(1, 'The project needs a code.').prefault(''),
  name: projectName,
  timezone: timeZone,
});

/** The general settings: name, zone, the working days each kind of record is given. */
export const generalForm = z
  .object({
    name: projectName,
    timezone: timeZone,
    review_days: workingDays('Review time'),
    rfi_days: workingDays('RFI response time'),
    ack_days: workingDays('Acknowledgement time'),
    rfi_manager: z
      .string()
      .trim()
      .toLowerCase()
      .refine((email) => email === '' || EMAIL.test(email), {
        error: (issue) =>
          `The RFI manager ${JSON.stringify(issue.input)} is not an email address (leave it empty for none).`,
      })
      .prefault(''),
  })
  .transform((form): ProjectSettingsChange => ({
    name: form.name,
    timezone: form.timezone,
    reviewDays: form.review_days,
    rfiDays: form.rfi_days,
    ackDays: form.ack_days,
    rfiManager: form.rfi_manager || null,
  }));

const WEEKDAY_VALUES = ['1', '2', '3', '4', '5', '6', '7'] as const;

/** Working weekdays (ISO numbers from checkboxes) and holidays (one `YYYY-MM-DD` a line). */
export const calendarForm = z
  .object({
    weekday: z.preprocess(
      (value) => (value === undefined ? [] : [value].flat()),
      z
        .array(z.enum(WEEKDAY_VALUES, { error: 'A working day must be one of Monday to Sunday.' }))
        .min(1, 'Tick at least one working day: a project that never works can never be due.'),
    ),
    holidays: z
      .string()
      .prefault('')
      .transform((text) => nonBlankLines(text))
      .superRefine((lines, ctx) => {
        const bad = lines.find((line) => !isIsoDate(line));
        if (bad !== undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `"${bad}" is not a date: write one holiday a line as YYYY-MM-DD, such as 2026-12-25.`,
          });
        }
      }),
  })
  .transform((form): ProjectSettingsChange => ({
    workingWeekdays: [...new Set(form.weekday.map(Number))].sort((a, b) => a - b),
    holidays: [...new Set(form.holidays)].sort(),
  }));

function isIsoDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text).isValid;
}

/** Who may file mail to the project, and whether emailed approvals must pass DMARC. */
export const policyForm = z
  .object({
    sender_policy: z.enum(['anyone', 'members'], {
      error: 'Choose who may send mail to the project: anyone, or members only.',
    }),
    require_dmarc: z.preprocess((value) => value !== undefined, z.boolean()),
  })
  .transform((form): ProjectSettingsChange => ({
    senderPolicy: form.sender_policy,
    requireDmarc: form.require_dmarc,
  }));
