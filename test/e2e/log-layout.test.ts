import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import type { Project } from '../../src/db/database.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import { launchBrowser, openLoginLink, webOrigin } from '../support/browser.js';
import { composeReply } from '../support/compose-reply.js';
import { deliverAndFile } from '../support/journey.js';
import { testDatabaseKind } from '../support/test-db.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';

const ADMIN = 'olivia@owner.example';
const DANA = 'dana@contractor.example';
const SAM = 'sam@architect.example';
const INBOX = 'twr-a@docket.localhost';
/** Addresses as long as real ones get: department mailboxes at long company domains. */
const LONG_ADDRESSES = [
  'procurement.and.contracts.coordinator@northern-precast-concrete-structures-limited.example',
  'document.control.department@international-curtain-wall-engineering-consultants.example',
  'site.superintendent.level3@general-contractor-construction-management-group.example',
  'accounts.payable.invoices@mechanical-electrical-plumbing-subcontractors.example',
];
const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
interface Layout {
  document: { scroll: number; client: number };
  table: { scroll: number; client: number };
  spilling: string[];
}
/**
 * Widths as the browser laid them out: the document's, the table's scroller's, and every cell
 * whose content is wider than the cell (cut off, or spilling over its neighbour).
 */
const LAYOUT = `(() => {
  const doc = document.documentElement;
  const scroller = document.querySelector('.table-scroll');
  const spilling = [...document.querySelectorAll('table.log td')]
    .filter((cell) => cell.scrollWidth > cell.clientWidth + 1)
    .map((cell) => cell.className + ': ' + cell.textContent.slice(0, 40));
  return {
    document: { scroll: doc.scrollWidth, client: doc.clientWidth },
    table: { scroll: scroller.scrollWidth, client: scroller.clientWidth },
    spilling,
  };
})()`;
const WIDTHS = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

/**
 * The page as a manager meets it on a busy project: a reviewer's reply to Docket's long reply
 * address, messages to many long addresses, a subject that is one long word, and a bounce from a
 * list server without a Date, which carries every badge at once.
 */
async function fill(test: TestService, project: Project): Promise<void> {
  const db = test.service.db;
  await upsertMember(db, { projectId: project.id, email: DANA, name: 'Dana Fields' });
  await saveWorkflow(db, {
    projectId: project.id,
    name: 'Default',
    specPrefix: null,
    steps: [[SAM]],
  });
  await deliverAndFile(
    test,
    DANA,
    'twr-a+submittal@docket.localhost',
    composeReply({
      from: `Dana Fields <${DANA}>`,
      to: 'twr-a+submittal@docket.localhost',
      subject: '03 30 00 Concrete mix design for the podium and tower slabs',
      messageId: 'sub-1@contractor.example',
      body: 'Type: Product Data\r\n\r\nPlease review the attached mix design.',
      attachment: { filename: 'mix.pdf', content: pdf, contentType: 'application/pdf' },
    }),
  );
  const action = await db
    .selectFrom('outbox')
    .select(['reply_to', 'subject'])
    .where('kind', '=', 'action-required')
    .executeTakeFirstOrThrow();
  await deliverAndFile(
    test,
    SAM,
    action.reply_to!,
    composeReply({
      from: `Sam Ortiz <${SAM}>`,
      to: action.reply_to!,
      subject: `Re: ${action.subject}`,
      messageId: 'sam-1@architect.example',
      body: 'APPROVED AS NOTED\r\n\r\nUse 30 MPa at the podium slab; see the markups on sheets 2 and 5.',
    }),
  );
  await deliverAndFile(
    test,
    'lee@steel.example',
    INBOX,
    composeReply({
      from: `Lee Grant, Northern Steel Fabricators <lee@steel.example>`,
      to: [INBOX, ...LONG_ADDRESSES].join(', '),
      subject:
        'RE: FW: Revised-level-3-post-tensioned-slab-edge-and-penetration-coordination-drawings-S301-S302-S303-rev-C',
      messageId: 'long-1@steel.example',
      body: 'The revised penetration layout is attached; the sleeves at grid C move 150 mm east.',
      attachment: { filename: 'S-301.pdf', content: pdf, contentType: 'application/pdf' },
    }),
  );
  for (const [i, to] of LONG_ADDRESSES.entries())
    await deliverAndFile(
      test,
      'site@gc.example',
      INBOX,
      composeReply({
        from: `Mia Chen <site@gc.example>`,
        to: `${to}, ${INBOX}`,
        subject: `Crane lift schedule for curtain wall units, week ${46 + i}, with the loading dock closures and the revised traffic plan`,
        messageId: `crane-${i}@gc.example`,
        body: 'Tower crane lifts for curtain wall units are Tuesday and Thursday, 07:00-11:00. Loading dock closed during lifts.',
      }),
    );
  // No Date (a parse warning), a list's headers, the null sender and a delivery report.
  const bounce = [
    'From: Mail Delivery System <MAILER-DAEMON@lists.very-long-mailing-list-host.example>',
    `To: ${INBOX}`,
    'Subject: Undelivered Mail Returned to Sender',
    'Message-ID: <bounce-1@lists.example>',
    'List-Id: <site-coordination.lists.very-long-mailing-list-host.example>',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
    '',
    '--r',
    'Content-Type: text/plain',
    '',
    'This is the mail system. Your message could not be delivered.',
    '--r',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; lists.example',
    '',
    `Final-Recipient: rfc822; ${LONG_ADDRESSES[0]}`,
    'Action: failed',
    'Status: 5.1.1',
    '--r--',
    '',
  ].join('\r\n');
  await deliverAndFile(test, '', INBOX, bounce);
}

describe(`the correspondence log fits the window, on ${testDatabaseKind}`, () => {
  let test: TestService;
  let browser: Browser;
  let page: Page;
  let origin = '';
  const shots = mkdtempSync(path.join(tmpdir(), 'docket-log-layout-'));

  beforeAll(async () => {
    test = await startTestService();
    const project = await createTestProject(test.service, 'twr-a');
    await fill(test, project);
    browser = await launchBrowser();
    origin = webOrigin(test);
    page = await (await browser.newContext()).newPage();
    const { url } = await issueLoginLink(
      test.service.db,
      { email: ADMIN, baseUrl: origin },
      new Date(),
    );
    await openLoginLink(page, url);
  });
  afterAll(async () => {
    await browser?.close();
    await test?.stop();
    // Kept when LOG_LAYOUT_SHOTS is set, to look at them.
    if (!process.env.LOG_LAYOUT_SHOTS) rmSync(shots, { recursive: true, force: true });
    else console.log(`screenshots in ${shots}`);
  });

  it('names a reply address by the record it answers', async () => {
    await page.goto(`${origin}/p/twr-a/log`);
    const row = page.locator('table.log tbody tr', { hasText: 'Re: Action required' });
    await expect(row.locator('td.to').innerText()).resolves.toBe('reply to 03 30 00-001.0 review');
  });

  it.each(WIDTHS)(
    'has no horizontal overflow at $width px ($name)',
    async ({ name, width, height }) => {
      await page.setViewportSize({ width, height });
      await page.goto(`${origin}/p/twr-a/log`);
      await page.screenshot({ path: path.join(shots, `log-${name}.png`) });
      await page.screenshot({ path: path.join(shots, `log-${name}-full.png`), fullPage: true });
      const layout = await page.evaluate<Layout>(LAYOUT);
      expect(layout.document.scroll, `document width at ${width}`).toBeLessThanOrEqual(
        layout.document.client,
      );
      expect(layout.table.scroll, `table width at ${width}`).toBeLessThanOrEqual(
        layout.table.client,
      );
      expect(layout.spilling).toEqual([]);
    },
  );

  it('gives the subject at least a third of the table at 1280 px', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${origin}/p/twr-a/log`);
    const widths = await page.evaluate<{ table: number; subject: number }>(`({
      table: document.querySelector('table.log').getBoundingClientRect().width,
      subject: document.querySelector('table.log th.subject').getBoundingClientRect().width,
    })`);
    expect(widths.subject).toBeGreaterThanOrEqual(widths.table / 3);
  });
});
