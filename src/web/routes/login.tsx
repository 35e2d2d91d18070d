import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { consumeLoginToken, isLoginTokenUsable, recordLoginRequest } from '../../auth/web-login.js';
import { mailLoginLink } from '../../auth/login-mail.js';
import { createSession, deleteSession, SESSION_TTL_MS } from '../../auth/web-session.js';
import { ensureUser, isKnownPerson, normalizeEmail } from '../../users/user.repository.js';
import { isHttps } from '../session-middleware.js';
import { ErrorPage } from '../pages/error-page.js';
import { LoginConfirm, LoginForm, LoginLinkInvalid, LoginRequested } from '../pages/login-pages.js';
import { SESSION_COOKIE, type WebDeps, type WebEnv } from '../web-env.js';

/** Logging in by a one-use emailed link, and out. */
export function loginRoutes(deps: Required<WebDeps>): Hono<WebEnv> {
  const { db, now } = deps;
  const app = new Hono<WebEnv>();

  app.get('/login', (c) => {
    if (c.var.user) return c.redirect('/', 303);
    return c.html(<LoginForm user={null} csrfToken={c.var.csrfToken} />);
  });

  app.post('/login', async (c) => {
    const body = await c.req.parseBody();
    const raw = typeof body.email === 'string' ? body.email : '';
    const email = normalizeEmail(raw);
    if (!email) {
      return c.html(
        <LoginForm
          user={c.var.user}
          csrfToken={c.var.csrfToken}
          email={raw}
          error="Enter an email address, like name@example.com."
        />,
        400,
      );
    }
    const at = now();
    const { allowed } = await recordLoginRequest(
      db,
      { email, clientAddress: c.var.clientAddress },
      at,
    );
    if (!allowed) {
      return c.html(
        <ErrorPage
          title="Too many login requests"
          message="Too many login links were asked for in the last 15 minutes. Wait a while, then try again."
          user={c.var.user}
          csrfToken={c.var.csrfToken}
        />,
        429,
        { 'Retry-After': '900' },
      );
    }
    // Links are mailed only to people Docket knows, and the page answers the same for everyone,
    // so it cannot be used to find out who is on a project.
    if (await isKnownPerson(db, email)) {
      await db
        .transaction()
        .execute((trx) =>
          mailLoginLink(trx, deps.mail.outbox, { email, publicUrl: deps.mail.publicUrl }, at),
        );
      deps.mail.afterQueued?.();
    }
    return c.html(<LoginRequested user={c.var.user} csrfToken={c.var.csrfToken} email={email} />);
  });

  app.get('/login/:token', async (c) => {
    const token = c.req.param('token');
    if (!(await isLoginTokenUsable(db, token, now()))) {
      return c.html(<LoginLinkInvalid user={c.var.user} csrfToken={c.var.csrfToken} />, 404);
    }
    return c.html(<LoginConfirm user={c.var.user} csrfToken={c.var.csrfToken} token={token} />);
  });

  app.post('/login/:token', async (c) => {
    const at = now();
    const sessionToken = await db.transaction().execute(async (trx) => {
      const email = await consumeLoginToken(trx, c.req.param('token'), at);
      if (!email) return null;
      const { user } = await ensureUser(trx, { email });
      return createSession(trx, user.id, at);
    });
    if (!sessionToken) {
      return c.html(<LoginLinkInvalid user={c.var.user} csrfToken={c.var.csrfToken} />, 404);
    }
    if (c.var.session) await deleteSession(db, c.var.session.id);
    setCookie(c, SESSION_COOKIE, sessionToken, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      secure: isHttps(c),
      maxAge: SESSION_TTL_MS / 1000,
    });
    return c.redirect('/', 303);
  });

  app.post('/logout', async (c) => {
    if (c.var.session) await deleteSession(db, c.var.session.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) });
    return c.redirect('/login', 303);
  });

  return app;
}
