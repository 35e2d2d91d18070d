import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { DateTime } from 'luxon';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { createProject } from '../../src/projects/project.repository.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import { createWebApp } from '../../src/web/app.js';
import { composeReply } from '../support/compose-reply.js';
import { deliverAndFile, replyAddressOf, sentTo, strictDmarcDns } from '../support/journey.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { testDatabaseKind } from '../support/test-db.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { signIn as signInAs, WEB_BASE } from '../support/web-sign-in.js';

const DANA = 'dana@contractor.example';
const SAM = 'sam@architect.example';
const OWEN = 'owen@owner.example';
const INBOX = 'twr-a+submittal@docket.localhost';
const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);
const DAY = 86_400_000;

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      endField();
    } else if (!quoted && ch === '\r' && text[i + 1] === '\n') {
      endField();
      records.push(record);
      record = [];
      i++;
    } else {
      field += ch;
    }
  }
  return records;
}

/** The register's row for one number, as HTML. */
function rowOf(html: string, number: string): string {
  const start = html.indexOf(`>${number}</a>`);
  expect(start, `row ${number}`).toBeGreaterThan(-1);
  return html.slice(html.lastIndexOf('<tr', start), html.indexOf('</tr>', start));
}

describe(`the submittal register and detail pages, on ${testDatabaseKind}`, () => {
  let sink: SmtpSink;
  let test: TestService;
  let app: ReturnType<typeof createWebApp>;
  /**
   * The same pages 25 days on: past the open review's due date (10 working days), still within
   * the sessions' 30 days.
   */
  let later: ReturnType<typeof createWebApp>;
  let member = '';
  let outsider = '';
  let otherMember = '';

  const get = (path: string, cookie: string, via = app) =>
    via.request(`${WEB_BASE}${path}`, { headers: { cookie } });
  const deliver = (from: string, to: string, raw: string) => deliverAndFile(test, from, to, raw);
  const submit = (messageId: string, subject: string, body: string, filename: string) =>
    deliver(
      DANA,
      INBOX,
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: `${INBOX}, pm@gc.example`,
        subject,
        messageId,
        body,
        headers: { Cc: 'Pat Manager <pm@gc.example>' },
        attachment: { filename, content: pdf(filename), contentType: 'application/pdf' },
      }),
    );
  const answer = async (
    reviewer: string,
    subject: RegExp,
    messageId: string,
    body: string,
    markup?: string,
  ) => {
    const action = await sink.waitFor(sentTo(reviewer, subject), `action for ${reviewer}`);
    await deliver(
      reviewer,
      replyAddressOf(action),
      composeReply({
        from: reviewer,
        to: replyAddressOf(action),
        subject: `Re: ${action.parsed.subject}`,
        messageId,
        body,
        ...(markup
          ? {
              attachment: {
                filename: markup,
                content: pdf(markup),
                contentType: 'application/pdf',
              },
            }
          : {}),
      }),
    );
  };

  beforeAll(async () => {
    sink = await SmtpSink.start();
    test = await startTestService({ SMTP_RELAY_URL: sink.url }, { dnsResolver: strictDmarcDns });
    const { db, blobs } = test.service;
    const project = await createProject(db, {
      code: 'twr-a',
      name: 'Harbour Tower A',
      timezone: 'America/New_York',
    });
    const other = await createProject(db, { code: 'other', name: 'Other Project' });
    await saveWorkflow(db, {
      projectId: project.id,
      name: 'Default',
      specPrefix: null,
      steps: [[SAM], [OWEN]],
    });
    await upsertMember(db, { projectId: project.id, email: 'pm@gc.example' });
    await upsertMember(db, { projectId: other.id, email: 'outsider@other.example' });
    // A project that requires DMARC, where Sam's unsigned reply is kept as a comment with the
    // authentication results that refused it.
    const strict = await createProject(db, { code: 'twr-b', name: 'Harbour Tower B' });
    await db
      .updateTable('projects')
      .set({ require_dmarc: true })
      .where('id', '=', strict.id)
      .execute();
    await saveWorkflow(db, {
      projectId: strict.id,
      name: 'Default',
      specPrefix: null,
      steps: [[SAM]],
    });
    await upsertMember(db, { projectId: strict.id, email: 'pm@gc.example' });
    // The first person to sign in becomes the administrator: someone outside both projects.
    await issueLoginLink(db, { email: 'admin@owner.example', baseUrl: WEB_BASE }, new Date());

    // 03 30 00-001: approved as noted by Sam (with a mark-up), then approved by Owen: closed.
    await submit(
      's1@contractor.example',
      '03 30 00 Concrete mix design',
      'Type: Product Data',
      'mix-design.pdf',
    );
    await answer(
      SAM,
      /03 30 00-001\.0/,
      's1-sam@architect.example',
      'Approved as noted\r\n\r\nUse 30 MPa at the podium.',
      'mix-markup.pdf',
    );
    await answer(OWEN, /03 30 00-001\.0/, 's1-owen@owner.example', 'APPROVED');
    // 05 12 00-001: revise and resubmit from Sam: back with Dana.
    await submit(
      's2@contractor.example',
      '05 12 00 Structural steel shop drawings',
      'Type: Shop Drawing',
      'steel.pdf',
    );
    await answer(
      SAM,
      /05 12 00-001\.0/,
      's2-sam@architect.example',
      'R&R\r\nConnections at gridline C.',
    );
    // 03 30 00-002: waiting for Sam.
    await submit(
      's3@contractor.example',
      '03 30 00 Curing compound',
      'Type: Product Data\r\nRequired on site: 2027-02-15',
      'curing.pdf',
    );
    await sink.waitFor(sentTo(SAM, /03 30 00-002\.0/), 'asking Sam about curing');
    await deliver(
      DANA,
      'twr-b+submittal@docket.localhost',
      composeReply({
        from: DANA,
        to: 'twr-b+submittal@docket.localhost',
        subject: '07 10 00 Waterproofing',
        messageId: 'b1@contractor.example',
        body: 'Type: Product Data',
        attachment: {
          filename: 'membrane.pdf',
          content: pdf('membrane'),
          contentType: 'application/pdf',
        },
      }),
    );
    await answer(SAM, /07 10 00-001\.0/, 'b1-sam@architect.example', 'APPROVED');

    app = createWebApp({ db, blobs, version: 'test' });
    later = createWebApp({
      db,
      blobs,
      version: 'test',
      now: () => new Date(Date.now() + 25 * DAY),
    });
    member = await signInAs(db, app, 'pm@gc.example');
    outsider = await signInAs(db, app, 'outsider@other.example');
    otherMember = outsider;
  }, 240_000);
  afterAll(async () => {
    await test.stop();
    await sink.close();
  });

  it('lists every column, with the ball in court and links to details and threads', async () => {
    const response = await get('/p/twr-a/submittals', member);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1>Submittal register</h1>');
    for (const header of [
      'Number',
      'Title',
      'Spec section',
      'Type',
      'Status',
      'Submitter',
      'Responsible contractor',
      'Submittal manager',
      'Ball in court',
      'Reviewers',
      'Due',
      'Received',
      'Issued',
      'Required on site',
      'Lead time',
      'Distribution',
      'Documents',
      'Thread',
    ]) {
      expect(html).toContain(`<th scope="col">${header}</th>`);
    }
    // By spec section, then number.
    const order = ['03 30 00-001.0', '03 30 00-002.0', '05 12 00-001.0'].map((n) =>
      html.indexOf(`>${n}</a>`),
    );
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);

    const curing = rowOf(html, '03 30 00-002.0');
    expect(curing).toContain('href="/p/twr-a/submittals/03-30-00-002"');
    expect(curing).toContain('Curing compound');
    expect(curing).toContain('Product Data');
    expect(curing).toMatch(
      /<td class="bic"><span class="bic-label">Ball in court: <\/span><strong>sam@architect\.example<\/strong><\/td>/,
    );
    expect(curing).toContain('sam@architect.example, then owen@owner.example');
    expect(curing).toContain('2027-02-15');
    expect(curing).toContain('pm@gc.example');
    expect(curing).toContain('title="dana@contractor.example">Dana Fields</span>');
    expect(curing).toMatch(/href="\/p\/twr-a\/threads\/\d+">Thread<\/a>/);
    expect(curing).toContain('<td class="num">1</td>');
    expect(curing).not.toContain('Overdue');

    const mix = rowOf(html, '03 30 00-001.0');
    expect(mix).toContain('Closed');
    expect(mix).toContain('decision-approved">APPROVED</span>');
    const steel = rowOf(html, '05 12 00-001.0');
    expect(steel).toContain('REVISE AND RESUBMIT');
    expect(steel).toContain(`<strong>${DANA}</strong>`);
    // Nothing records these yet: an em dash, not an empty cell.
    expect(steel).toMatch(/<td><span class="muted">—<\/span><\/td>/);
    // Exports carry no filters when none are set.
    expect(html).toContain('href="/p/twr-a/submittals.csv"');
    expect(html).toContain('href="/p/twr-a/submittals.pdf"');
  });

  it('marks overdue rows in words once the due date has passed', async () => {
    const html = await (await get('/p/twr-a/submittals', member, later)).text();
    const curing = rowOf(html, '03 30 00-002.0');
    expect(curing).toMatch(/^<tr class="overdue">/);
    expect(curing).toContain('<span class="badge overdue-badge">Overdue</span>');
    // Closed, and returned with no due date: never overdue.
    expect(rowOf(html, '03 30 00-001.0')).not.toContain('Overdue');
    expect(rowOf(html, '05 12 00-001.0')).not.toContain('Overdue');
    expect(html).toContain('3 submittals, 1 overdue');
    const detail = await (await get('/p/twr-a/submittals/03-30-00-002', member, later)).text();
    expect(detail).toContain('<span class="badge overdue-badge">Overdue</span> The review was due');
    const onTime = await (await get('/p/twr-a/submittals/03-30-00-002', member)).text();
    expect(onTime).not.toContain('Overdue');
  });

  it('narrows by every filter and carries them into the export links', async () => {
    const numbers = async (query: string, via = app) => {
      const html = await (await get(`/p/twr-a/submittals?${query}`, member, via)).text();
      return [...html.matchAll(/<th scope="row" class="nowrap"><a [^>]+>([^<]+)<\/a>/g)].map(
        (m) => m[1],
      );
    };
    expect(await numbers('status=closed')).toEqual(['03 30 00-001.0']);
    expect(await numbers('status=open')).toEqual(['03 30 00-002.0', '05 12 00-001.0']);
    expect(await numbers('decision=REVISE+AND+RESUBMIT')).toEqual(['05 12 00-001.0']);
    expect(await numbers('decision=none')).toEqual(['03 30 00-002.0']);
    expect(await numbers('spec=05')).toEqual(['05 12 00-001.0']);
    expect(await numbers('spec=03+30+00')).toEqual(['03 30 00-001.0', '03 30 00-002.0']);
    expect(await numbers('bic=%40architect')).toEqual(['03 30 00-002.0']);
    expect(await numbers('q=curing')).toEqual(['03 30 00-002.0']);
    expect(await numbers('q=05+12+00-001')).toEqual(['05 12 00-001.0']);
    expect(await numbers('q=100%25')).toEqual([]);
    expect(await numbers('overdue=1')).toEqual([]);
    expect(await numbers('overdue=1', later)).toEqual(['03 30 00-002.0']);

    const html = await (await get('/p/twr-a/submittals?status=open&spec=03', member)).text();
    expect(html).toContain('href="/p/twr-a/submittals.csv?status=open&amp;spec=03"');
    expect(html).toContain('href="/p/twr-a/submittals.pdf?status=open&amp;spec=03"');
    expect(html).toMatch(/<option value="open" selected="">/);
    const none = await (await get('/p/twr-a/submittals?q=nothing-like-this', member)).text();
    expect(none).toContain('No submittals match these filters.');
  });

  it('answers 400 with the form and the reason for a bad filter', async () => {
    for (const [query, reason] of [
      ['status=maybe', 'status must be'],
      ['decision=PERHAPS', 'decision must be one of'],
      ['spec=abc', 'spec section &quot;abc&quot; must be digits'],
      ['overdue=yes', 'overdue must be'],
    ]) {
      const response = await get(`/p/twr-a/submittals?${query}`, member);
      expect(response.status, query).toBe(400);
      const html = await response.text();
      expect(html).toContain('These filters could not be used');
      expect(html).toContain(reason);
      expect(html).toContain('<label for="sub-status">Status</label>');
      const csv = await get(`/p/twr-a/submittals.csv?${query}`, member);
      expect(csv.status).toBe(400);
      expect(await csv.text()).toContain('These filters could not be used');
      expect((await get(`/p/twr-a/submittals.pdf?${query}`, member)).status).toBe(400);
    }
  });

  it('exports CSV with a BOM, a header row and dates in the project zone', async () => {
    const response = await get('/p/twr-a/submittals.csv', member);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const today = DateTime.now().setZone('America/New_York').toISODate();
    expect(response.headers.get('content-disposition')).toContain(
      `attachment; filename="twr-a-submittal-register-${today}.csv"`,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes.subarray(3)));
    expect(header).toEqual([
      'Number',
      'Title',
      'Spec section',
      'Type',
      'Status',
      'Overdue',
      'Submitter',
      'Responsible contractor',
      'Submittal manager',
      'Ball in court',
      'Reviewers',
      'Due',
      'Received',
      'Issued',
      'Required on site',
      'Lead time (days)',
      'Distribution',
      'Documents',
      'Thread',
    ]);
    expect(rows).toHaveLength(3);
    const field = (row: string[], name: string) => row[header!.indexOf(name)];
    const mix = rows.find((r) => r[0] === '03 30 00-001.0')!;
    expect(field(mix, 'Status')).toBe('Closed — APPROVED');
    expect(field(mix, 'Submitter')).toBe(`Dana Fields <${DANA}>`);
    expect(field(mix, 'Reviewers')).toBe(`${SAM}, then ${OWEN}`);
    expect(field(mix, 'Received')).toBe(today);
    expect(field(mix, 'Issued')).toBe(today);
    expect(field(mix, 'Ball in court')).toBe('');
    expect(field(mix, 'Thread')).toMatch(/^http:\/\/localhost\/p\/twr-a\/threads\/\d+$/);
    const curing = rows.find((r) => r[0] === '03 30 00-002.0')!;
    expect(field(curing, 'Ball in court')).toBe(SAM);
    expect(field(curing, 'Required on site')).toBe('2027-02-15');
    expect(field(curing, 'Due')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(field(curing, 'Documents')).toBe('1');

    const late = parseCsv(
      (await (await get('/p/twr-a/submittals.csv?overdue=1', member, later)).text()).slice(1),
    );
    expect(late).toHaveLength(2);
    expect(late[1]![0]).toBe('03 30 00-002.0');
    expect(late[1]![5]).toBe('Overdue');
  });

  it('exports a landscape PDF with the register, overdue marked and page numbers', async () => {
    const response = await get('/p/twr-a/submittals.pdf?status=open', member, later);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="twr-a-submittal-register-\d{4}-\d{2}-\d{2}\.pdf"/,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    const doc = await getDocumentProxy(bytes.slice());
    const page = await doc.getPage(1);
    const [, , width, height] = page.view;
    expect(width).toBeGreaterThan(height!);
    const { text } = await extractText(bytes.slice(), { mergePages: false });
    const squashed = text[0]!.replace(/\s+/g, '');
    for (const expected of [
      'SUBMITTALREGISTER',
      'HarbourTowerA',
      'twr-a',
      '0330 00-002.0'.replace(/\s/g, ''),
      'OVERDUE',
      'Page1of1',
      'Filtered:statusopen',
      'BALLINCOURT',
    ]) {
      expect(squashed).toContain(expected);
    }
    // Closed, so the status filter left it out.
    expect(squashed).not.toContain('033000-001.0');
  });

  it('shows a submittal with revisions, reviews, mark-ups and the audit trail', async () => {
    const response = await get('/p/twr-a/submittals/03-30-00-001', member);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<span class="number">03 30 00-001.0</span> Concrete mix design');
    expect(html).toContain('Revision 03 30 00-001.0');
    expect(html).toContain('mix-design.pdf</a>');
    expect(html).toContain('mix-markup.pdf</a>');
    expect(html).toContain('APPROVED AS NOTED');
    expect(html).toContain('Use 30 MPa at the podium.');
    expect(html).toMatch(
      /<td>owen@owner\.example<\/td><td>Answered<\/td><td><span class="badge decision decision-approved">APPROVED<\/span>/,
    );
    expect(html).toMatch(
      /href="\/p\/twr-a\/threads\/\d+">The submittal&#39;s thread<\/a>|href="\/p\/twr-a\/threads\/\d+">The submittal's thread<\/a>/,
    );
    const trail = html.slice(html.indexOf('<ol class="audit-trail">'));
    const actions = [...trail.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
    expect(actions).toEqual([
      'Submitted',
      'Decision recorded',
      'Ball moved to the next step',
      'Decision recorded',
      'Closed',
    ]);
    expect(trail).toMatch(
      /<code class="hash">[0-9a-f]{64}<\/code> <a href="\/p\/twr-a\/messages\/\d+\/raw">/,
    );
    expect(trail).toContain(`by ${SAM}`);

    // The number as people paste it finds the same page.
    const pasted = await get('/p/twr-a/submittals/03%2030%2000-001.0', member);
    expect(pasted.status).toBe(200);
    const returned = await (await get('/p/twr-a/submittals/05-12-00-001', member)).text();
    expect(returned).toContain('REVISE AND RESUBMIT');
    expect(returned).toContain('Connections at gridline C.');
    expect(returned).toContain('Returned to the submitter');
    for (const path of ['/p/twr-a/submittals/03-30-00-099', '/p/twr-a/submittals/not-a-number']) {
      expect((await get(path, member)).status, path).toBe(404);
    }
  });

  it('downloads a document with its type and name, only under its own submittal', async () => {
    const html = await (await get('/p/twr-a/submittals/03-30-00-001', member)).text();
    const href =
      /href="(\/p\/twr-a\/submittals\/03-30-00-001\/documents\/\d+)">mix-design\.pdf/.exec(
        html,
      )?.[1];
    expect(href).toBeDefined();
    const response = await get(href!, member);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="mix-design.pdf"; filename*=UTF-8''mix-design.pdf`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe(
      pdf('mix-design.pdf').toString(),
    );
    // The same document asked for under another submittal's number is not there.
    expect((await get(href!.replace('03-30-00-001', '05-12-00-001'), member)).status).toBe(404);
  });

  it('shows the authentication results of a reply that was not counted', async () => {
    const html = await (await get('/p/twr-b/submittals/07-10-00-001', member)).text();
    const trail = html.slice(html.indexOf('<ol class="audit-trail">'));
    expect(trail).toContain(
      'Reply filed as a comment, not a decision</strong> by sam@architect.example',
    );
    expect(trail).toContain('the project requires DMARC or aligned DKIM');
    expect(trail).toMatch(/<dt>Authentication<\/dt><dd>[^<]*dmarc=fail/);
    expect(trail).toContain('<summary>Authentication results as recorded</summary>');
    expect(trail).toMatch(/<code class="hash">[0-9a-f]{64}<\/code>/);
    // The ball stays with Sam: nothing was decided.
    expect(html).toContain('<strong class="bic">sam@architect.example</strong>');
  });

  it('answers 404 to everything of a project the person is not on', async () => {
    const html = await (await get('/p/twr-a/submittals/03-30-00-001', member)).text();
    const document = /href="(\/p\/twr-a\/submittals\/[^"]+\/documents\/\d+)"/.exec(html)?.[1] ?? '';
    for (const path of [
      '/p/twr-a/submittals',
      '/p/twr-a/submittals.csv',
      '/p/twr-a/submittals.pdf',
      '/p/twr-a/submittals/03-30-00-001',
      document,
    ]) {
      const response = await get(path, outsider);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('Concrete');
    }
    expect((await app.request(`${WEB_BASE}/p/twr-a/submittals`)).status).toBe(303);
  });

  it('tells a project with no submittals how to send one', async () => {
    const html = await (await get('/p/other/submittals', otherMember)).text();
    expect(html).toContain('No submittals yet.');
    expect(html).toContain('<code>other+submittal@localhost</code>');
  });
});
