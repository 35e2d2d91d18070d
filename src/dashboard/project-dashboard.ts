import type { Db, Project } from '../db/database.js';
import { projectCalendar } from '../projects/project-calendar.js';
import { dashboardCounts, type DashboardCounts } from './dashboard-counts.js';
import { overdueByHolder, type OverdueHolder } from './overdue-by-holder.js';
import { recentActivity, type ActivityEntry } from './recent-activity.js';
import { decidedRounds, monthlyTurnaround, type TurnaroundPeriod } from './review-turnaround.js';
import { submittalStates, type SubmittalState } from './submittal-states.js';

/** Everything the project dashboard shows, as plain data: the page, the charts and mail read it. */
export interface ProjectDashboard {
  counts: DashboardCounts;
  submittalStates: SubmittalState[];
  overdue: OverdueHolder[];
  turnaround: TurnaroundPeriod[];
  recent: ActivityEntry[];
}

/** Reads a project's dashboard as of `now` (which decides what is overdue and which months show). */
export async function projectDashboard(
  db: Db,
  project: Project,
  now: Date,
): Promise<ProjectDashboard> {
  const [counts, states, overdue, turnaround, recent] = await Promise.all([
    dashboardCounts(db, project, now),
    submittalStates(db, project.id),
    overdueByHolder(db, project.id, now),
    projectTurnaround(db, project, now),
    recentActivity(db, project.id),
  ]);
  return { counts, submittalStates: states, overdue, turnaround, recent };
}

/** The monthly review turnaround alone, for the chart's own address. */
export async function projectTurnaround(
  db: Db,
  project: Project,
  now: Date,
): Promise<TurnaroundPeriod[]> {
  const rounds = await decidedRounds(db, project.id, project.timezone, now);
  return monthlyTurnaround(rounds, projectCalendar(project), now);
}
