import type { MiddlewareHandler } from 'hono';
import { verifyApiToken } from '../auth/api-token.js';
import type { Db } from '../db/database.js';
import { findVisibleProject } from '../users/project-access.js';
import { projectRoleFor } from '../users/project-role.js';
import { apiNotFound, type ApiEnv } from './api-env.js';

/**
 * Accepts `Authorization: Bearer <token>` and nothing else — no cookie — so a page on another site
 * cannot make a signed-in browser read the API. Missing, unknown and revoked tokens answer alike.
 */
export function requireApiToken(db: Db, now: () => Date): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer +(\S+) *$/i.exec(header);
    const user = match?.[1] ? await verifyApiToken(db, match[1], now()) : null;
    if (!user) {
      // RFC 6750: say which scheme to use, and whether the token sent was the problem.
      const challenge = match
        ? 'Bearer realm="docket", error="invalid_token"'
        : 'Bearer realm="docket"';
      c.header('WWW-Authenticate', challenge);
      return c.json(
        {
          error: match
            ? 'the API token is not valid (revoked, or mistyped)'
            : 'send an API token as "Authorization: Bearer <token>" (docket token create <email>)',
        },
        401,
      );
    }
    c.set('user', user);
    await next();
  };
}

/** For `/projects/:code/...`: the project and the user's role in it, or the API's one 404. */
export function loadApiProject(db: Db): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const user = c.var.user;
    const project = await findVisibleProject(db, user, c.req.param('code') ?? '');
    const role = project ? await projectRoleFor(db, user, project.id) : null;
    if (!project || !role) return apiNotFound(c);
    c.set('project', project);
    c.set('role', role);
    await next();
  };
}
