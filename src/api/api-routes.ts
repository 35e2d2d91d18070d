import { Hono } from 'hono';
import { isDocketError } from '../errors.js';
import type { WebDeps } from '../web/web-env.js';
import { loadApiProject, requireApiToken } from './api-auth.js';
import { apiBadRequest, apiNotFound, type ApiEnv } from './api-env.js';
import { correspondenceApiRoutes } from './correspondence-routes.js';
import { openApiDocument } from './openapi.js';
import { projectApiRoutes } from './project-routes.js';
import { recordApiRoutes } from './record-routes.js';

/**
 * The JSON API, mounted at `/api` before the web pages' session and CSRF middleware: it reads no
 * cookie and sets none. Every answer is JSON (bar file downloads), errors included.
 */
export function apiRoutes(deps: Required<WebDeps>): Hono {
  const { db, blobs, now } = deps;
  const api = new Hono<ApiEnv>();
  // The document holds no project data, so tools can fetch it before they have a token.
  api.get('/openapi.json', (c) => c.json(openApiDocument));
  api.use('*', requireApiToken(db, now));
  api.use('/projects/:code/*', loadApiProject(db));
  api.route('/', projectApiRoutes(db));
  api.route('/', correspondenceApiRoutes(db, blobs));
  api.route('/', recordApiRoutes(db, blobs, now));
  // Anything else under /api answers here, so it never falls through to the HTML pages.
  api.all('*', (c) => apiNotFound(c));
  api.onError((error, c) => {
    if (isDocketError(error, 'invalid_input')) return apiBadRequest(c, error.message);
    if (isDocketError(error, 'not_found')) return apiNotFound(c);
    console.error(error);
    return c.json({ error: 'internal error' }, 500);
  });
  return api as unknown as Hono;
}
