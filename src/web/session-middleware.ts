import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { csrfTokenFor, loadSession, tokensEqual } from '../auth/web-session.js';
import type { Db } from '../db/database.js';
import { ErrorPage } from './pages/error-page.js';
import { CSRF_COOKIE, CSRF_FIELD, SESSION_COOKIE, type WebEnv } from './web-env.js';

/** Whether the person reached us over HTTPS (see `clientRequest`): cookies are Secure then. */
export function isHttps(c: Context<WebEnv>): boolean {
  return c.var.https;
}

/**
 * Loads the session the cookie names into `c.var.session` and `c.var.user`, and works out the CSRF
 * token the page's forms carry: derived from the session, or a double-submit cookie before one.
 */
export function sessionMiddleware(db: Db, now: () => Date): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await loadSession(db, token, now()) : null;
    c.set('session', session);
    c.set('user', session?.user ?? null);
    if (session) {
      c.set('csrfToken', csrfTokenFor(session.csrfSecret));
    } else {
      let anonymous = getCookie(c, CSRF_COOKIE);
      if (!anonymous || !/^[0-9a-f]{64}$/.test(anonymous)) {
        anonymous = randomBytes(32).toString('hex');
        setCookie(c, CSRF_COOKIE, anonymous, {
          httpOnly: true,
          sameSite: 'Lax',
          path: '/',
          secure: isHttps(c),
        });
      }
      c.set('csrfToken', anonymous);
    }
    await next();
  };
}

/** Refuses every POST whose form does not carry the page's CSRF token, with a readable page. */
export function csrfMiddleware(): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const body: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
    const sent = body[CSRF_FIELD];
    // A fresh anonymous cookie was made for this very request, so nothing can match it.
    const anonymousCookie = getCookie(c, CSRF_COOKIE);
    const expected = c.var.session ? c.var.csrfToken : anonymousCookie;
    if (typeof sent !== 'string' || !expected || !tokensEqual(sent, expected)) {
      return c.html(
        ErrorPage({
          title: 'This form has expired',
          message:
            'The page you sent was too old or did not come from Docket. Go back, reload the page and try again.',
          user: c.var.user,
          csrfToken: c.var.csrfToken,
        }),
        403,
      );
    }
    return next();
  };
}

/** Sends people who are not signed in to the login page. */
export const requireUser: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!c.var.user) return c.redirect('/login', 303);
  await next();
};
