import type { ProjectCalendar } from '../calendar/working-days.js';
import type { Project } from '../db/database.js';

export function projectCalendar(project: Project): ProjectCalendar {
  return {
    timezone: project.timezone,
    workingWeekdays: project.working_weekdays,
    holidays: project.holidays,
  };
}

/** A date as the project's people read it: `Mon 16 Nov 2026` in the project's time zone. */
export function formatProjectDate(project: Project, instant: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: project.timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(instant);
}
