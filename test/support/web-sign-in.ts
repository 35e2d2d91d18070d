import { expect } from 'vitest';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import type { Db } from '../../src/db/database.js';
import type { createWebApp } from '../../src/web/app.js';

/** The origin route tests send their requests to. */
export const WEB_BASE = 'http://docket.test';

/**
 * Signs a person in through the real flow — a login link, its confirm page, the POST that spends
 * it — and returns the Cookie header their browser would then send.
 */
export async function signIn(
  db: Db,
  app: ReturnType<typeof createWebApp>,
  email: string,
): Promise<string> {
  const { url } = await issueLoginLink(db, { email, baseUrl: WEB_BASE }, new Date());
  const page = await app.request(url);
  const csrfCookie = page.headers
    .getSetCookie()
    .find((c) => c.startsWith('docket_csrf='))
    ?.split(';')[0];
  const csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await app.request(url, {
    method: 'POST',
    headers: { cookie: csrfCookie ?? '' },
    body: new URLSearchParams({ _csrf: csrf }),
  });
  const session = response.headers
    .getSetCookie()
    .find((c) => c.startsWith('docket_session='))
    ?.split(';')[0];
  expect(session).toBeDefined();
  return session ?? '';
}
