import { describe, expect, it } from 'vitest';

import {
  addWorkingDays,
  isWorkingDay,
  localDate,
  startOfLocalDay,
  validateCalendar,
  workingDaysBetween,
  type ProjectCalendar,
} from '../../src/calendar/working-days.js';

// 2025: Mar 7 Fri, Mar 9 Sun (US DST starts), Mar 30 Sun (EU DST starts), Apr 6 Sun (Sydney DST
// ends), Oct 5 Sun (Sydney DST starts), Oct 26 Sun (EU DST ends), Nov 2 Sun (US DST ends).
const NY: ProjectCalendar = { timezone: 'America/New_York', holidays: [] };
const NYH: ProjectCalendar = {
  ...NY,
  holidays: ['2025-12-25', '2025-12-26', '2026-01-01', '2026-07-04'],
};
const SIX: ProjectCalendar = { ...NY, workingWeekdays: [1, 2, 3, 4, 5, 6] };
const ALL: ProjectCalendar = { ...NY, workingWeekdays: [1, 2, 3, 4, 5, 6, 7] };
const BER: ProjectCalendar = { timezone: 'Europe/Berlin', holidays: [] };
const TYO: ProjectCalendar = { timezone: 'Asia/Tokyo', holidays: [] };
const SYD: ProjectCalendar = { timezone: 'Australia/Sydney', holidays: [] };
const UTC: ProjectCalendar = { timezone: 'UTC' };

describe('isWorkingDay', () => {
  const cases: [string, ProjectCalendar, string, boolean][] = [
    ['Wednesday', NYH, '2025-12-24', true],
    ['holiday on a Thursday', NYH, '2025-12-25', false],
    ['second consecutive holiday', NYH, '2025-12-26', false],
    ['Saturday', NYH, '2025-12-27', false],
    ['Sunday', NYH, '2025-12-28', false],
    ['Monday after the holidays', NYH, '2025-12-29', true],
    ['holiday listed on a Saturday', NYH, '2026-07-04', false],
    // A weekend holiday is not moved to a weekday: a project lists the observed day itself.
    ['Friday before a weekend holiday', NYH, '2026-07-03', true],
    ['Saturday in a Mon–Sat week', SIX, '2025-03-08', true],
    ['Sunday in a Mon–Sat week', SIX, '2025-03-09', false],
    ['Sunday when every day works', ALL, '2025-03-09', true],
    ['leap day', UTC, '2024-02-29', true],
  ];
  it.each(cases)('%s', (_name, calendar, date, expected) => {
    expect(isWorkingDay(calendar, date)).toBe(expected);
  });
});

describe('addWorkingDays: due at the end of the local working day', () => {
  const cases: [string, ProjectCalendar, string, number, string][] = [
    ['Monday + 1', NY, '2025-03-03T20:00Z', 1, '2025-03-05T04:59:59.999Z'],
    ['Wednesday + 2', NY, '2025-03-05T15:00Z', 2, '2025-03-08T04:59:59.999Z'],
    ['Thursday + 2 over a weekend', NY, '2025-03-06T15:00Z', 2, '2025-03-11T03:59:59.999Z'],
    ['Thursday + 10 (review)', NY, '2025-02-27T15:00Z', 10, '2025-03-14T03:59:59.999Z'],
    ['Fri 22:30 NY (Sat UTC) + 1', NY, '2025-03-08T03:30Z', 1, '2025-03-11T03:59:59.999Z'],
    ['Saturday, deemed Monday, + 1', NY, '2025-03-08T17:00Z', 1, '2025-03-12T03:59:59.999Z'],
    ['Sunday + 0: end of Monday', NY, '2025-03-09T17:00Z', 0, '2025-03-11T03:59:59.999Z'],
    ['Monday + 0: end of Monday', NY, '2025-03-03T14:00Z', 0, '2025-03-04T04:59:59.999Z'],
    ['+ 2 over two holidays', NYH, '2025-12-23T17:00Z', 2, '2025-12-30T04:59:59.999Z'],
    ['on a holiday + 0', NYH, '2025-12-25T17:00Z', 0, '2025-12-30T04:59:59.999Z'],
    ['on a holiday + 1', NYH, '2025-12-25T17:00Z', 1, '2025-12-31T04:59:59.999Z'],
    ['over New Year', NYH, '2025-12-31T17:00Z', 1, '2026-01-03T04:59:59.999Z'],
    ['weekend holiday: no extra day', NYH, '2026-07-03T16:00Z', 1, '2026-07-07T03:59:59.999Z'],
    // DST: the offset is the due day's, not the receipt's
    ['US Nov: Fri EDT → Mon EST', NY, '2025-10-31T16:00Z', 1, '2025-11-04T04:59:59.999Z'],
    ['due on the 23-hour day', ALL, '2025-03-08T17:00Z', 1, '2025-03-10T03:59:59.999Z'],
    ['due on the 25-hour day', ALL, '2025-11-01T16:00Z', 1, '2025-11-03T04:59:59.999Z'],
    ['Berlin Mar: Fri CET → Mon', BER, '2025-03-28T09:00Z', 1, '2025-03-31T21:59:59.999Z'],
    ['Berlin Oct: Fri CEST → Mon', BER, '2025-10-24T08:00Z', 1, '2025-10-27T22:59:59.999Z'],
    ['Berlin Tue 00:30 (Mon UTC)', BER, '2025-03-31T22:30Z', 1, '2025-04-02T21:59:59.999Z'],
    ['Tokyo over the US change', TYO, '2025-03-07T01:00Z', 1, '2025-03-10T14:59:59.999Z'],
    ['Tokyo over the EU change', TYO, '2025-03-28T01:00Z', 1, '2025-03-31T14:59:59.999Z'],
    ['Tokyo Tue 08:00 (Mon UTC)', TYO, '2025-03-10T23:00Z', 1, '2025-03-12T14:59:59.999Z'],
    ['Sydney Apr: Fri AEDT → Mon', SYD, '2025-04-03T23:00Z', 1, '2025-04-07T13:59:59.999Z'],
    ['Sydney Oct: Fri AEST → Mon', SYD, '2025-10-03T00:00Z', 1, '2025-10-06T12:59:59.999Z'],
    ['Mon–Sat: Friday + 1', SIX, '2025-03-07T15:00Z', 1, '2025-03-09T04:59:59.999Z'],
    ['Mon–Sat: Saturday + 1', SIX, '2025-03-08T15:00Z', 1, '2025-03-11T03:59:59.999Z'],
    ['Mon–Sat: Saturday + 0', SIX, '2025-03-08T15:00Z', 0, '2025-03-09T04:59:59.999Z'],
    ['Wednesday − 2', NY, '2025-03-05T15:00Z', -2, '2025-03-04T04:59:59.999Z'],
    ['Monday EDT − 1 → Fri EST', NY, '2025-03-10T16:00Z', -1, '2025-03-08T04:59:59.999Z'],
    ['Saturday − 1: Friday first', NY, '2025-03-08T17:00Z', -1, '2025-03-07T04:59:59.999Z'],
    ['Monday − 1 over holidays', NYH, '2025-12-29T17:00Z', -1, '2025-12-25T04:59:59.999Z'],
  ];
  it.each(cases)('%s', (_name, calendar, from, days, expected) => {
    expect(addWorkingDays(calendar, new Date(from), days).toISOString()).toBe(expected);
  });

  const roundTrips: [string, ProjectCalendar, string][] = [
    ['New York, Monday', NYH, '2025-12-22T15:00Z'],
    ['Berlin, Friday', BER, '2025-10-24T08:00Z'],
    ['Sydney, Thursday', SYD, '2025-04-03T01:00Z'],
    ['Mon–Sat, Saturday', SIX, '2025-03-01T15:00Z'],
  ];
  it.each(roundTrips)('n days after a working day is n days between (%s)', (_n, calendar, from) => {
    for (let n = 0; n <= 25; n += 1) {
      const due = addWorkingDays(calendar, new Date(from), n);
      expect(workingDaysBetween(calendar, new Date(from), due)).toBe(n);
    }
  });
});

describe('workingDaysBetween: signed working days overdue', () => {
  const cases: [string, ProjectCalendar, string, string, number][] = [
    ['due Fri, Mon morning', NY, '2025-03-08T04:59:59.999Z', '2025-03-10T13:00Z', 1],
    ['due Fri, Saturday', NY, '2025-03-08T04:59:59.999Z', '2025-03-08T15:00Z', 0],
    ['due Fri, late Friday', NY, '2025-03-08T04:59:59.999Z', '2025-03-08T04:00Z', 0],
    ['same instant', NY, '2025-03-05T15:00Z', '2025-03-05T15:00Z', 0],
    ['due Mon, Friday', NY, '2025-03-04T04:59:59.999Z', '2025-03-07T15:00Z', 4],
    ['due Thu, Fri 22:30 (Sat UTC)', NY, '2025-03-07T04:59:59.999Z', '2025-03-08T03:30Z', 1],
    ['over two holidays', NYH, '2025-12-24T04:59:59.999Z', '2025-12-29T15:00Z', 2],
    ['reversed: not yet due', NY, '2025-03-07T15:00Z', '2025-03-03T15:00Z', -4],
    ['Mon–Sat counts Saturday', SIX, '2025-03-07T15:00Z', '2025-03-10T15:00Z', 2],
    ['a year of weekdays', UTC, '2025-01-01T12:00Z', '2025-12-31T12:00Z', 260],
  ];
  it.each(cases)('%s', (_name, calendar, from, to, expected) => {
    expect(workingDaysBetween(calendar, new Date(from), new Date(to))).toBe(expected);
    // swapped arguments negate the count (and 0 stays +0)
    expect(workingDaysBetween(calendar, new Date(to), new Date(from))).toBe(-expected || 0);
  });
});

describe('localDate and startOfLocalDay', () => {
  const dates: [string, string, string][] = [
    ['America/New_York', '2025-03-08T03:30Z', '2025-03-07'],
    ['America/New_York', '2025-03-08T05:00Z', '2025-03-08'],
    ['Asia/Tokyo', '2025-03-09T23:00Z', '2025-03-10'],
    ['Australia/Sydney', '2025-04-05T13:30Z', '2025-04-06'],
  ];
  it.each(dates)('%s at %s is %s', (timezone, instant, expected) => {
    expect(localDate({ timezone }, new Date(instant))).toBe(expected);
  });

  const starts: [string, string, string][] = [
    ['America/New_York', '2025-03-09', '2025-03-09T05:00:00.000Z'],
    ['America/New_York', '2025-03-10', '2025-03-10T04:00:00.000Z'],
    ['Europe/Berlin', '2025-10-26', '2025-10-25T22:00:00.000Z'],
    ['Australia/Sydney', '2025-10-05', '2025-10-04T14:00:00.000Z'],
    // Santiago skipped midnight on 2024-09-08: the day starts at 01:00 (-03).
    ['America/Santiago', '2024-09-08', '2024-09-08T04:00:00.000Z'],
  ];
  it.each(starts)('%s %s starts at %s', (timezone, date, expected) => {
    expect(startOfLocalDay({ timezone }, date).toISOString()).toBe(expected);
  });
});

describe('invalid input is refused with a reason', () => {
  const now = new Date('2025-03-05T15:00Z');
  const check = validateCalendar;
  const cases: [string, () => unknown, RegExp][] = [
    ['unknown zone', () => check({ timezone: 'Mars/Olympus' }), /time zone "Mars\/Olympus"/],
    ['empty zone', () => check({ timezone: '' }), /time zone ""/],
    ['fixed offset', () => check({ timezone: '+05:00' }), /time zone "\+05:00"/],
    ['weekday 0', () => check({ ...UTC, workingWeekdays: [0, 1] }), /weekday 0 /],
    ['weekday 8', () => check({ ...UTC, workingWeekdays: [8] }), /weekday 8 /],
    ['weekday 1.5', () => check({ ...UTC, workingWeekdays: [1.5] }), /weekday 1.5 /],
    ['no weekdays', () => check({ ...UTC, workingWeekdays: [] }), /at least one/],
    ['month 13', () => check({ ...UTC, holidays: ['2025-13-01'] }), /Holiday "2025-13-01"/],
    ['30 February', () => check({ ...UTC, holidays: ['2025-02-30'] }), /Holiday "2025-02-30"/],
    ['short year', () => check({ ...UTC, holidays: ['25-12-25'] }), /Holiday "25-12-25"/],
    ['date-time', () => check({ ...UTC, holidays: ['2025-12-25T00:00'] }), /Holiday/],
    ['bad date', () => isWorkingDay(UTC, '2025-3-1'), /Date "2025-3-1"/],
    ['fractional count', () => addWorkingDays(UTC, now, 1.5), /whole number, got 1.5/],
    ['NaN count', () => addWorkingDays(UTC, now, NaN), /whole number/],
    ['invalid instant', () => addWorkingDays(UTC, new Date('x'), 1), /not a valid date-time/],
    ['bad zone in a count', () => workingDaysBetween({ timezone: 'X' }, now, now), /zone "X"/],
  ];
  it.each(cases)('%s', (_name, run, message) => {
    expect(run).toThrow(message);
  });

  it('accepts a valid calendar', () => {
    expect(() => validateCalendar(NYH)).not.toThrow();
  });
});
