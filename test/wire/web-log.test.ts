import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../src/blobs/file-blob-store.js';
import { createProject } from '../../src/projects/project.repository.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { createWebApp } from '../../src/web/app.js';
import { rawMessage, storeAndFile } from '../support/deliver-raw.js';
import { signIn as signInAs } from '../support/web-sign-in.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

const BASE = 'http://docket.test';
const base = Date.UTC(2026, 10, 2, 9);
const at = (hours: number) => new Date(base + hours * 3_600_000);

describe(`the correspondence log page, on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createWebApp>;
  let dataDir: string;
  let member = '';
  let outsider = '';

  const signIn = (email: string) => signInAs(database.db, app, email);

  const get = (url: string, cookie: string) =>
    app.request(url.startsWith('http') ? url : `${BASE}${url}`, { headers: { cookie } });
  const decode = (href: string) => href.replace(/&amp;/g, '&');

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), 'docket-web-log-'));
    const blobs = new FileBlobStore(dataDir);
    app = createWebApp({ db: database.db, blobs, version: 'test' });
    const a = await createProject(database.db, {
      code: 'a',
      name: 'Project A',
      timezone: 'America/New_York',
    });
    await createProject(database.db, { code: 'b', name: 'Project B' });
    await upsertMember(database.db, { projectId: a.id, email: 'member@a.example' });
    // The first user is the administrator; sign them up first so the member is not.
    await issueLoginLink(database.db, { email: 'admin@owner.example', baseUrl: BASE }, new Date());
    const subjects = [
      'Concrete pour schedule',
      'Rebar shop drawings',
      '<script>alert(1)</script>',
      ...Array.from({ length: 52 }, (_, i) => `Daily report ${i}`),
    ];
    for (const [i, subject] of subjects.entries()) {
      const raw = rawMessage(
        {
          From:
            i === 1 ? 'Sam Ortiz <sam@architect.example>' : 'Dana Fields <dana@contractor.example>',
          To: 'a@docket.localhost',
          Subject: subject,
          'Message-ID': `<m${i}@test.example>`,
          Date: at(i).toUTCString(),
          ...(i === 2 ? { 'Auto-Submitted': 'auto-replied' } : {}),
        },
        i === 0 ? 'The pour moves to Thursday because of rain.' : 'Hello.',
      );
      await storeAndFile(database.db, blobs, a.id, raw, { receivedAt: at(i) });
    }
    // Docket's own digest, filed in the log from the outbox as every notification is (the oldest
    // row), and a forgery of one received by mail: the same Message-ID domain proves nothing.
    const digest = rawMessage(
      {
        From: 'Docket <a@docket.localhost>',
        To: 'sam@architect.example',
        Subject: 'Daily digest: 2 items need your action',
        'Message-ID': '<digest-1@docket.localhost>',
        Date: at(-1).toUTCString(),
        'Auto-Submitted': 'auto-generated',
      },
      'Your items.',
    );
    await storeAndFile(database.db, blobs, a.id, digest, {
      receivedAt: at(-1),
      transport: 'outbound',
    });
    const forged = rawMessage(
      {
        From: 'Docket <a@docket.localhost>',
        To: 'a@docket.localhost',
        Subject: 'Forged: approval recorded',
        'Message-ID': '<forged-1@docket.localhost>',
        Date: at(-2).toUTCString(),
        'Auto-Submitted': 'auto-generated',
      },
      'Trust me.',
    );
    await storeAndFile(database.db, blobs, a.id, forged, { receivedAt: at(-2) });
    member = await signIn('member@a.example');
    outsider = await signIn('outsider@b.example');
  });
  afterAll(async () => {
    await database.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists messages with dates in the project zone, links to threads, and a next page', async () => {
    const response = await get('/p/a/log', member);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Correspondence log</h1>');
    expect(html).toMatch(/href="\/p\/a\/threads\/\d+"/);
    expect(html).toContain('Daily report 51');
    expect(html).toContain('<label for="log-q">Search</label>');
    expect(html).not.toContain('Previous page');

    const next = /<a rel="next" href="([^"]+)">Next page<\/a>/.exec(html)?.[1];
    expect(next).toBeDefined();
    const second = await get(decode(next ?? ''), member);
    expect(second.status).toBe(200);
    const page2 = await second.text();
    expect(page2).toContain('Concrete pour schedule');
    expect(page2).not.toContain('Daily report 51');
    expect(page2).toContain('Previous page');
    // 09:00 UTC on 2 November 2026 is 04:00 in New York (EST).
    const first = /<time datetime="2026-11-02T09:00:00.000Z">(.*?)<\/time>/.exec(page2);
    expect(first?.[1]?.replace(/<[^>]+>/g, '')).toBe('2026-11-02 04:00');
  });

  it('escapes HTML in subjects', async () => {
    const html = await (await get('/p/a/log?flag=auto-reply', member)).text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('badge-auto-reply');
  });

  it("badges Docket's own notifications as such, not as auto-replies", async () => {
    const html = await (await get('/p/a/log?flag=own', member)).text();
    expect(html).toContain('Daily digest: 2 items need your action');
    expect(html).toContain('<span class="badge badge-own">Sent by Docket</span>');
    expect(html).not.toContain('badge-auto-reply');
    expect(html).not.toContain('Forged: approval recorded');
    const replies = await (await get('/p/a/log?flag=auto-reply', member)).text();
    expect(replies).toContain('<span class="badge badge-auto-reply">Auto-reply</span>');
    expect(replies).toContain('Forged: approval recorded');
  });

  it('narrows by search and sender, and carries filters into paging links', async () => {
    const html = await (await get('/p/a/log?q=pour', member)).text();
    expect(html).toContain('Concrete pour schedule');
    expect(html).not.toContain('Daily report');
    // The filters beyond search stay folded away unless one of them is set (no JavaScript).
    expect(html).toContain('<details class="more-filters">');
    const sam = await (await get('/p/a/log?sender=%40architect.example', member)).text();
    expect(sam).toContain('<details class="more-filters" open="">');
    expect(sam).toContain('Rebar shop drawings');
    expect(sam).not.toContain('Concrete pour schedule');
    const none = await (await get('/p/a/log?q=nonexistentword', member)).text();
    expect(none).toContain('No messages match these filters.');

    const daily = await (await get('/p/a/log?q=daily&sort=oldest', member)).text();
    const next = /<a rel="next" href="([^"]+)">/.exec(daily)?.[1] ?? '';
    expect(decode(next)).toContain('q=daily');
    expect(decode(next)).toContain('sort=oldest');
  });

  it('filters by whole days in the project zone', async () => {
    // 2 Nov in New York starts at 05:00 UTC and ends at 05:00 UTC on 3 Nov: hours 0–19.
    const html = await (
      await get('/p/a/log?from=2026-11-02&to=2026-11-02&sort=oldest', member)
    ).text();
    expect(html).toContain('Daily report 16');
    expect(html).not.toContain('Daily report 17<');
  });

  it('answers 400 with a readable page for a bad filter or a tampered cursor', async () => {
    for (const url of [
      '/p/a/log?cursor=not-a-cursor',
      '/p/a/log?from=yesterday',
      '/p/a/log?sender=nobody',
      '/p/a/log?sort=sideways',
    ]) {
      const response = await get(url, member);
      expect(response.status, url).toBe(400);
      expect(await response.text()).toContain('These filters could not be used');
    }
  });

  it('answers 404 to someone not on the project, and sends strangers to log in', async () => {
    const response = await get('/p/a/log', outsider);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('Concrete');
    expect((await get('/p/nope/log', member)).status).toBe(404);
    const anonymous = await app.request(`${BASE}/p/a/log`);
    expect(anonymous.status).toBe(303);
  });

  it('is linked from the project page', async () => {
    const html = await (await get('/p/a', member)).text();
    expect(html).toContain('href="/p/a/log"');
  });
});
