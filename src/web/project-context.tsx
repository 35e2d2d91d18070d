import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/database.js';
import { findVisibleProject } from '../users/project-access.js';
import { canManage, projectRoleFor } from '../users/project-role.js';
import { ErrorPage } from './pages/error-page.js';
import type { WebEnv } from './web-env.js';

/**
 * For `/p/:code/...` pages: loads the project into `c.var.project` and the reader's role into
 * `c.var.role`, or answers 404 — the same for a project that does not exist and one the person
 * is not in, so a project code cannot be probed. Mount after `requireUser`.
 */
export function loadProject(db: Db): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const user = c.var.user!;
    const code = c.req.param('code') ?? '';
    const project = await findVisibleProject(db, user, code);
    const role = project ? await projectRoleFor(db, user, project.id) : null;
    if (!project || !role) return projectNotFound(c);
    c.set('project', project);
    c.set('role', role);
    await next();
  };
}

/** Refuses people who may read the project but not change it, with a readable page. */
export const requireManager: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!canManage(c.var.role)) {
    return c.html(
      <ErrorPage
        title="Only managers can do this"
        message="Project settings are changed by the project's managers. Ask one of them, or an administrator."
        user={c.var.user}
        csrfToken={c.var.csrfToken}
      />,
      403,
    );
  }
  await next();
};

/** The 404 every unknown or invisible project, record, message or file answers. */
export function projectNotFound(c: Parameters<MiddlewareHandler<WebEnv>>[0]) {
  return c.html(
    <ErrorPage
      title="Not found"
      message="There is no such page, or it belongs to a project you are not a member of."
      user={c.var.user}
      csrfToken={c.var.csrfToken}
    />,
    404,
  );
}
