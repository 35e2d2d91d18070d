/**
 * Project working-day arithmetic. Due dates in Docket count working days (weekdays a project works,
 * minus its holidays) in the project's own time zone, so a submittal received at 22:00 on a Friday in
 * New York is a Friday receipt even though it is already Saturday in UTC. Dates are stepped as plain
 * calendar dates; only the final "end of that local day" is converted to an instant, which is what
 * keeps DST changes (23- and 25-hour days) from shifting a due date by a day or an hour.
 */
import { DateTime, IANAZone } from 'luxon';

import { DocketError } from '../errors.js';

export interface ProjectCalendar {
  /** IANA zone name, e.g. `America/New_York`. */
  readonly timezone: string;
  /** ISO weekdays that are worked: 1 = Monday … 7 = Sunday. Omitted: {@link DEFAULT_WORKING_WEEKDAYS}. */
  readonly workingWeekdays?: readonly number[];
  /** Local dates (`YYYY-MM-DD`) not worked even when their weekday is. A weekend holiday is harmless. */
  readonly holidays?: readonly string[];
}

/** Monday to Friday. */
export const DEFAULT_WORKING_WEEKDAYS: readonly number[] = Object.freeze([1, 2, 3, 4, 5]);

interface CompiledCalendar {
  zone: string;
  weekdays: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
}

const LOCAL_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Check a calendar and throw a `DocketError('invalid_input')` naming the first problem: an unknown
 * zone, a weekday outside 1–7, no working weekday at all (every count would loop forever), or a
 * holiday that is not a real `YYYY-MM-DD` date. Every function below calls it; config loading may
 * call it too, to fail at start-up instead of at the first due date.
 */
export function validateCalendar(calendar: ProjectCalendar): void {
  compile(calendar);
}

function compile(calendar: ProjectCalendar): CompiledCalendar {
  const zone = calendar.timezone;
  // Intl also accepts fixed offsets such as "+05:00"; a project zone must be a named one so that
  // its DST rules apply, hence the leading letter.
  if (typeof zone !== 'string' || !/^[A-Za-z]/.test(zone) || !isKnownZone(zone)) {
    throw invalid(
      `Unknown time zone ${JSON.stringify(zone)}: expected an IANA name such as "Europe/Berlin"`,
    );
  }
  const weekdays = calendar.workingWeekdays ?? DEFAULT_WORKING_WEEKDAYS;
  for (const day of weekdays) {
    if (!Number.isInteger(day) || day < 1 || day > 7) {
      throw invalid(
        `Working weekday ${JSON.stringify(day)} is not an ISO weekday (1 = Monday … 7 = Sunday)`,
      );
    }
  }
  if (weekdays.length === 0) throw invalid('A project calendar needs at least one working weekday');
  const holidays = new Set<string>();
  for (const holiday of calendar.holidays ?? []) {
    holidays.add(parseDate(holiday, 'Holiday').toISODate() ?? holiday);
  }
  return { zone, weekdays: new Set(weekdays), holidays };
}

/** Zones already found valid: luxon builds an Intl formatter to check, and reminders ask often. */
const knownZones = new Set<string>();

function isKnownZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  if (!IANAZone.isValidZone(zone)) return false;
  knownZones.add(zone);
  return true;
}

/** A local date as a UTC-midnight DateTime: stepping it by days never meets a DST change. */
function parseDate(value: string, what: string): DateTime {
  const date =
    typeof value === 'string' && LOCAL_DATE_RE.test(value)
      ? DateTime.fromISO(value, { zone: 'utc' })
      : null;
  if (!date?.isValid) throw invalid(`${what} ${JSON.stringify(value)} is not a YYYY-MM-DD date`);
  return date;
}

function checkInstant(instant: Date, what: string): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw invalid(`${what} is not a valid date-time`);
  }
}

function invalid(message: string): DocketError {
  return new DocketError('invalid_input', message);
}

function worked(cal: CompiledCalendar, date: DateTime): boolean {
  return cal.weekdays.has(date.weekday) && !cal.holidays.has(date.toISODate() ?? '');
}

function toLocalDate(cal: CompiledCalendar, instant: Date): DateTime {
  checkInstant(instant, 'Instant');
  const local = DateTime.fromJSDate(instant, { zone: cal.zone });
  return DateTime.utc(local.year, local.month, local.day);
}

/** Whether a local date (`YYYY-MM-DD`) is worked: its weekday is a working one and it is no holiday. */
export function isWorkingDay(calendar: ProjectCalendar, localDate: string): boolean {
  return worked(compile(calendar), parseDate(localDate, 'Date'));
}

/** The project-local calendar date (`YYYY-MM-DD`) of an instant. */
export function localDate(calendar: ProjectCalendar, instant: Date): string {
  return toLocalDate(compile(calendar), instant).toISODate() ?? '';
}

/**
 * The first instant of a local date. Where a zone skips midnight (America/Santiago's spring change),
 * that is the first wall-clock time that exists, e.g. 01:00.
 */
export function startOfLocalDay(calendar: ProjectCalendar, localDate: string): Date {
  const cal = compile(calendar);
  const { year, month, day } = parseDate(localDate, 'Date');
  return DateTime.fromObject({ year, month, day }, { zone: cal.zone }).toJSDate();
}

/** The last millisecond (23:59:59.999 local) of a local date, as an instant. */
export function endOfLocalDay(calendar: ProjectCalendar, localDate: string): Date {
  const cal = compile(calendar);
  const { year, month, day } = parseDate(localDate, 'Date');
  return DateTime.fromObject({ year, month, day }, { zone: cal.zone }).endOf('day').toJSDate();
}

/**
 * The due instant `days` working days after receipt at `from`.
 *
 * The receipt is "deemed received" on its local date, or — when that date is not worked — on the
 * next working day, as contracts treat notices that arrive over a weekend. The receipt day itself
 * never counts; the due date is the `days`-th working day after it, and the deadline is the END of
 * that local day (23:59:59.999 local), so a reviewer has the whole day.
 *
 * - `0` means "due by the end of the day of receipt": the same day if worked, else the next working day.
 * - A negative count walks backwards (e.g. "two working days before"), mirroring the rule: a
 *   non-working `from` snaps to the previous working day first.
 *
 * Because of the deemed-receipt rule, `workingDaysBetween(from, addWorkingDays(from, n)) === n`
 * holds only when `from` falls on a working day.
 */
export function addWorkingDays(calendar: ProjectCalendar, from: Date, days: number): Date {
  const cal = compile(calendar);
  if (!Number.isSafeInteger(days)) {
    throw invalid(`Working-day count must be a whole number, got ${String(days)}`);
  }
  const step = days < 0 ? -1 : 1;
  let date = toLocalDate(cal, from);
  // Terminates: at least one weekday is worked and the holiday list is finite.
  while (!worked(cal, date)) date = date.plus({ days: step });
  for (let left = Math.abs(days); left > 0;) {
    date = date.plus({ days: step });
    if (worked(cal, date)) left -= 1;
  }
  return endOfLocalDay(calendar, date.toISODate() ?? '');
}

/**
 * Signed count of working days after `from`'s local date (exclusive) up to `to`'s local date
 * (inclusive): how many working days overdue an item due at `from` is at `to`. Time of day is
 * ignored; the same local date gives 0, and swapping the arguments negates the result.
 *
 * Note that a Saturday after a Friday due date gives 0 — the item is overdue (compare instants for
 * that) but no working day has yet been lost.
 */
export function workingDaysBetween(calendar: ProjectCalendar, from: Date, to: Date): number {
  const cal = compile(calendar);
  const start = toLocalDate(cal, from);
  const end = toLocalDate(cal, to);
  const sign = end.toMillis() < start.toMillis() ? -1 : 1;
  const last = sign > 0 ? end : start;
  let date = sign > 0 ? start : end;
  let count = 0;
  while (date.toMillis() < last.toMillis()) {
    date = date.plus({ days: 1 });
    if (worked(cal, date)) count += 1;
  }
  return count === 0 ? 0 : sign * count; // never -0, which toBe(0) and Object.is tell apart
}
