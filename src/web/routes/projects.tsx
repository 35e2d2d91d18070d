import { Hono } from 'hono';
import { listProjectsFor, projectOverviewFor } from '../../users/project-access.js';
import { ErrorPage } from '../pages/error-page.js';
import { ProjectHome, ProjectList } from '../pages/project-pages.js';
import { requireUser } from '../session-middleware.js';
import type { WebDeps, WebEnv } from '../web-env.js';

/** The signed-in pages: a person's projects, and one project. */
export function projectRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  const { db } = deps;
  const app = new Hono<WebEnv>();
  app.use('/', requireUser);
  app.use('/p/*', requireUser);

  app.get('/', async (c) => {
    const user = c.var.user!;
    const projects = await listProjectsFor(db, user);
    return c.html(<ProjectList user={user} csrfToken={c.var.csrfToken} projects={projects} />);
  });

  app.get('/p/:code', async (c) => {
    const user = c.var.user!;
    const project = await projectOverviewFor(db, user, c.req.param('code'));
    if (!project) {
      // A project that does not exist and one the person is not in answer alike.
      return c.html(
        <ErrorPage
          title="Project not found"
          message="There is no such project, or you are not a member of it."
          user={user}
          csrfToken={c.var.csrfToken}
        />,
        404,
      );
    }
    return c.html(<ProjectHome user={user} csrfToken={c.var.csrfToken} project={project} />);
  });

  return app;
}
