import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { createProject } from '../../src/projects/project.repository.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import {
  launchBrowser,
  openLoginLink,
  signInWithBrowser,
  watchedContext,
  webOrigin,
} from '../support/browser.js';
import { composeReply } from '../support/compose-reply.js';
import { deliverAndFile } from '../support/journey.js';
import { testDatabaseKind } from '../support/test-db.js';
import { startTestService, type TestService } from '../support/test-service.js';

const ADMIN = 'olivia@owner.example';
const INBOX = 'twr-a@docket.localhost';
const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/mail/${name}`, import.meta.url));
const SHOP_DRAWINGS = fixture('with-attachment.eml');
/** The PDF inside with-attachment.eml, as its sender attached it. */
const SHOP_DRAWING_PDF = Buffer.from(
  /\r\n\r\n(JVBER[\s\S]*?)\r\n\r\n--b1--/.exec(SHOP_DRAWINGS.toString())?.[1] ?? '',
  'base64',
);
const MIX_DESIGN = Buffer.from('%PDF-1.4\n% mix design\n%%EOF\n');

describe(
  `a new administrator's first day, in a real browser, on ${testDatabaseKind}`,
  { timeout: 300_000 },
  () => {
    let test: TestService;
    let browser: Browser;
    let page: Page;
    let origin: string;

    beforeAll(async () => {
      test = await startTestService();
      origin = webOrigin(test);
      browser = await launchBrowser();
      ({ page } = await watchedContext(browser));
    }, 300_000);
    afterAll(async () => {
      await browser?.close();
      await test?.stop();
    });

    /** Whether another part of the app has built this page yet (404 while it has not). */
    async function built(path: string): Promise<boolean> {
      return (await page.request.get(`${origin}${path}`)).status() !== 404;
    }

    it('signs in with the link `docket login-link` printed, and sees the projects page', async () => {
      const { url, isAdmin } = await issueLoginLink(
        test.service.db,
        { email: ADMIN, baseUrl: origin },
        new Date(),
      );
      expect(isAdmin).toBe(true);
      await openLoginLink(page, url);
      expect(page.url()).toBe(`${origin}/`);
      await expect.poll(() => page.locator('.who').textContent()).toBe(ADMIN);
      // A used link cannot sign anyone in again.
      const again = await page.request.get(url);
      expect(again.status()).toBe(404);
    });

    it('starts a project with the New project form', async (ctx: TestContext) => {
      if (!(await built('/projects/new'))) {
        await createProject(test.service.db, { code: 'twr-a', name: 'Tower A' });
        ctx.skip('the New project form is not built yet; the project was made directly');
        return;
      }
      await page.goto(`${origin}/projects/new`);
      await page.getByLabel('Code').fill('twr-a');
      await page.getByLabel('Name').fill('Tower A');
      await page.getByRole('button', { name: 'Create project' }).click();
      await page.waitForURL(/\/p\/twr-a\//);
      await page.goto(`${origin}/`);
      await expect.poll(() => page.getByRole('link', { name: /Tower A/ }).count()).toBe(1);
    });

    it('has mail delivered over SMTP: a thread with an attachment, a question, a submittal', async () => {
      const project = await test.service.db
        .selectFrom('projects')
        .select('id')
        .where('code', '=', 'twr-a')
        .executeTakeFirstOrThrow();
      await saveWorkflow(test.service.db, {
        projectId: project.id,
        name: 'Default',
        specPrefix: null,
        steps: [['sam@architect.example']],
      });
      await deliverAndFile(test, 'priya@steelfab.example', INBOX, SHOP_DRAWINGS);
      await deliverAndFile(
        test,
        'dana.fields@contractor.example',
        INBOX,
        fixture('rfi-question.eml'),
      );
      await deliverAndFile(
        test,
        'dana@contractor.example',
        'twr-a+submittal@docket.localhost',
        composeReply({
          from: 'Dana Fields <dana@contractor.example>',
          to: 'twr-a+submittal@docket.localhost',
          subject: '03 30 00 Concrete mix design',
          messageId: 'journey-submittal@contractor.example',
          body: 'Type: Product Data\r\n\r\nMix design attached.',
          attachment: {
            filename: 'mix-design.pdf',
            content: MIX_DESIGN,
            contentType: 'application/pdf',
          },
        }),
      );
    });

    it('browses the correspondence log from the project menu', async () => {
      await page.goto(`${origin}/`);
      await page
        .getByRole('link', { name: /Tower A/ })
        .first()
        .click();
      await page
        .getByRole('navigation', { name: 'Project' })
        .getByRole('link', { name: 'Correspondence' })
        .click();
      await page.waitForURL(`${origin}/p/twr-a/log`);
      const subjects = await page.locator('table.log tbody td.subject a').allTextContents();
      expect(subjects).toEqual(
        expect.arrayContaining(['Shop drawings for stair 2', 'Level 3 slab edge detail']),
      );
      expect(subjects.some((s) => s.includes('Concrete mix design'))).toBe(true);
    });

    it('searches the log and finds only what matches', async () => {
      await page.getByLabel('Search').fill('stair');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/\/p\/twr-a\/log\?.*q=stair/);
      const rows = page.locator('table.log tbody tr');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain('Shop drawings for stair 2');

      await page.getByLabel('Search').fill('nothing-like-this-anywhere');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByText('No messages match these filters.').waitFor();
      await page.getByLabel('Search').fill('stair');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/q=stair/);
    });

    it('opens the thread and downloads its attachment, byte for byte', async () => {
      await page.getByRole('link', { name: 'Shop drawings for stair 2' }).click();
      await page.getByRole('heading', { level: 1, name: 'Shop drawings for stair 2' }).waitFor();
      expect(await page.getByText('Attached are the shop drawings for stair 2.').count()).toBe(1);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Stair 2 - SD-101.pdf' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('Stair 2 - SD-101.pdf');
      const bytes = readFileSync((await download.path()) ?? '');
      expect(bytes.equals(SHOP_DRAWING_PDF)).toBe(true);
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    });

    it('exports the submittal register as CSV and PDF', async (ctx: TestContext) => {
      if (!(await built('/p/twr-a/submittals'))) {
        ctx.skip('the submittal register is not built yet');
        return;
      }
      await page.goto(`${origin}/p/twr-a`);
      await page
        .getByRole('navigation', { name: 'Project' })
        .getByRole('link', { name: 'Submittals' })
        .click();
      await page.waitForURL(`${origin}/p/twr-a/submittals`);
      expect(await page.getByText('Concrete mix design').count()).toBeGreaterThan(0);

      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'CSV', exact: true }).click(),
      ]);
      expect(csv.suggestedFilename()).toMatch(/\.csv$/);
      const table = readFileSync((await csv.path()) ?? '', 'utf8');
      expect(table).toContain('03 30 00-001');
      expect(table).toContain('Concrete mix design');
      expect(table.split(/\r?\n/)[0]).toMatch(/number/i);

      const [pdf] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'PDF', exact: true }).click(),
      ]);
      expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
      const document = readFileSync((await pdf.path()) ?? '');
      expect(document.subarray(0, 5).toString()).toBe('%PDF-');

      const headers = (await page.request.get(`${origin}/p/twr-a/submittals.csv`)).headers();
      expect(headers['content-type']).toMatch(/^text\/csv/);
      expect(headers['content-disposition']).toMatch(/^attachment;/);
      const pdfHeaders = (await page.request.get(`${origin}/p/twr-a/submittals.pdf`)).headers();
      expect(pdfHeaders['content-type']).toBe('application/pdf');
    });

    it("changes the project's name in its settings", async (ctx: TestContext) => {
      if (!(await built('/p/twr-a/settings'))) {
        ctx.skip('the settings page is not built yet');
        return;
      }
      await page.goto(`${origin}/p/twr-a`);
      await page
        .getByRole('navigation', { name: 'Project' })
        .getByRole('link', { name: 'Settings' })
        .click();
      await page.waitForURL(`${origin}/p/twr-a/settings`);
      const name = page.locator('#general-name');
      await name.fill('Tower A — Phase 2');
      await page.getByRole('button', { name: 'Save general settings' }).click();
      await page.waitForLoadState('load');
      await expect.poll(() => page.locator('#general-name').inputValue()).toBe('Tower A — Phase 2');
      const project = await test.service.db
        .selectFrom('projects')
        .select('name')
        .where('code', '=', 'twr-a')
        .executeTakeFirstOrThrow();
      expect(project.name).toBe('Tower A — Phase 2');
    });

    it('logs out, is sent to the login page, and signs in again with a mailed link', async () => {
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.waitForURL(`${origin}/login`);
      await page.goto(`${origin}/p/twr-a/log`);
      expect(page.url()).toBe(`${origin}/login`);
      await signInWithBrowser(page, test, ADMIN);
      await page.goto(`${origin}/p/twr-a/log`);
      expect(await page.getByRole('heading', { name: 'Correspondence log' }).count()).toBe(1);
    });
  },
);
