import { Hono } from 'hono';
import type { Db } from '../db/database.js';
import { listProjectsFor, projectOverviewFor } from '../users/project-access.js';
import { apiNotFound, type ApiEnv } from './api-env.js';

/** `GET /projects` and `GET /projects/:code`: what the token's user may see, and one of them. */
export function projectApiRoutes(db: Db): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/projects', async (c) => {
    const projects = await listProjectsFor(db, c.var.user);
    return c.json({
      items: projects.map(({ code, name, timezone }) => ({ code, name, timezone })),
    });
  });

  app.get('/projects/:code', async (c) => {
    const overview = await projectOverviewFor(db, c.var.user, c.var.project.code);
    if (!overview) return apiNotFound(c);
    return c.json({
      code: overview.code,
      name: overview.name,
      timezone: overview.timezone,
      role: c.var.role,
      counts: {
        threads: overview.threads,
        submittals: overview.submittals,
        open_items: overview.openItems,
      },
    });
  });

  return app;
}
