import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { upsertMember } from '../../src/projects/member.repository.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import {
  launchBrowser,
  signInWithBrowser,
  watchedContext,
  webOrigin,
  type PageWatch,
} from '../support/browser.js';
import { deliverAndFile } from '../support/journey.js';
import { testDatabaseKind } from '../support/test-db.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { EVIL_HOST, IMAGES_HOST, expectNothingRan, resetWatch } from './nothing-ran.js';

const FIXTURES = new URL('../../fixtures/hostile/', import.meta.url);
const MAILS = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.eml'))
  .sort()
  .map((name) => ({ name, raw: readFileSync(new URL(name, FIXTURES)) }));
const READER = 'reader@owner.example';
const PROJECT = '/p/hostile';

/** The project address a fixture is written to: the first docket.localhost one in its To. */
function recipientOf(raw: Buffer): string {
  const to = /^To:(.*)$/im.exec(raw.toString('latin1'))?.[1] ?? '';
  const address = /[\w.+-]+@docket\.localhost/.exec(to)?.[0];
  if (!address) throw new Error(`no project address in To: ${to}`);
  return address;
}

/** Same-origin links on the page whose path matches, without duplicates. */
async function linksMatching(page: Page, pattern: RegExp): Promise<string[]> {
  // Attribute values as written (paths), not the resolved URLs; a string runs in the page's realm.
  const hrefs = await page.evaluate<string[]>(
    "[...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))",
  );
  return [...new Set(hrefs.filter((href) => pattern.test(href)))];
}

describe(
  `hostile mail shown in a real browser, on ${testDatabaseKind}`,
  { timeout: 300_000 },
  () => {
    let test: TestService;
    let browser: Browser;
    let origin: string;
    let threadIds: number[];
    let messageIds: number[];

    beforeAll(async () => {
      test = await startTestService();
      origin = webOrigin(test);
      const project = await createTestProject(test.service, 'hostile');
      await saveWorkflow(test.service.db, {
        projectId: project.id,
        name: 'Default',
        specPrefix: null,
        steps: [['sam@architect.example']],
      });
      await upsertMember(test.service.db, {
        projectId: project.id,
        email: READER,
        role: 'manager',
      });
      for (const mail of MAILS) {
        await deliverAndFile(test, 'bounces@sender.example', recipientOf(mail.raw), mail.raw);
      }
      const threads = await test.service.db
        .selectFrom('threads')
        .select('id')
        .where('project_id', '=', project.id)
        .orderBy('id')
        .execute();
      threadIds = threads.map((t) => t.id);
      const messages = await test.service.db
        .selectFrom('messages')
        .select('id')
        .where('project_id', '=', project.id)
        .orderBy('id')
        .execute();
      messageIds = messages.map((m) => m.id);
      browser = await launchBrowser();
    }, 300_000);
    afterAll(async () => {
      await browser?.close();
      await test?.stop();
    });

    it('files every hostile mail, each in a thread of its own', () => {
      expect(messageIds.length).toBeGreaterThanOrEqual(MAILS.length);
      expect(threadIds.length).toBeGreaterThanOrEqual(MAILS.length - 1);
    });

    describe.each([
      { mode: 'with the CSP enforced', bypassCSP: false },
      { mode: 'with the CSP switched off, so the markup alone must be harmless', bypassCSP: true },
    ])('$mode', ({ bypassCSP }) => {
      let page: Page;
      let watch: PageWatch;

      beforeAll(async () => {
        ({ page, watch } = await watchedContext(browser, { bypassCSP }));
        await signInWithBrowser(page, test, READER);
      });
      afterAll(() => page?.context().close());

      /** Opens a page, expects 200, and proves nothing ran. */
      async function visit(path: string, options: { remoteImages?: boolean } = {}) {
        resetWatch(watch);
        const response = await page.goto(`${origin}${path}`);
        expect(response?.status(), path).toBe(200);
        await expectNothingRan(page, watch, path, options);
        return response!;
      }

      /** A page another part of the app may not have built yet: skipped while it answers 404. */
      async function visitIfBuilt(ctx: TestContext, path: string): Promise<boolean> {
        const probe = await page.request.get(`${origin}${path}`);
        if (probe.status() === 404) {
          ctx.skip(`${path} is not built yet`);
          return false;
        }
        await visit(path);
        return true;
      }

      it('catches a payload that does run (the harness can fail)', async () => {
        await page.route(`${origin}/__control`, (route) =>
          route.fulfill({
            contentType: 'text/html',
            body: `<img src=x onerror="window.__pwned='control';alert('pwned: control')">
                 <img src="https://${EVIL_HOST}/control.png">`,
          }),
        );
        resetWatch(watch);
        await page.goto(`${origin}/__control`);
        await expect(expectNothingRan(page, watch, 'the control page')).rejects.toThrow();
        expect(watch.dialogs).toEqual(['alert: pwned: control']);
        expect(watch.offsite.map((r) => r.url)).toContain(`https://${EVIL_HOST}/control.png`);
        await page.unroute(`${origin}/__control`);
      });

      it('serves every page with a Content-Security-Policy that allows no inline script or style element', async () => {
        for (const path of ['/', PROJECT, `${PROJECT}/log`, `${PROJECT}/threads/${threadIds[0]}`]) {
          const response = await visit(path);
          const csp = response.headers()['content-security-policy'] ?? '';
          expect(csp, path).toContain("default-src 'self'");
          expect(csp, path).toContain("frame-ancestors 'none'");
          // Inline style attributes only (already sanitised); never inline script or eval.
          const unsafe = csp
            .split(';')
            .map((directive) => directive.trim())
            .filter((directive) => /unsafe-(inline|eval)/.test(directive));
          expect(unsafe, path).toEqual(["style-src-attr 'unsafe-inline'"]);
          expect(response.headers()['x-content-type-options'], path).toBe('nosniff');
        }
      });

      it('shows the project dashboard and the correspondence log', async () => {
        await visit(PROJECT);
        await visit(`${PROJECT}/log`);
        // The hostile subject is there, as text.
        await expect
          .poll(() => page.getByText("onerror=alert('pwned: subject')").count())
          .toBeGreaterThan(0);
      });

      it('shows search results for the hostile subjects and senders', async () => {
        for (const q of ['Hostile', 'script', 'onerror', 'pwned']) {
          await visit(`${PROJECT}/log?q=${encodeURIComponent(q)}`);
        }
        await visit(`${PROJECT}/log?q=Hostile`);
        expect(await page.locator('table.log tbody tr').count()).toBeGreaterThan(5);
        await visit(`${PROJECT}/log?sender=${encodeURIComponent('@evil.example')}`);
      });

      it('shows each thread formatted, as plain text, and with remote images', async () => {
        for (const id of threadIds) {
          const thread = `${PROJECT}/threads/${id}`;
          await visit(thread);
          await visit(`${thread}?view=text`);
          await visit(`${thread}?images=1`, { remoteImages: true });
          await visit(`${thread}?view=text&images=1`, { remoteImages: true });
        }
      });

      it('loads remote images only when asked, and never from the payload host', async () => {
        const images = await test.service.db
          .selectFrom('messages')
          .select('thread_id')
          .where('message_id', '=', 'hostile-images@sender.example')
          .executeTakeFirstOrThrow();
        const thread = `${PROJECT}/threads/${images.thread_id}`;
        await visit(thread);
        expect(await page.getByText('Remote images blocked').count()).toBeGreaterThan(0);
        resetWatch(watch);
        await page.getByRole('link', { name: 'show them' }).first().click();
        await page.waitForLoadState('load');
        const hosts = watch.offsite.map((r) => new URL(r.url).hostname);
        expect(hosts).toContain(IMAGES_HOST);
        expect(hosts).not.toContain(EVIL_HOST);
        await expectNothingRan(page, watch, 'remote images shown', { remoteImages: true });
      });

      it('downloads every attachment and raw message instead of rendering it', async () => {
        let downloads = 0;
        for (const id of threadIds) {
          const thread = `${PROJECT}/threads/${id}`;
          await visit(thread);
          const files = await linksMatching(
            page,
            /^\/p\/hostile\/(attachments\/\d+|messages\/\d+\/raw)$/,
          );
          for (const href of files) {
            const response = await page.request.get(`${origin}${href}`);
            const headers = response.headers();
            expect(headers['content-type'], href).not.toMatch(/html|svg|xml|javascript/i);
            expect(headers['content-disposition'], href).toMatch(/^attachment;/);
            expect(headers['x-content-type-options'], href).toBe('nosniff');

            // Opened in the browser as a page, it still only downloads.
            resetWatch(watch);
            const [download] = await Promise.all([
              page.waitForEvent('download'),
              page.goto(`${origin}${href}`).catch(() => null),
            ]);
            const name = download.suggestedFilename();
            expect(name, href).not.toMatch(/[\r\n/\\]/);
            await download.cancel();
            await expectNothingRan(page, watch, href);
            downloads++;
          }
        }
        // Five named attachments and an inline HTML part, plus one raw message per mail.
        expect(downloads).toBeGreaterThanOrEqual(MAILS.length + 5);
      });

      it('downloads the hostile-named attachments through their links', async () => {
        const files = await test.service.db
          .selectFrom('messages')
          .select('thread_id')
          .where('message_id', '=', 'hostile-attachments@sender.example')
          .executeTakeFirstOrThrow();
        await visit(`${PROJECT}/threads/${files.thread_id}`);
        const link = page.locator('ul.attachments a', { hasText: 'onerror' });
        await expect.poll(() => link.count()).toBe(1);
        resetWatch(watch);
        const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
        expect(download.suggestedFilename()).toContain('img src=x onerror=alert(1)');
        const bytes = readFileSync((await download.path()) ?? '');
        expect(bytes.toString()).toContain("alert('pwned: html attachment')");
        await expectNothingRan(page, watch, 'the hostile-named attachment link');
      });

      it('shows the submittal register and each submittal', async (ctx) => {
        if (!(await visitIfBuilt(ctx, `${PROJECT}/submittals`))) return;
        const details = await linksMatching(page, /^\/p\/hostile\/submittals\/[^/?#]+$/);
        expect(details.length).toBeGreaterThan(0);
        for (const href of details) await visit(href);
      });

      it('shows the transmittal log and each transmittal', async (ctx) => {
        if (!(await visitIfBuilt(ctx, `${PROJECT}/transmittals`))) return;
        const details = await linksMatching(page, /^\/p\/hostile\/transmittals\/[^/?#]+$/);
        expect(details.length).toBeGreaterThan(0);
        for (const href of details) await visit(href);
      });

      it('shows the RFIs and items and each item', async (ctx) => {
        if (!(await visitIfBuilt(ctx, `${PROJECT}/items`))) return;
        const details = await linksMatching(page, /^\/p\/hostile\/items\/[^/?#]+$/);
        expect(details.length).toBeGreaterThan(0);
        for (const href of details) await visit(href);
      });

      it('shows the outbox, whose acknowledgements repeat the hostile subjects', async (ctx) => {
        if (!(await visitIfBuilt(ctx, `${PROJECT}/outbox`))) return;
        for (const href of await linksMatching(page, /^\/p\/hostile\/outbox\/[^/?#]+$/)) {
          await visit(href);
        }
      });

      it('shows the project settings', async (ctx) => {
        await visitIfBuilt(ctx, `${PROJECT}/settings`);
      });
    });
  },
);
