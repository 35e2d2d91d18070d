import { DateTime } from 'luxon';
import { workingDaysBetween, type ProjectCalendar } from '../calendar/working-days.js';
import type { Db } from '../db/database.js';

/** One review round that ended in a decision. */
export interface DecidedRound {
  receivedAt: Date;
  decidedAt: Date;
}

export interface TurnaroundPeriod {
  /** `YYYY-MM`, the month of decision in the project's time zone. */
  month: string;
  /** e.g. "Nov 2026". */
  label: string;
  /** Median working days from receipt to decision; null when nothing was decided that month. */
  medianWorkingDays: number | null;
  decided: number;
}

/** How many months the turnaround chart covers, this one included. */
export const TURNAROUND_MONTHS = 12;

/**
 * Review rounds (one per submittal revision) decided in the last `months` months, counting the
 * current one. A revision returned for resubmittal counts too: its reviewers turned it around.
 */
export async function decidedRounds(
  db: Db,
  projectId: number,
  timezone: string,
  now: Date,
  months = TURNAROUND_MONTHS,
): Promise<DecidedRound[]> {
  const since = firstMonth(timezone, now, months).toJSDate();
  const rows = await db
    .selectFrom('submittal_revisions')
    .select(['received_at', 'decided_at'])
    .where('project_id', '=', projectId)
    .where('status', '=', 'decided')
    .where('decided_at', '>=', since)
    .where('decided_at', '<=', now)
    .execute();
  return rows.flatMap((r) =>
    r.decided_at ? [{ receivedAt: r.received_at, decidedAt: r.decided_at }] : [],
  );
}

/**
 * The median review turnaround per month of decision, in project working days (weekdays minus
 * holidays, in the project's zone — the unit due dates are set in), for the last `months` months
 * oldest first. Months without a decision keep their place with a null median.
 */
export function monthlyTurnaround(
  rounds: readonly DecidedRound[],
  calendar: ProjectCalendar,
  now: Date,
  months = TURNAROUND_MONTHS,
): TurnaroundPeriod[] {
  const start = firstMonth(calendar.timezone, now, months);
  const days = new Map<string, number[]>();
  for (const round of rounds) {
    const month = DateTime.fromJSDate(round.decidedAt, { zone: calendar.timezone }).toFormat(
      'yyyy-LL',
    );
    const list = days.get(month) ?? [];
    list.push(Math.max(0, workingDaysBetween(calendar, round.receivedAt, round.decidedAt)));
    days.set(month, list);
  }
  return Array.from({ length: months }, (_, i) => {
    const date = start.plus({ months: i });
    const month = date.toFormat('yyyy-LL');
    const list = days.get(month) ?? [];
    return {
      month,
      label: date.toFormat('LLL yyyy'),
      medianWorkingDays: median(list),
      decided: list.length,
    };
  });
}

/** The middle value, or the mean of the two middle values; null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

function firstMonth(timezone: string, now: Date, months: number): DateTime {
  return DateTime.fromJSDate(now, { zone: timezone })
    .startOf('month')
    .minus({ months: months - 1 });
}
