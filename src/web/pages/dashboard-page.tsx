import type { SessionUser } from '../../auth/web-session.js';
import {
  overdueChart,
  submittalStatesChart,
  turnaroundChart,
} from '../../dashboard/dashboard-charts.js';
import { holderLabel } from '../../dashboard/overdue-by-holder.js';
import type { ProjectDashboard } from '../../dashboard/project-dashboard.js';
import { Layout } from '../components/layout.js';
import { RecentActivity } from './dashboard-activity.js';
import { ChartFigure } from './dashboard-chart.js';

export interface DashboardPageProps {
  user: SessionUser;
  csrfToken: string;
  project: { code: string; name: string; timezone: string };
  dashboard: ProjectDashboard;
}

/** `GET /p/:code`: the project's headline numbers, three charts and what happened lately. */
export function DashboardPage(props: DashboardPageProps) {
  const { project, dashboard } = props;
  const { counts } = dashboard;
  const base = `/p/${encodeURIComponent(project.code)}`;
  const tiles: [string, number][] = [
    ['Threads', counts.threads],
    ['Messages this week', counts.messagesThisWeek],
    ['Open submittals', counts.openSubmittals],
    ['Overdue submittals', counts.overdueSubmittals],
    ['Open RFIs & items', counts.openItems],
    ['Transmittals awaiting acknowledgement', counts.transmittalsAwaitingAck],
  ];
  const nothingYet = counts.threads === 0 && dashboard.submittalStates.length === 0;
  const decided = dashboard.turnaround.filter((p) => p.medianWorkingDays !== null);
  return (
    <Layout
      title={project.name}
      user={props.user}
      csrfToken={props.csrfToken}
      project={project}
      section="dashboard"
    >
      <h1>{project.name}</h1>
      {nothingYet ? (
        <p class="empty">
          Nothing has been filed yet. Mail sent to the project inbox appears here.
        </p>
      ) : null}
      <dl class="counts dashboard-counts">
        {tiles.map(([label, n]) => (
          <div class={label === 'Overdue submittals' && n > 0 ? 'count-alert' : undefined}>
            <dt>{label}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      <div class="dashboard-charts">
        <ChartFigure
          id="states"
          heading="Submittals by status and decision"
          svg={
            dashboard.submittalStates.length > 0
              ? submittalStatesChart(dashboard.submittalStates)
              : null
          }
          emptyMessage="No submittals yet."
          imageHref={`${base}/dashboard/submittals.svg`}
          table={{
            caption: 'Submittals by status and decision',
            columns: ['Status', 'Submittals'],
            rows: dashboard.submittalStates.map((s) => [s.label, s.count]),
          }}
        />
        <ChartFigure
          id="overdue"
          heading="Overdue by ball in court"
          svg={dashboard.overdue.length > 0 ? overdueChart(dashboard.overdue) : null}
          emptyMessage="Nothing is overdue."
          imageHref={`${base}/dashboard/overdue.svg`}
          table={{
            caption: 'Overdue work by who holds the ball',
            columns: ['Ball in court', 'Review steps', 'RFIs & items', 'Acknowledgements', 'Total'],
            rows: dashboard.overdue.map((h) => [
              h.name ? `${holderLabel(h)} <${h.email}>` : h.email,
              h.submittalSteps,
              h.items,
              h.acknowledgements,
              h.total,
            ]),
          }}
        />
        <ChartFigure
          id="turnaround"
          heading="Review turnaround over time"
          svg={decided.length > 0 ? turnaroundChart(dashboard.turnaround) : null}
          emptyMessage="No review decisions in the last 12 months."
          imageHref={`${base}/dashboard/turnaround.svg`}
          table={{
            caption: 'Median working days from receipt to decision, by month of decision',
            columns: ['Month', 'Median working days', 'Decisions'],
            rows: dashboard.turnaround.map((p) => [p.label, p.medianWorkingDays ?? '—', p.decided]),
          }}
        >
          <p class="hint">
            Working days are the project's weekdays minus its holidays, counted in{' '}
            {project.timezone}, from receipt of each submittal revision to its decision.
          </p>
        </ChartFigure>
      </div>
      <section aria-labelledby="activity-heading" class="dashboard-activity">
        <h2 id="activity-heading">Recent activity</h2>
        <RecentActivity
          code={project.code}
          entries={dashboard.recent}
          timezone={project.timezone}
        />
      </section>
    </Layout>
  );
}
