import { DateTime } from 'luxon';
import type { ReviewerSteps } from '../db/database.js';
import type { RegisterRow } from './submittal-register.js';

/**
 * The register's cells as plain text, shared by the CSV and the PDF so both exports say the same
 * thing: dates as ISO days in the project's zone, lists joined, and '' where nothing is recorded.
 */
export function isoDay(instant: Date | null, timezone: string): string {
  return instant ? (DateTime.fromJSDate(instant, { zone: timezone }).toISODate() ?? '') : '';
}

/** `Open — APPROVED AS NOTED`, `Closed — APPROVED`, `Draft`. */
export function statusText(row: Pick<RegisterRow, 'status' | 'decision'>): string {
  const status = row.status.charAt(0).toUpperCase() + row.status.slice(1);
  return row.decision ? `${status} — ${row.decision}` : status;
}

/** Steps in order, `then` between them and `&` within one (they review in parallel). */
export function reviewersText(steps: ReviewerSteps): string {
  return steps.map((step) => step.join(' & ')).join(', then ');
}

export function submitterText(row: Pick<RegisterRow, 'submitter' | 'submitterName'>): string {
  return row.submitterName ? `${row.submitterName} <${row.submitter}>` : row.submitter;
}

export interface RegisterColumn {
  header: string;
  value(row: RegisterRow, timezone: string): string;
}

export const REGISTER_COLUMNS: readonly RegisterColumn[] = [
  { header: 'Number', value: (r) => r.number },
  { header: 'Title', value: (r) => r.title },
  { header: 'Spec section', value: (r) => r.specSection },
  { header: 'Type', value: (r) => r.type },
  { header: 'Status', value: (r) => statusText(r) },
  { header: 'Overdue', value: (r) => (r.overdue ? 'Overdue' : '') },
  { header: 'Submitter', value: (r) => submitterText(r) },
  { header: 'Responsible contractor', value: (r) => r.responsibleContractor ?? '' },
  { header: 'Submittal manager', value: (r) => r.submittalManager ?? '' },
  { header: 'Ball in court', value: (r) => r.ballInCourt.join('; ') },
  { header: 'Reviewers', value: (r) => reviewersText(r.reviewers) },
  { header: 'Due', value: (r, tz) => isoDay(r.dueAt, tz) },
  { header: 'Received', value: (r, tz) => isoDay(r.receivedAt, tz) },
  { header: 'Issued', value: (r, tz) => isoDay(r.issuedAt, tz) },
  { header: 'Required on site', value: (r) => r.requiredOnSite ?? '' },
  {
    header: 'Lead time (days)',
    value: (r) => (r.leadTimeDays === null ? '' : String(r.leadTimeDays)),
  },
  { header: 'Distribution', value: (r) => r.distribution.join('; ') },
  { header: 'Documents', value: (r) => String(r.documentCount) },
];
