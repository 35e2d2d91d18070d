import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { sql } from 'kysely';
import { MailTemplates } from '../outbox/templates.js';
import { packagePath } from '../paths.js';
import { clientRequest } from './client-request.js';
import { ErrorPage } from './pages/error-page.js';
import { apiRoutes } from '../api/api-routes.js';
import { itemsRoutes } from './routes/items.js';
import { logRoutes } from './routes/log.js';
import { outboxRoutes } from './routes/outbox.js';
import { settingsRoutes } from './routes/settings.js';
import { submittalsRoutes } from './routes/submittals.js';
import { transmittalsRoutes } from './routes/transmittals.js';
import { loginRoutes } from './routes/login.js';
import { projectRoutes } from './routes/projects.js';
import { threadRoutes } from './routes/thread.js';
import { csrfMiddleware, sessionMiddleware } from './session-middleware.js';
import type { WebDeps, WebEnv } from './web-env.js';

// One stylesheet served, written as one file per part of the app: app.css first, the rest by name.
const staticDir = packagePath('src/web/static');
const stylesheet = readdirSync(staticDir)
  .filter((name) => name.endsWith('.css'))
  .sort((a, b) => (a === 'app.css' ? -1 : b === 'app.css' ? 1 : a.localeCompare(b)))
  .map((name) => readFileSync(path.join(staticDir, name), 'utf8'))
  .join('\n');

/** The HTTP side: health, login, and the pages of a person's projects. */
export function createWebApp(deps: WebDeps): Hono<WebEnv> {
  const full: Required<WebDeps> = {
    ...deps,
    now: deps.now ?? (() => new Date()),
    trustProxy: deps.trustProxy ?? false,
    secret: deps.secret ?? null,
    mail: deps.mail ?? {
      outbox: {
        blobs: deps.blobs,
        templates: new MailTemplates(),
        mailDomain: 'localhost',
        relayConfigured: false,
      },
      publicUrl: 'http://localhost',
    },
  };
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
        // Mail keeps its inline style attributes, which the sanitiser has already narrowed to a
        // list of harmless properties; <style> elements and style sheets stay 'self' only.
        styleSrcAttr: ["'unsafe-inline'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );
  // Pages and API answers hold project data: no shared cache may keep them.
  app.use('*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'private, no-store');
  });
  app.use('*', clientRequest(full.trustProxy));
  // The API authenticates by token, not cookie: it sits before the session and CSRF middleware.
  app.route('/api', apiRoutes(full));
  app.use('*', sessionMiddleware(deps.db, full.now));
  app.use('*', csrfMiddleware());
  app.route('/', loginRoutes(full));
  app.route('/', projectRoutes(full));
  app.route('/', threadRoutes(full));
  app.route('/', logRoutes(full));
  app.route('/', submittalsRoutes(full));
  app.route('/', transmittalsRoutes(full));
  app.route('/', itemsRoutes(full));
  app.route('/', outboxRoutes(full));
  app.route('/', settingsRoutes(full));
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
