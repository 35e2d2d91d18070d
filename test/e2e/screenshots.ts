/**
 * `npm run screenshots`: starts Docket on a temporary data directory, files a small, realistic
 * project through real SMTP (threads, a submittal with a decision, a transmittal, an RFI), signs
 * in with Chromium and saves PNGs of the main pages to docs/screenshots/ — the pictures the
 * README shows. Pages not built in this version are left out.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { packagePath } from '../../src/paths.js';
import { createProject } from '../../src/projects/project.repository.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import { launchBrowser, openLoginLink, webOrigin } from '../support/browser.js';
import { composeReply } from '../support/compose-reply.js';
import { sendMail } from '../support/smtp-client.js';
import { startTestService, type TestService } from '../support/test-service.js';

const OUT = packagePath('docs/screenshots');
const ADMIN = 'olivia.park@owner.example';
const DANA = 'dana@contractor.example';
const SAM = 'sam@architect.example';
const OWEN = 'owen@owner.example';
const inbox = (sub = '') => `twr-a${sub}@docket.localhost`;
const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);

async function deliver(test: TestService, from: string, to: string, raw: Buffer | string) {
  const result = await sendMail(test.service.smtpPort, { from, to: [to] }, raw);
  if (result.final[0]?.code !== 250) throw new Error(`delivery refused: ${JSON.stringify(result)}`);
  await test.service.filing.idle();
}

/** The reply address and Message-ID of the notification asking `reviewer` to act on `record`. */
async function actionFor(test: TestService, reviewer: string, record: string) {
  const rows = await test.service.db
    .selectFrom('outbox')
    .select(['to_addresses', 'reply_to', 'message_id', 'subject'])
    .where('subject', 'like', `Action required%${record}%`)
    .orderBy('id', 'desc')
    .execute();
  const row = rows.find((r) => r.to_addresses.includes(reviewer));
  const replyTo = /[^<\s]+@[^>\s]+/.exec(row?.reply_to ?? '')?.[0];
  if (!row || !replyTo) throw new Error(`no action-required mail for ${reviewer}`);
  return { replyTo, messageId: row.message_id.replace(/^<|>$/g, ''), subject: row.subject };
}

async function seed(test: TestService): Promise<void> {
  const db = test.service.db;
  const project = await createProject(db, {
    code: 'twr-a',
    name: 'Tower A — 200 Harbour Street',
    timezone: 'America/Toronto',
  });
  await upsertMember(db, { projectId: project.id, email: DANA, name: 'Dana Fields' });
  await upsertMember(db, {
    projectId: project.id,
    email: SAM,
    name: 'Sam Ortiz',
    role: 'reviewer',
  });
  await upsertMember(db, {
    projectId: project.id,
    email: OWEN,
    name: 'Owen Price',
    role: 'manager',
  });
  await saveWorkflow(db, {
    projectId: project.id,
    name: 'Default',
    specPrefix: null,
    steps: [[SAM], [OWEN]],
  });

  const fixture = (name: string) => readFile(packagePath(`fixtures/mail/${name}`));
  await deliver(test, 'dana.fields@contractor.example', inbox(), await fixture('rfi-question.eml'));
  await deliver(test, 'sam.ortiz@architect.example', inbox(), await fixture('rfi-answer.eml'));
  await deliver(test, 'priya@steelfab.example', inbox(), await fixture('with-attachment.eml'));
  await deliver(test, 'away@architect.example', inbox(), await fixture('out-of-office.eml'));
  await deliver(
    test,
    'site@gc.example',
    inbox(),
    composeReply({
      from: 'Mia Chen <site@gc.example>',
      to: `${inbox()}, Dana Fields <${DANA}>`,
      subject: 'Crane lift schedule, week 46',
      messageId: 'crane-46@gc.example',
      body: 'Tower crane lifts for curtain wall units are Tuesday and Thursday, 07:00-11:00.\r\nLoading dock closed during lifts.',
    }),
  );

  const submittal = (id: string, subject: string, file: string) =>
    deliver(
      test,
      DANA,
      inbox('+submittal'),
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: inbox('+submittal'),
        subject,
        messageId: `${id}@contractor.example`,
        body: 'Type: Product Data\r\n\r\nPlease review the attached.',
        attachment: { filename: file, content: pdf(file), contentType: 'application/pdf' },
      }),
    );
  await submittal('sub-1', '03 30 00 Concrete mix design', 'mix-design.pdf');
  await submittal('sub-2', '05 12 00 Structural steel shop drawings', 'steel-shop-drawings.pdf');
  await submittal('sub-3', '08 44 13 Curtain wall system', 'curtain-wall.pdf');

  const action = await actionFor(test, SAM, '03 30 00-001');
  await deliver(
    test,
    SAM,
    action.replyTo,
    composeReply({
      from: `Sam Ortiz <${SAM}>`,
      to: action.replyTo,
      subject: `Re: ${action.subject}`,
      inReplyTo: action.messageId,
      messageId: 'sam-decision@architect.example',
      body: 'APPROVED AS NOTED\r\n\r\nUse 30 MPa at the podium slab; see markups.',
      attachment: {
        filename: 'mix-design-markup.pdf',
        content: pdf('markup'),
        contentType: 'application/pdf',
      },
    }),
  );

  await deliver(
    test,
    'lee@steel.example',
    inbox('+transmittal'),
    composeReply({
      from: 'Lee Grant <lee@steel.example>',
      to: `${inbox('+transmittal')}, Pat Owner <pat@owner.example>`,
      subject: 'Level 3 slab penetrations',
      messageId: 'tr-1@steel.example',
      body: 'Purpose: For Review and Comment\r\n\r\nPenetration layout for level 3 attached.',
      attachment: {
        filename: 'S-301 penetrations.pdf',
        content: pdf('S-301'),
        contentType: 'application/pdf',
      },
    }),
  );
  await deliver(
    test,
    'site@gc.example',
    inbox('+rfi'),
    composeReply({
      from: 'Mia Chen <site@gc.example>',
      to: `${inbox('+rfi')}, Sam Ortiz <${SAM}>`,
      subject: 'Fire stopping at risers',
      messageId: 'rfi-risers@gc.example',
      body: 'Which fire stopping product is approved for the electrical risers on levels 2-6?',
    }),
  );
}

/** Saves the page at `url` as `name`.png, or says it is not built. */
async function shoot(page: Page, origin: string, url: string, name: string): Promise<boolean> {
  const response = await page.goto(`${origin}${url}`);
  if (response?.status() !== 200) {
    console.log(`skipped ${name}: ${url} answered ${response?.status()}`);
    return false;
  }
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`saved docs/screenshots/${name}.png (${url})`);
  return true;
}

async function firstLink(page: Page, pattern: RegExp): Promise<string | null> {
  const hrefs = await page.evaluate<string[]>(
    "[...document.querySelectorAll('main a[href]')].map((a) => a.getAttribute('href'))",
  );
  return hrefs.find((href) => pattern.test(href)) ?? null;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const test = await startTestService();
  const browser = await launchBrowser();
  try {
    await seed(test);
    const origin = webOrigin(test);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const { url } = await issueLoginLink(
      test.service.db,
      { email: ADMIN, baseUrl: origin },
      new Date(),
    );
    await openLoginLink(page, url);

    await shoot(page, origin, '/', 'projects');
    await shoot(page, origin, '/p/twr-a', 'dashboard');
    await shoot(page, origin, '/p/twr-a/log', 'log');
    await page.goto(`${origin}/p/twr-a/log?q=stair`);
    const thread = await firstLink(page, /\/threads\/\d+$/);
    if (thread) await shoot(page, origin, thread, 'thread');
    for (const [list, detail, pattern] of [
      ['submittals', 'submittal', /^\/p\/twr-a\/submittals\/03-30-00/],
      ['transmittals', 'transmittal', /^\/p\/twr-a\/transmittals\/[^/?#.]+$/],
      ['items', 'item', /^\/p\/twr-a\/items\/[^/?#.]+$/],
    ] as const) {
      if (!(await shoot(page, origin, `/p/twr-a/${list}`, list))) continue;
      const href = await firstLink(page, pattern);
      if (href) await shoot(page, origin, href, detail);
    }
    await shoot(page, origin, '/p/twr-a/outbox', 'outbox');
    await shoot(page, origin, '/p/twr-a/settings', 'settings');

    await page.setViewportSize({ width: 390, height: 844 });
    await shoot(page, origin, '/p/twr-a/log', 'phone-log');
    await shoot(page, origin, '/p/twr-a/submittals', 'phone-submittals');
    await context.close();
  } finally {
    await browser.close();
    await test.stop();
  }
}

await main();
