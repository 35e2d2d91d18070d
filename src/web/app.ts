import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { sql } from 'kysely';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Db } from '../db/database.js';
import { packagePath } from '../paths.js';
import { ErrorPage } from './pages/error-page.js';
import { logRoutes } from './routes/log.js';
import { loginRoutes } from './routes/login.js';
import { projectRoutes } from './routes/projects.js';
import { threadRoutes } from './routes/thread.js';
import { csrfMiddleware, sessionMiddleware } from './session-middleware.js';
import type { WebEnv } from './web-env.js';

const stylesheet = readFileSync(packagePath('src/web/static/app.css'), 'utf8');

/** The HTTP side: health, login, and the pages of a person's projects. */
export function createWebApp(deps: {
  db: Db;
  blobs: BlobStore;
  version: string;
  now?: () => Date;
}): Hono<WebEnv> {
  const full = { ...deps, now: deps.now ?? (() => new Date()) };
  const app = new Hono<WebEnv>();
  app.get('/health', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
      return c.json({ status: 'ok', version: deps.version });
    } catch {
      return c.json({ status: 'unavailable', version: deps.version }, 503);
    }
  });
  app.get('/static/app.css', (c) =>
    c.body(stylesheet, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  );

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // Remote images in mail appear only when a reader asks for them (the sanitiser blocks
        // them otherwise); scripts stay 'self' only, and mail HTML never carries any.
        imgSrc: ["'self'", 'https:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  app.use('*', sessionMiddleware(deps.db, full.now));
  app.use('*', csrfMiddleware());
  app.route('/', loginRoutes(full));
  app.route('/', projectRoutes(full));
  app.route('/', threadRoutes(full));
  app.route('/', logRoutes(full));
  app.notFound((c) =>
    c.html(
      ErrorPage({
        title: 'Page not found',
        message: 'There is nothing at this address.',
        user: c.var.user ?? null,
        csrfToken: c.var.csrfToken ?? '',
      }),
      404,
    ),
  );
  return app;
}
