import { Hono, type Context } from 'hono';
import {
  overdueChart,
  submittalStatesChart,
  turnaroundChart,
} from '../../dashboard/dashboard-charts.js';
import { overdueByHolder } from '../../dashboard/overdue-by-holder.js';
import { projectDashboard, projectTurnaround } from '../../dashboard/project-dashboard.js';
import { submittalStates } from '../../dashboard/submittal-states.js';
import { getProjectByCode } from '../../projects/project.repository.js';
import { listProjectsFor } from '../../users/project-access.js';
import { DashboardPage } from '../pages/dashboard-page.js';
import { ProjectList } from '../pages/project-pages.js';
import { loadProject } from '../project-context.js';
import { requireUser } from '../session-middleware.js';
import type { WebDeps, WebEnv } from '../web-env.js';
import { contentDisposition } from './thread.js';

/** The signed-in pages: a person's projects, and each project's dashboard and its charts. */
export function projectRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  const { db, now } = deps;
  const app = new Hono<WebEnv>();
  app.use('/', requireUser);
  app.use('/p/*', requireUser);

  app.get('/', async (c) => {
    const user = c.var.user!;
    const projects = await listProjectsFor(db, user);
    return c.html(<ProjectList user={user} csrfToken={c.var.csrfToken} projects={projects} />);
  });

  app.get('/p/:code', loadProject(db), async (c) => {
    const project = await getProjectByCode(db, c.var.project.code);
    const dashboard = await projectDashboard(db, project, now());
    return c.html(
      <DashboardPage
        user={c.var.user!}
        csrfToken={c.var.csrfToken}
        project={project}
        dashboard={dashboard}
      />,
    );
  });

  // Each chart at its own address, so it can be linked, saved, or put in a report as it is.
  app.get('/p/:code/dashboard/overdue.svg', loadProject(db), async (c) =>
    svg(c, 'overdue', overdueChart(await overdueByHolder(db, c.var.project.id, now()))),
  );
  app.get('/p/:code/dashboard/turnaround.svg', loadProject(db), async (c) => {
    const project = await getProjectByCode(db, c.var.project.code);
    return svg(c, 'turnaround', turnaroundChart(await projectTurnaround(db, project, now())));
  });
  app.get('/p/:code/dashboard/submittals.svg', loadProject(db), async (c) =>
    svg(c, 'submittals', submittalStatesChart(await submittalStates(db, c.var.project.id))),
  );

  return app;
}

function svg(c: Context<WebEnv>, chart: string, markup: string) {
  return c.body(markup, 200, {
    'Content-Type': 'image/svg+xml; charset=utf-8',
    'Content-Disposition': contentDisposition('inline', `${c.var.project.code}-${chart}.svg`),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, no-store',
  });
}
