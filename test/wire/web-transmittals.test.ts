import type Mail from 'nodemailer/lib/mailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { extractText } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { composeReply } from '../support/compose-reply.js';
import { deliverAndFile } from '../support/journey.js';
import { testDatabaseKind } from '../support/test-db.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { getAs, webAppOn, type WebApp } from '../support/web-records.js';
import { signIn, WEB_BASE } from '../support/web-sign-in.js';

const DANA = 'dana@contractor.example';
const LEE = 'lee@steel.example';
const PAT = 'pat@owner.example';
const INBOX = 'twr-a+transmittal@docket.localhost';
const DOCUMENTS = [
  {
    filename: 'S-301 Level 3 slab.dwg',
    contentType: 'image/vnd.dwg',
    content: Buffer.alloc(3000, 7),
  },
  {
    filename: 'Slab penetrations spec.pdf',
    contentType: 'application/pdf',
    content: Buffer.from('%PDF-1.4\n% penetrations\n%%EOF\n'),
  },
  // A browser would run this if it were served as it came: it must arrive as opaque bytes.
  {
    filename: 'pour notes.html',
    contentType: 'text/html',
    content: Buffer.from('<script>alert(1)</script>'),
  },
];
const squash = (text: string) => text.replace(/\s+/g, '');

describe(`transmittal pages on ${testDatabaseKind}`, () => {
  let test: TestService;
  let app: WebApp;
  let member = '';
  let outsider = '';

  beforeAll(async () => {
    // No relay: notifications stay in the outbox, where the acknowledgement addresses are read.
    test = await startTestService();
    app = webAppOn(test.service);
    const project = await createTestProject(test.service, 'twr-a');
    await createTestProject(test.service, 'other');
    await upsertMember(test.service.db, { projectId: project.id, email: 'pm@gc.example' });
    // The first user is the administrator: make that someone else.
    await issueLoginLink(
      test.service.db,
      { email: 'admin@gc.example', baseUrl: WEB_BASE },
      new Date(),
    );
    member = await signIn(test.service.db, app, 'pm@gc.example');
    outsider = await signIn(test.service.db, app, 'outsider@else.example');
  });
  afterAll(() => test.stop());

  /** The acknowledgement address the transmittal mail to `email` carries. */
  const ackAddress = async (email: string) => {
    const issued = await test.service.db
      .selectFrom('outbox')
      .select(['to_addresses', 'reply_to'])
      .where('kind', '=', 'transmittal-issued')
      .execute();
    return issued.find((mail) => mail.to_addresses.includes(email))?.reply_to ?? '';
  };

  it('shows an empty log with the address that issues a transmittal', async () => {
    const response = await getAs(app, member, '/p/twr-a/transmittals');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('No transmittals yet.');
    expect(html).toContain('<code>twr-a+transmittal@docket.localhost</code>');
  });

  it('lists TR-0001 as issued by email, then counts an acknowledgement reply', async () => {
    const raw = await new MailComposer({
      from: { name: 'Dana Fields', address: DANA },
      to: [{ name: 'Lee Park', address: LEE }, INBOX],
      cc: PAT,
      subject: '[FOR CONSTRUCTION] Level 3 slab',
      messageId: '<tr-1@contractor.example>',
      text: 'Sent via: email\n\nPenetrations revised at grid C/4.',
      attachments: DOCUMENTS,
      date: new Date(),
    } satisfies Mail.Options)
      .compile()
      .build();
    await deliverAndFile(test, DANA, INBOX, raw);

    const log = await (await getAs(app, member, '/p/twr-a/transmittals')).text();
    expect(log).toContain('<a href="/p/twr-a/transmittals/TR-0001">TR-0001</a>');
    for (const text of ['Level 3 slab', 'Dana Fields', 'Lee Park', PAT, 'For Construction'])
      expect(log).toContain(text);
    expect(log).toContain('Email attachment');
    expect(log).toContain('<td class="num">3</td>');
    expect(log).toContain('<span class="outstanding">0 of 2</span>');

    const lee = await ackAddress(LEE);
    expect(lee).toMatch(/^twr-a\+r-/);
    await deliverAndFile(
      test,
      LEE,
      lee,
      composeReply({
        from: `Lee Park <${LEE}>`,
        to: lee,
        subject: 'Re: Transmittal TR-0001',
        messageId: 'lee-ack@steel.example',
        body: 'Received, thanks.',
      }),
    );
    const after = await (await getAs(app, member, '/p/twr-a/transmittals')).text();
    expect(after).toContain('<span class="outstanding">1 of 2</span>');
    expect(after).toContain('awaiting pat@owner.example');
  });

  it('shows the detail: items with hashes, acknowledgement times, remarks and the thread', async () => {
    const response = await getAs(app, member, '/p/twr-a/transmittals/TR-0001');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('TR-0001: Level 3 slab');
    expect(html).toContain('Penetrations revised at grid C/4.');
    expect(html).toMatch(/href="\/p\/twr-a\/threads\/\d+">Email thread/);
    expect(html).toContain('href="/p/twr-a/transmittals/TR-0001/cover-sheet.pdf"');
    const { createHash } = await import('node:crypto');
    for (const [i, d] of DOCUMENTS.entries()) {
      expect(html).toContain(`href="/p/twr-a/transmittals/TR-0001/items/${i + 1}"`);
      expect(html).toContain(createHash('sha256').update(d.content).digest('hex'));
    }
    expect(html).toMatch(/Drawings[\s\S]*Specifications/);
    // Lee acknowledged (a time), Pat has not: awaiting, not yet overdue.
    const leeRow = /<tr[^>]*><td>Lee Park [\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(leeRow).toMatch(/<time datetime="[^"]+">\d{4}-\d{2}-\d{2} \d{2}:\d{2}<\/time>/);
    const patRow = /<tr[^>]*><td><span>pat@owner\.example[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(patRow).toContain('awaiting');
    expect(patRow).not.toContain('Overdue');
  });

  it('marks the missing acknowledgement overdue once the date has passed', async () => {
    // Two working days to acknowledge: ten calendar days on is late whatever the weekday.
    const later = webAppOn(test.service, () => new Date(Date.now() + 10 * 86_400_000));
    const detail = await (await getAs(later, member, '/p/twr-a/transmittals/TR-0001')).text();
    const patRow = /<tr class="overdue"><td><span>pat@owner\.example[\s\S]*?<\/tr>/.exec(detail);
    expect(patRow?.[0]).toContain('Overdue');
    const log = await (await getAs(later, member, '/p/twr-a/transmittals')).text();
    expect(log).toContain('<tr class="overdue">');
    expect(log).toContain('badge-overdue');
  });

  it('serves the stored cover sheet as a PDF naming TR-0001', async () => {
    const response = await getAs(app, member, '/p/twr-a/transmittals/TR-0001/cover-sheet.pdf');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toContain(
      'attachment; filename="TR-0001 cover sheet.pdf"',
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { text } = await extractText(bytes, { mergePages: true });
    expect(squash(text)).toContain('TR-0001');
    expect(squash(text)).toContain(squash('Level 3 slab'));
  });

  it('serves each document under its own name, and never as a page a browser would run', async () => {
    const drawing = await getAs(app, member, '/p/twr-a/transmittals/TR-0001/items/1');
    expect(drawing.status).toBe(200);
    expect(drawing.headers.get('content-type')).toBe('image/vnd.dwg');
    expect(drawing.headers.get('content-disposition')).toContain(
      'filename="S-301 Level 3 slab.dwg"',
    );
    expect(Buffer.from(await drawing.arrayBuffer()).equals(DOCUMENTS[0]!.content)).toBe(true);
    const page = await getAs(app, member, '/p/twr-a/transmittals/TR-0001/items/3');
    expect(page.headers.get('content-type')).toBe('application/octet-stream');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await getAs(app, member, '/p/twr-a/transmittals/TR-0001/items/4')).status).toBe(404);
  });

  it('answers 404 for a missing number and to anyone not on the project, for every page and file', async () => {
    for (const path of [
      '/p/twr-a/transmittals/TR-0002',
      '/p/twr-a/transmittals/nonsense',
      '/p/twr-a/transmittals/TR-0002/cover-sheet.pdf',
    ])
      expect((await getAs(app, member, path)).status, path).toBe(404);
    for (const path of [
      '/p/twr-a/transmittals',
      '/p/twr-a/transmittals/TR-0001',
      '/p/twr-a/transmittals/TR-0001/cover-sheet.pdf',
      '/p/twr-a/transmittals/TR-0001/items/1',
    ]) {
      const response = await getAs(app, outsider, path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain('Level 3 slab');
    }
    expect((await getAs(app, outsider, '/p/other/transmittals')).status).toBe(404);
  });
});
