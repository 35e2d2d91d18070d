import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { createProject } from '../../src/projects/project.repository.js';
import { launchBrowser, openLoginLink, watchedContext, webOrigin } from '../support/browser.js';
import { composeReply } from '../support/compose-reply.js';
import { deliverAndFile } from '../support/journey.js';
import { textPdf } from '../support/pdf-files.js';
import { testDatabaseKind } from '../support/test-db.js';
import { startTestService, type TestService } from '../support/test-service.js';

describe(
  `a manager finds the drawing by what it says, in a real browser, on ${testDatabaseKind}`,
  { timeout: 180_000 },
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
      await createProject(test.service.db, { code: 'twr-a', name: 'Tower A' });
      const drawing = await textPdf([
        ['S-201 Podium framing plan'],
        ['General notes', 'Podium slab concrete: 30 MPa at 28 days', 'Top cover 40 mm'],
      ]);
      for (const [id, subject, attachment] of [
        ['s201', 'Structural drawings, issued for construction', drawing],
        ['minutes', 'Site meeting minutes', Buffer.from('Crane booking for Tuesday.')],
      ] as const) {
        await deliverAndFile(
          test,
          'dana@contractor.example',
          'twr-a@docket.localhost',
          composeReply({
            from: 'Dana Fields <dana@contractor.example>',
            to: 'twr-a@docket.localhost',
            subject,
            messageId: `${id}@contractor.example`,
            body: 'Please find attached.',
            attachment: {
              filename: id === 's201' ? 'S-201.pdf' : 'minutes.txt',
              content: attachment,
              contentType: id === 's201' ? 'application/pdf' : 'text/plain',
            },
          }),
        );
      }
      await test.service.texts?.idle();
      const { url } = await issueLoginLink(
        test.service.db,
        { email: 'olivia@owner.example', baseUrl: origin },
        new Date(),
      );
      await openLoginLink(page, url);
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await test?.stop();
    });

    it('searches the log for words inside a PDF and sees where the drawing says them', async () => {
      await page.goto(`${origin}/p/twr-a/log`);
      await page.getByLabel('Search').fill('podium slab 30 MPa');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/\/p\/twr-a\/log\?.*q=podium/);
      const rows = page.locator('table.log tbody tr');
      await expect.poll(() => rows.count()).toBe(1);
      const row = rows.first();
      expect(await row.textContent()).toContain('Structural drawings, issued for construction');
      expect(await row.locator('.attachment-matches').textContent()).toMatch(
        /^Found in S-201\.pdf: .*Podium slab concrete: 30 MPa at 28 days/,
      );
      // Every searched word is marked (PostgreSQL 15 and 18 cut the headline a little
      // differently: one may take in the title's "Podium" too), and nothing else.
      const marks = await row.locator('.attachment-matches mark').allTextContents();
      expect(new Set(marks)).toEqual(new Set(['Podium', 'slab', '30', 'MPa']));
    });

    it('follows the result to the thread, where the drawing is marked and its text read', async () => {
      await page
        .getByRole('link', { name: 'Structural drawings, issued for construction' })
        .click();
      await page
        .getByRole('heading', { level: 1, name: 'Structural drawings, issued for construction' })
        .waitFor();
      const attachment = page.locator('ul.attachments li.matched');
      expect(await attachment.count()).toBe(1);
      expect(await attachment.getByRole('link').textContent()).toBe('S-201.pdf');
      expect(await attachment.textContent()).toContain('Text read, 2 pages');
      expect(new Set(await attachment.locator('mark').allTextContents())).toEqual(
        new Set(['Podium', 'slab', '30', 'MPa']),
      );
      await page.getByRole('link', { name: 'Back to the results' }).click();
      await page.waitForURL(/\/p\/twr-a\/log\?q=podium/);
      expect(await page.getByLabel('Search').inputValue()).toBe('podium slab 30 MPa');
    });
  },
);
