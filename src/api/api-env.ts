import type { Context } from 'hono';
import type { SessionUser } from '../auth/web-session.js';
import type { ProjectListing } from '../users/project-access.js';
import type { ProjectRole } from '../users/project-role.js';

/** What the API's middleware puts on a request: the token's user, and on project paths the project. */
export interface ApiEnv {
  Variables: {
    user: SessionUser;
    project: ProjectListing;
    role: ProjectRole;
  };
}

export type ApiContext = Context<ApiEnv>;

/**
 * The one 404 of the API: for a path that does not exist, a project that does not or that the
 * token's user is not in, and any record, thread or file of such a project — so nothing can be probed.
 */
export function apiNotFound(c: Context) {
  return c.json({ error: 'not found' }, 404);
}

/** A request the API cannot act on, with a sentence saying what to change. */
export function apiBadRequest(c: Context, message: string) {
  return c.json({ error: message }, 400);
}

/** A positive database id from a path segment, or null (which answers 404, like a missing one). */
export function parseId(value: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= 2_147_483_647 ? id : null;
}
