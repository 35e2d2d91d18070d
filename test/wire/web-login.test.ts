import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { DatabaseBlobStore } from '../../src/blobs/database-blob-store.js';
import { createProject } from '../../src/projects/project.repository.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { createWebApp } from '../../src/web/app.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

const BASE = 'http://docket.test';

/** A browser's cookie jar, just enough for these tests. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly app: ReturnType<typeof createWebApp>) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await this.app.request(`${BASE}${path}`, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** GETs a page, takes the CSRF token from its form, and POSTs the form. */
  async submit(
    pagePath: string,
    action: string,
    fields: Record<string, string> = {},
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const page = await (await this.request(pagePath, { headers })).text();
    const csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(page)?.[1] ?? '';
    return this.request(action, {
      method: 'POST',
      headers,
      body: new URLSearchParams({ _csrf: csrf, ...fields }),
    });
  }
}

const tokenOf = (url: string) => url.split('/login/')[1] ?? '';

describe(`web login, on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createWebApp>;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = createWebApp({
      db: database.db,
      blobs: new DatabaseBlobStore(database.db),
      version: 'test',
    });
    const a = await createProject(database.db, { code: 'twr-a', name: 'Tower A' });
    const b = await createProject(database.db, { code: 'twr-b', name: 'Tower B' });
    await upsertMember(database.db, { projectId: a.id, email: 'sam@architect.example' });
    await upsertMember(database.db, { projectId: b.id, email: 'kim@engineer.example' });
  });
  afterAll(() => database.destroy());
  beforeEach(async () => {
    await database.db.deleteFrom('login_requests').execute();
  });

  const link = (email: string, now = new Date()) =>
    issueLoginLink(database.db, { email, baseUrl: BASE }, now);

  it('makes the first user an administrator, and nobody after', async () => {
    const first = await link('Admin@Owner.example');
    expect(first).toMatchObject({ email: 'admin@owner.example', isAdmin: true, created: true });
    expect(first.url).toMatch(/^http:\/\/docket\.test\/login\/[0-9a-f]{64}$/);
    const second = await link('sam@architect.example');
    expect(second).toMatchObject({ isAdmin: false, created: true });
    expect((await link('sam@architect.example')).created).toBe(false);
  });

  it('logs in with a link: GET shows a button and does not use the token, POST does, once', async () => {
    const { url } = await link('sam@architect.example');
    const browser = new Browser(app);
    const path = `/login/${tokenOf(url)}`;
    expect((await browser.request(path)).status).toBe(200);
    expect((await browser.request(path)).status).toBe(200);

    const signedIn = await browser.submit(path, path);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/');
    expect(browser.cookies.get('docket_session')).toMatch(/^[0-9a-f]{64}$/);

    const home = await browser.request('/');
    const html = await home.text();
    expect(home.status).toBe(200);
    expect(html).toContain('Tower A');
    expect(html).not.toContain('Tower B');

    // Single use: the same link refuses a second time, from anyone.
    const again = await new Browser(app).submit('/login', path);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('cannot be used');
    expect((await browser.request(path)).status).toBe(404);
  });

  it('stores only hashes of tokens', async () => {
    const { url } = await link('sam@architect.example');
    const token = tokenOf(url);
    const rows = await database.db.selectFrom('login_tokens').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
  });

  it('refuses an expired link', async () => {
    const { url } = await link('sam@architect.example', new Date(Date.now() - 16 * 60 * 1000));
    const browser = new Browser(app);
    const path = `/login/${tokenOf(url)}`;
    expect((await browser.request(path)).status).toBe(404);
    const response = await browser.submit('/login', path);
    expect(response.status).toBe(404);
    expect(browser.cookies.has('docket_session')).toBe(false);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, 30 days, and Secure behind a trusted HTTPS proxy', async () => {
    const plain = new Browser(app);
    const path1 = `/login/${tokenOf((await link('sam@architect.example')).url)}`;
    const cookie1 = (await plain.submit(path1, path1)).headers
      .getSetCookie()
      .find((c) => c.startsWith('docket_session='));
    expect(cookie1).toMatch(/HttpOnly/);
    expect(cookie1).toMatch(/SameSite=Lax/);
    expect(cookie1).toMatch(/Path=\//);
    expect(cookie1).toMatch(/Max-Age=2592000/);
    expect(cookie1).not.toMatch(/Secure/);

    // Only a deployment that says a proxy is in front believes X-Forwarded-Proto.
    const proxied = new Browser(
      createWebApp({
        db: database.db,
        blobs: new DatabaseBlobStore(database.db),
        version: 'test',
        trustProxy: true,
      }),
    );
    const path2 = `/login/${tokenOf((await link('sam@architect.example')).url)}`;
    const cookie2 = (
      await proxied.submit(path2, path2, {}, { 'x-forwarded-proto': 'https' })
    ).headers
      .getSetCookie()
      .find((c) => c.startsWith('docket_session='));
    expect(cookie2).toMatch(/Secure/);
    expect(cookie2).toMatch(/HttpOnly/);
  });

  it('rejects a POST without the right CSRF token with a readable 403', async () => {
    const { url } = await link('sam@architect.example');
    const path = `/login/${tokenOf(url)}`;
    const browser = new Browser(app);
    await browser.request(path);
    const missing = await browser.request(path, { method: 'POST', body: new URLSearchParams() });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('This form has expired');
    const wrong = await browser.request(path, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: 'f'.repeat(64) }),
    });
    expect(wrong.status).toBe(403);
    // The token was not used by the refused attempts.
    expect((await browser.submit(path, path)).status).toBe(303);

    // Signed in, the session's token is required: the anonymous cookie no longer counts.
    const anonymous = browser.cookies.get('docket_csrf') ?? '';
    const logout = await browser.request('/logout', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: anonymous }),
    });
    expect(logout.status).toBe(403);
    expect((await browser.request('/')).status).toBe(200);
  });

  it('logs out: the session is gone from the database and the cookie cleared', async () => {
    const browser = new Browser(app);
    const path = `/login/${tokenOf((await link('sam@architect.example')).url)}`;
    await browser.submit(path, path);
    const sessionsBefore = await database.db.selectFrom('web_sessions').select('id').execute();
    const out = await browser.submit('/', '/logout');
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    expect(browser.cookies.has('docket_session')).toBe(false);
    const sessionsAfter = await database.db.selectFrom('web_sessions').select('id').execute();
    expect(sessionsAfter.length).toBe(sessionsBefore.length - 1);
    const home = await browser.request('/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/login');
  });

  it('answers a login request the same for known and unknown addresses', async () => {
    const known = await new Browser(app).submit('/login', '/login', {
      email: 'kim@engineer.example',
    });
    const unknown = await new Browser(app).submit('/login', '/login', {
      email: 'nobody@elsewhere.example',
    });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const strip = (html: string) => html.replace(/[\w.]+@[\w.]+example/g, 'EMAIL');
    expect(strip(await known.text())).toBe(strip(await unknown.text()));
    const tokens = await database.db
      .selectFrom('login_tokens')
      .select('email')
      .where('email', 'in', ['kim@engineer.example', 'nobody@elsewhere.example'])
      .execute();
    expect(tokens.map((t) => t.email)).toEqual(['kim@engineer.example']);
  });

  it('answers the sixth login request for an address in 15 minutes with a readable 429', async () => {
    const browser = new Browser(app);
    for (let i = 0; i < 5; i += 1) {
      const ok = await browser.submit('/login', '/login', { email: 'kim@engineer.example' });
      expect(ok.status).toBe(200);
    }
    const refused = await browser.submit('/login', '/login', { email: 'KIM@engineer.example' });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('Too many login requests');
    // Another address is not affected.
    const other = await browser.submit('/login', '/login', { email: 'sam@architect.example' });
    expect(other.status).toBe(200);
  });
});
