import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import { createWebApp } from '../../src/web/app.js';
import { composeReply } from '../support/compose-reply.js';
import { deliverAndFile, replyAddressOf, sentTo } from '../support/journey.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { testDatabaseKind } from '../support/test-db.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { WEB_BASE, signIn } from '../support/web-sign-in.js';

const DANA = 'dana@contractor.example';
const SAM = 'sam@architect.example';
const OWEN = 'owen@owner.example';
const LEE = 'lee@engineer.example';
const KIM = 'kim@steel.example';
const PM = 'pm@gc.example';
const OUTSIDER = 'outsider@elsewhere.example';
/** Sam's name as a hostile member list might hold it: it must come out as text everywhere. */
const HOSTILE = 'Sam "><img src=x onerror=alert(1)> <script>alert(2)</script>';
const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);
const DAY = 86_400_000;

describe(`the project dashboard on ${testDatabaseKind}`, () => {
  let sink: SmtpSink;
  let test: TestService;
  let projectId: number;
  /** The dashboard today, and three weeks on, when every review, RFI and acknowledgement is late. */
  let today: ReturnType<typeof createWebApp>;
  let later: ReturnType<typeof createWebApp>;
  let pm = '';
  let outsider = '';

  beforeAll(async () => {
    sink = await SmtpSink.start();
    test = await startTestService({ SMTP_RELAY_URL: sink.url });
    const { db, blobs } = test.service;
    projectId = (await createTestProject(test.service, 'twr-a')).id;
    const other = await createTestProject(test.service, 'b');
    await saveWorkflow(db, {
      projectId,
      name: 'Default',
      specPrefix: null,
      steps: [[SAM], [OWEN]],
    });
    await upsertMember(db, { projectId, email: SAM, name: HOSTILE, role: 'reviewer' });
    await upsertMember(db, { projectId, email: PM, name: 'Pat Manager', role: 'manager' });
    await upsertMember(db, { projectId: other.id, email: OUTSIDER });
    // The first person to sign in becomes the administrator; make that someone else.
    await issueLoginLink(db, { email: 'admin@owner.example', baseUrl: WEB_BASE }, new Date());
    today = createWebApp({ db, blobs, version: 'test' });
    later = createWebApp({
      db,
      blobs,
      version: 'test',
      now: () => new Date(Date.now() + 21 * DAY),
    });
    pm = await signIn(db, today, PM);
    outsider = await signIn(db, today, OUTSIDER);
  });
  afterAll(async () => {
    await test.stop();
    await sink.close();
  });

  const get = (app: ReturnType<typeof createWebApp>, url: string, cookie: string) =>
    app.request(`${WEB_BASE}${url}`, { headers: { cookie } });
  const page = async (app: ReturnType<typeof createWebApp>) => {
    const response = await get(app, '/p/twr-a', pm);
    expect(response.status).toBe(200);
    return response.text();
  };
  /** The number on a count tile, by its label. */
  const tile = (html: string, label: string) =>
    Number(new RegExp(`<dt>${label}</dt><dd>(\\d+)</dd>`).exec(html)?.[1] ?? Number.NaN);
  /** The text of a chart's section, from its heading to the next section. */
  const section = (html: string, id: string) =>
    html
      .slice(html.indexOf(`<section class="chart-card" aria-labelledby="${id}-heading">`))
      .split('</section>')[0] ?? '';
  const deliver = (from: string, to: string, raw: Buffer | string) =>
    deliverAndFile(test, from, to, raw);
  const submit = (id: string, subject: string) =>
    deliver(
      DANA,
      'twr-a+submittal@docket.localhost',
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: 'twr-a+submittal@docket.localhost',
        subject,
        messageId: `${id}@contractor.example`,
        body: 'Type: Product Data',
        attachment: { filename: `${id}.pdf`, content: pdf(id), contentType: 'application/pdf' },
      }),
    );
  const answer = async (reviewer: string, number: RegExp, id: string, body: string) => {
    const action = await sink.waitFor(sentTo(reviewer, number), `asking ${reviewer} to review`);
    await deliver(
      reviewer,
      replyAddressOf(action),
      composeReply({
        from: reviewer,
        to: replyAddressOf(action),
        subject: `Re: ${action.parsed.subject}`,
        inReplyTo: action.parsed.messageId?.slice(1, -1),
        messageId: `${id}@reply.example`,
        body,
      }),
    );
  };
  const countOf = async (table: 'messages' | 'threads') => {
    let query = test.service.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('project_id', '=', projectId);
    if (table === 'threads') query = query.where('merged_into', 'is', null);
    return Number((await query.executeTakeFirstOrThrow()).n);
  };

  it('says there is nothing yet instead of drawing empty charts', async () => {
    const html = await page(today);
    expect(html).toContain('Nothing has been filed yet.');
    expect(html).toContain('No submittals yet.');
    expect(html).toContain('Nothing is overdue.');
    expect(html).toContain('No review decisions in the last 12 months.');
    expect(html).toContain('No activity yet.');
    expect(html).not.toContain('<svg');
    expect(tile(html, 'Open submittals')).toBe(0);
    const image = await get(today, '/p/twr-a/dashboard/overdue.svg', pm);
    expect(image.status).toBe(200);
    expect(await image.text()).toContain('>Nothing is overdue</text>');
  });

  it('counts and charts the records real mail made, and shows a decision in the turnaround', async () => {
    await submit('sub-1', '03 30 00 Concrete mix design');
    await answer(SAM, /^Action required: review submittal 03 30 00-001\.0/, 'sam-1', 'APPROVED');
    await answer(OWEN, /^Action required: review submittal 03 30 00-001\.0/, 'owen-1', 'APPROVED');
    await sink.waitFor(sentTo(DANA, /^APPROVED: submittal 03 30 00-001\.0/), 'the decision');
    await submit('sub-2', '03 30 00 Formwork shop drawings');
    await sink.waitFor(sentTo(SAM, /^Action required: review submittal 03 30 00-002\.0/), 'Sam');
    await deliver(
      DANA,
      'twr-a+rfi@docket.localhost',
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: `Lee Park <${LEE}>, twr-a+rfi@docket.localhost`,
        subject: 'Slab edge detail',
        messageId: 'rfi-1@contractor.example',
        body: 'Which slab edge detail governs at grid C/4?',
      }),
    );
    await deliver(
      DANA,
      'twr-a+transmittal@docket.localhost',
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: `Kim Lau <${KIM}>, twr-a+transmittal@docket.localhost`,
        subject: '[FOR CONSTRUCTION] Level 3 slab',
        messageId: 'tr-1@contractor.example',
        body: 'Penetrations revised.',
        attachment: {
          filename: 'S-301.pdf',
          content: pdf('S-301'),
          contentType: 'application/pdf',
        },
      }),
    );

    const html = await page(today);
    expect(html).not.toContain('Nothing has been filed yet.');
    expect(tile(html, 'Threads')).toBe(await countOf('threads'));
    expect(tile(html, 'Messages this week')).toBe(await countOf('messages'));
    expect(tile(html, 'Open submittals')).toBe(1);
    expect(tile(html, 'Overdue submittals')).toBe(0);
    expect(tile(html, 'Open RFIs &amp; items')).toBe(1);
    expect(tile(html, 'Transmittals awaiting acknowledgement')).toBe(1);

    const states = section(html, 'states');
    expect(states).toContain('<svg');
    expect(states).toMatch(/<th scope="row">In review<\/th><td class="num">1<\/td>/);
    expect(states).toMatch(/<th scope="row">Closed: APPROVED<\/th><td class="num">1<\/td>/);
    expect(section(html, 'overdue')).toContain('Nothing is overdue.');

    // Both reviewers answered within the day: one decision, turned around in 0 working days.
    const turnaround = section(html, 'turnaround');
    expect(turnaround).toContain(
      '<title id="turnaround-title">Review turnaround over time</title>',
    );
    expect(turnaround).toMatch(/Median project working days/);
    const month = new Intl.DateTimeFormat('en-GB', {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date());
    expect(turnaround).toContain(
      `<th scope="row">${month}</th><td class="num">0</td><td class="num">1</td>`,
    );
    expect(turnaround).toContain('<circle');

    const thread = await test.service.db
      .selectFrom('submittals')
      .select('thread_id')
      .where('project_id', '=', projectId)
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    const activity = html.slice(html.indexOf('id="activity-heading"'));
    expect(activity).toContain(`href="/p/twr-a/threads/${thread.thread_id}"`);
    expect(activity).toMatch(/03 30 00-001\.0 closed — APPROVED/);
    expect(activity).toContain('Slab edge detail');
    expect(activity.match(/<li class="activity-/g)).toHaveLength(15);
  });

  it('names who holds the ball on overdue work, escaping their names', async () => {
    const html = await page(later);
    expect(tile(html, 'Overdue submittals')).toBe(1);
    expect(html).toContain('class="count-alert"');
    const overdue = section(html, 'overdue');
    expect(overdue).toContain('<svg');
    // Sam holds one late review step; Lee a late RFI; Kim a late acknowledgement.
    expect(overdue).toContain(
      '<th scope="row">lee@engineer.example</th><td class="num">0</td><td class="num">1</td><td class="num">0</td>',
    );
    expect(overdue).toContain(
      '<th scope="row">Kim Lau &lt;kim@steel.example&gt;</th><td class="num">0</td><td class="num">0</td><td class="num">1</td>',
    );
    expect(overdue).toMatch(
      /<th scope="row">Sam &quot;&gt;&lt;img src=x onerror=alert\(1\)&gt; &lt;script&gt;alert\(2\)&lt;\/script&gt; &lt;sam@architect\.example&gt;<\/th><td class="num">1<\/td>/,
    );
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(overdue).toContain('href="/p/twr-a/dashboard/overdue.svg"');

    const image = await get(later, '/p/twr-a/dashboard/overdue.svg', pm);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(image.headers.get('cache-control')).toBe('private, no-store');
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    const svg = await image.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain(
      '<title>Sam &quot;&gt;&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(2)&lt;/script&gt;: 1</title>',
    );
    expect(svg).toContain('<title>lee@engineer.example: 1</title>');
    expect(svg).toContain('<title>Kim Lau: 1</title>');
    expect(svg).not.toMatch(/<(img|script)/);
  });

  it('serves the turnaround chart as an image to members only', async () => {
    const image = await get(today, '/p/twr-a/dashboard/turnaround.svg', pm);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(await image.text()).toContain('Review turnaround over time');

    for (const path of ['turnaround.svg', 'overdue.svg', 'submittals.svg']) {
      const theirs = await get(today, `/p/twr-a/dashboard/${path}`, outsider);
      const missing = await get(today, `/p/nope/dashboard/${path}`, outsider);
      expect(theirs.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(await theirs.text()).toBe(await missing.text());
    }
    expect((await get(today, '/p/twr-a', outsider)).status).toBe(404);
    const anonymous = await today.request(`${WEB_BASE}/p/twr-a/dashboard/turnaround.svg`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/login');
  });
});
