import { DateTime } from 'luxon';
import {
  isWorkingDay,
  localDate,
  workingDaysBetween,
  type ProjectCalendar,
} from '../calendar/working-days.js';
import type { ReminderProject } from './reminder-model.js';

export function reminderCalendar(project: ReminderProject): ProjectCalendar {
  return {
    timezone: project.timezone,
    workingWeekdays: project.workingWeekdays,
    holidays: project.holidays,
  };
}

/** A project's day at an instant, as the reminder rules see it. */
export interface ProjectDay {
  localDate: string;
  working: boolean;
  /** The instant of this local date's reminder time. */
  morningAt: Date;
  /** A working day whose reminder time has come: its reminders may go out. */
  open: boolean;
}

/**
 * The project's local date at `now`, whether it is worked, and whether its reminder time (e.g.
 * 07:00 local) has passed. The morning is built from the local date and wall-clock time, so a DST
 * change moves it with the clocks; a time the change skips (02:30 on a spring-forward night) is
 * read as the first one after it, never as the day before.
 */
export function projectDay(project: ReminderProject, now: Date): ProjectDay {
  const calendar = reminderCalendar(project);
  const date = localDate(calendar, now);
  const working = isWorkingDay(calendar, date);
  const [hour = 7, minute = 0] = project.digestTime.split(':').map(Number);
  const morningAt = DateTime.fromISO(date, { zone: project.timezone })
    .set({ hour, minute })
    .toJSDate();
  return { localDate: date, working, morningAt, open: working && now >= morningAt };
}

/**
 * How an obligation due at `dueAt` stands at `now`: overdue (its deadline has passed) and by how
 * many of the project's working days, or due within the next `horizon` working days.
 */
export function dueStanding(
  project: ReminderProject,
  dueAt: Date,
  now: Date,
  horizon = 2,
): { overdue: boolean; daysOverdue: number; daysLeft: number; dueSoon: boolean } {
  const calendar = reminderCalendar(project);
  const overdue = dueAt.getTime() < now.getTime();
  const daysOverdue = overdue ? Math.max(0, workingDaysBetween(calendar, dueAt, now)) : 0;
  const daysLeft = overdue ? 0 : Math.max(0, workingDaysBetween(calendar, now, dueAt));
  return { overdue, daysOverdue, daysLeft, dueSoon: !overdue && daysLeft <= horizon };
}

/** Day and due standings at one instant, memoised: a run asks the same questions thousands of times. */
export interface RunClock {
  day(project: ReminderProject): ProjectDay;
  standing(project: ReminderProject, dueAt: Date): ReturnType<typeof dueStanding>;
}

export function runClock(now: Date): RunClock {
  const days = new Map<number, ProjectDay>();
  const standings = new Map<string, ReturnType<typeof dueStanding>>();
  return {
    day(project) {
      let day = days.get(project.id);
      if (!day) days.set(project.id, (day = projectDay(project, now)));
      return day;
    },
    standing(project, dueAt) {
      const key = `${project.id} ${dueAt.getTime()}`;
      let standing = standings.get(key);
      if (!standing) standings.set(key, (standing = dueStanding(project, dueAt, now)));
      return standing;
    },
  };
}
