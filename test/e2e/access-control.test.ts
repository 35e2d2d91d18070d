import { readFileSync } from 'node:fs';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/api-token.js';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import { launchBrowser, signInWithBrowser, watchedContext, webOrigin } from '../support/browser.js';
import { composeReply } from '../support/compose-reply.js';
import { deliverAndFile } from '../support/journey.js';
import { testDatabaseKind } from '../support/test-db.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';

const ADMIN = 'admin@owner.example';
const MEMBER_OF_A = 'member@a.example';
const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);
const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/mail/${name}`, import.meta.url));

/** One of each record, so every kind of page and download exists in the project. */
async function fillProject(test: TestService, code: string): Promise<void> {
  const to = (sub = '') => `${code}${sub}@docket.localhost`;
  await deliverAndFile(test, 'priya@steelfab.example', to(), fixture('with-attachment.eml'));
  const records: [string, string, string][] = [
    ['+submittal', '03 30 00 Concrete mix design', 'Type: Product Data\r\n\r\nMix attached.'],
    ['+transmittal', 'Level 3 slab drawings', 'Purpose: For Review and Comment'],
    ['+rfi', 'Fire stopping at risers', 'Which product is approved?'],
  ];
  for (const [sub, subject, body] of records) {
    await deliverAndFile(
      test,
      'dana@contractor.example',
      to(sub),
      composeReply({
        from: 'Dana Fields <dana@contractor.example>',
        to: `${to(sub)}, Pat Owner <pat@owner.example>`,
        subject,
        messageId: `${code}${sub}@contractor.example`,
        body,
        attachment: { filename: `${code}.pdf`, content: pdf(code), contentType: 'application/pdf' },
      }),
    );
  }
}

/**
 * Every page and file of a project a reader can reach by following links from its home page:
 * GET links under `/p/<code>`, and the POST forms found on the way (as `POST <path>`).
 */
async function crawl(request: APIRequestContext, origin: string, code: string) {
  const prefix = `/p/${code}`;
  const seen = new Set<string>([prefix]);
  const visited = new Set<string>([prefix]);
  const posts = new Set<string>();
  const queue = [prefix];
  while (queue.length > 0 && seen.size < 400) {
    const path = queue.shift()!;
    const response = await request.get(`${origin}${path}`);
    // Menu links to sections not built yet answer 404 to everyone: nothing to protect there.
    if (response.status() !== 200) seen.delete(path);
    if (
      response.status() !== 200 ||
      !(response.headers()['content-type'] ?? '').startsWith('text/html')
    ) {
      continue;
    }
    const html = await response.text();
    for (const [, href] of html.matchAll(/href="(\/p\/[^"#]*)"/g)) {
      const link = (href ?? '').replace(/&amp;/g, '&');
      // Filtered and paged variants of a list are the same page: one of each is enough.
      const page =
        link.includes('?') && !/\?(view|images|inline)=/.test(link) ? link.split('?')[0]! : link;
      if (page === prefix || page.startsWith(`${prefix}/`)) {
        if (!visited.has(page)) {
          visited.add(page);
          seen.add(page);
          queue.push(page);
        }
      }
    }
    for (const [, action] of html.matchAll(/<form method="post" action="(\/p\/[^"]*)"/g)) {
      posts.add((action ?? '').replace(/&amp;/g, '&'));
    }
  }
  return { gets: [...seen].sort(), posts: [...posts].sort() };
}

/** The JSON API's twins of a project's web pages: the project, its lists, records and files. */
function apiPathsOf(code: string, webPaths: string[]): string[] {
  const records = webPaths.filter((path) =>
    /^\/p\/[^/]+\/(threads\/\d+|attachments\/\d+|(submittals|transmittals|items)(\/[^/.?]+)?)$/.test(
      path,
    ),
  );
  return [
    `/api/projects/${code}`,
    `/api/projects/${code}/messages`,
    ...records.map((path) => path.replace(/^\/p\//, '/api/projects/')),
  ];
}

describe(
  `one project's member cannot reach another's, in a real browser, on ${testDatabaseKind}`,
  { timeout: 300_000 },
  () => {
    let test: TestService;
    let browser: Browser;
    let origin: string;
    let member: { context: BrowserContext; page: Page };
    let a: { gets: string[]; posts: string[] };
    let b: { gets: string[]; posts: string[] };

    beforeAll(async () => {
      test = await startTestService();
      origin = webOrigin(test);
      await issueLoginLink(test.service.db, { email: ADMIN, baseUrl: origin }, new Date());
      for (const code of ['a', 'b']) {
        const project = await createTestProject(test.service, code);
        await saveWorkflow(test.service.db, {
          projectId: project.id,
          name: 'Default',
          specPrefix: null,
          steps: [['sam@architect.example']],
        });
        if (code === 'a') {
          await upsertMember(test.service.db, {
            projectId: project.id,
            email: MEMBER_OF_A,
            role: 'manager',
          });
        }
        await fillProject(test, code);
      }
      browser = await launchBrowser();
      // The administrator sees both projects: what they can reach in B is what must stay closed.
      const admin = await watchedContext(browser);
      await signInWithBrowser(admin.page, test, ADMIN);
      b = await crawl(admin.context.request, origin, 'b');
      await admin.context.close();

      member = await watchedContext(browser);
      await signInWithBrowser(member.page, test, MEMBER_OF_A);
      a = await crawl(member.context.request, origin, 'a');
    }, 300_000);
    afterAll(async () => {
      await browser?.close();
      await test?.stop();
    });

    it('finds every kind of page and file in each project (the crawl reaches them)', () => {
      for (const project of [a, b]) {
        const paths = project.gets.join('\n');
        expect(paths).toMatch(/\/threads\/\d+$/m);
        expect(paths).toMatch(/\/attachments\/\d+$/m);
        expect(paths).toMatch(/\/messages\/\d+\/raw$/m);
      }
      expect(b.gets.length).toBeGreaterThan(8);
    });

    it('opens every page and file of its own project', async () => {
      const { page } = member;
      for (const path of a.gets) {
        const probe = await page.request.get(`${origin}${path}`);
        expect(probe.status(), path).toBe(200);
        if ((probe.headers()['content-disposition'] ?? '').startsWith('attachment')) continue;
        if (!(probe.headers()['content-type'] ?? '').startsWith('text/html')) continue;
        const response = await page.goto(`${origin}${path}`);
        expect(response?.status(), path).toBe(200);
      }
    });

    it('answers for every page and file of the other project exactly what a missing project gets', async () => {
      const { page } = member;
      const mainOf = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html;
      for (const path of b.gets) {
        const missing = await page.request.get(
          `${origin}${path.replace(/^\/p\/b/, '/p/no-such-project')}`,
        );
        const response = await page.goto(`${origin}${path}`);
        expect(response?.status(), path).toBe(404);
        expect(mainOf(await response!.text()), path).toBe(mainOf(await missing.text()));
        expect(await page.content(), path).not.toContain('Project b');
      }
    });

    it("answers 404 for the other project's records asked for under its own project", async () => {
      const { page } = member;
      const crossed = b.gets
        .filter((path) => /\/(threads|attachments|messages|outbox)\/\d+/.test(path))
        .map((path) => path.replace(/^\/p\/b\//, '/p/a/'));
      expect(crossed.length).toBeGreaterThan(3);
      for (const path of crossed) {
        const response = await page.request.get(`${origin}${path}`);
        expect(response.status(), path).toBe(404);
      }
    });

    it('changes nothing in the other project by posting its forms', async (ctx) => {
      const { page } = member;
      if (b.posts.length === 0) ctx.skip('no project page has a form yet');
      const csrf = await page
        .goto(`${origin}/p/a/log`)
        .then(() => page.locator('input[name="_csrf"]').first().getAttribute('value'));
      for (const action of b.posts) {
        const response = await page.request.post(`${origin}${action}`, {
          form: {
            _csrf: csrf ?? '',
            name: 'Taken over',
            email: 'intruder@a.example',
            role: 'manager',
          },
        });
        expect(response.status(), action).toBe(404);
      }
      const project = await test.service.db
        .selectFrom('projects')
        .select('name')
        .where('code', '=', 'b')
        .executeTakeFirstOrThrow();
      expect(project.name).toBe('Project b');
    });

    it("answers the API's 404 for everything of the other project, with a member's token", async () => {
      const user = await test.service.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', MEMBER_OF_A)
        .executeTakeFirstOrThrow();
      const { token } = await createApiToken(
        test.service.db,
        { userId: user.id, name: 'e2e' },
        new Date(),
      );
      const api = (path: string, auth = `Bearer ${token}`) =>
        fetch(`${origin}${path}`, { headers: { authorization: auth } });

      const listed = (await (await api('/api/projects')).json()) as { items: { code: string }[] };
      expect(listed.items.map((p) => p.code)).toEqual(['a']);
      const own = apiPathsOf('a', a.gets);
      const other = apiPathsOf('b', b.gets);
      expect(other.length).toBeGreaterThan(8);
      for (const path of own) expect((await api(path)).status, path).toBe(200);
      const missing = await (await api('/api/projects/no-such-project')).text();
      for (const path of other) {
        const response = await api(path);
        expect(response.status, path).toBe(404);
        expect(await response.text(), path).toBe(missing);
      }
      // B's records by number under A's code are not A's.
      for (const path of other.filter((p) => /\/(threads|attachments)\/\d+$/.test(p))) {
        const crossed = path.replace('/api/projects/b/', '/api/projects/a/');
        expect((await api(crossed)).status, crossed).toBe(404);
      }
      expect((await api('/api/projects/a', '')).status).toBe(401);
      expect((await api('/api/projects/a', 'Bearer dkt_not-a-token')).status).toBe(401);
    });

    it('sends someone signed out to the login page from every page of a project', async () => {
      const context = await browser.newContext();
      for (const path of [...a.gets, ...b.gets]) {
        const response = await context.request.get(`${origin}${path}`, { maxRedirects: 0 });
        expect(response.status(), path).toBe(303);
        expect(response.headers().location, path).toBe('/login');
      }
      await context.close();
    });
  },
);
