import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseBlobStore } from '../../src/blobs/database-blob-store.js';
import { createProject } from '../../src/projects/project.repository.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { createWebApp } from '../../src/web/app.js';
import { signIn as signInAs } from '../support/web-sign-in.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

const BASE = 'http://docket.test';

describe(`web pages and who may see them, on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createWebApp>;

  const signIn = (email: string) => signInAs(database.db, app, email);

  const get = (path: string, cookie: string) =>
    app.request(`${BASE}${path}`, { headers: { cookie } });

  beforeAll(async () => {
    database = await createTestDatabase();
    app = createWebApp({
      db: database.db,
      blobs: new DatabaseBlobStore(database.db),
      version: 'test',
    });
    const a = await createProject(database.db, { code: 'a', name: 'Project A' });
    await createProject(database.db, { code: 'b', name: 'Project B' });
    await upsertMember(database.db, { projectId: a.id, email: 'member@a.example' });
    // The first user is the administrator.
    await issueLoginLink(database.db, { email: 'admin@owner.example', baseUrl: BASE }, new Date());
  });
  afterAll(() => database.destroy());

  it('sends people who are not signed in to the login page', async () => {
    for (const path of ['/', '/p/a']) {
      const response = await app.request(`${BASE}${path}`);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/login');
    }
    const login = await app.request(`${BASE}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('<form method="post" action="/login"');
  });

  it('shows a member their project with its counts, and answers 404 for another', async () => {
    const cookie = await signIn('member@a.example');
    const home = await (await get('/', cookie)).text();
    expect(home).toContain('href="/p/a"');
    expect(home).not.toContain('Project B');

    const a = await get('/p/a', cookie);
    expect(a.status).toBe(200);
    const page = await a.text();
    expect(page).toContain('Project A');
    expect(page).toMatch(/<dt>Threads<\/dt><dd>0<\/dd>/);
    expect(page).toContain('Nothing has been filed yet');

    const b = await get('/p/b', cookie);
    const missing = await get('/p/nope', cookie);
    expect(b.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await b.text()).toBe(await missing.text());
  });

  it('shows an administrator every project', async () => {
    const cookie = await signIn('admin@owner.example');
    const home = await (await get('/', cookie)).text();
    expect(home).toContain('Project A');
    expect(home).toContain('Project B');
    expect((await get('/p/b', cookie)).status).toBe(200);
  });

  it('shows a clear empty state to someone on no project', async () => {
    const cookie = await signIn('new@person.example');
    const home = await (await get('/', cookie)).text();
    expect(home).toContain('You are not on any project yet.');
  });

  it('serves the stylesheet locally and sends security headers', async () => {
    const css = await app.request(`${BASE}/static/app.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    const login = await app.request(`${BASE}/login`);
    expect(login.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await login.text()).toMatch(/^<!doctype html>/);
  });
});
