import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import type { Project } from '../../src/db/database.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { composeReply } from '../support/compose-reply.js';
import { deliverAndFile } from '../support/journey.js';
import { testDatabaseKind } from '../support/test-db.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { csrfOf, getAs, postAs, webAppOn, type WebApp } from '../support/web-records.js';
import { signIn, WEB_BASE } from '../support/web-sign-in.js';

const DANA = 'dana@contractor.example';
const SAM = 'sam@architect.example';
const MIA = 'mia@gc.example';
const PM = 'pm@gc.example';

describe(`RFI and item pages on ${testDatabaseKind}`, () => {
  let test: TestService;
  let app: WebApp;
  let project: Project;
  let manager = '';
  let member = '';
  let outsider = '';

  /** Dana emails a question to one of the project's item addresses, addressed to Sam. */
  const ask = (inbox: string, id: string, subject: string, text: string) =>
    deliverAndFile(
      test,
      DANA,
      inbox,
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: `${inbox}, Sam Ortiz <${SAM}>`,
        subject,
        messageId: `${id}@contractor.example`,
        body: text,
      }),
    );
  const status = async (prefix: string, number: number) =>
    (
      await test.service.db
        .selectFrom('items')
        .select('status')
        .where('project_id', '=', project.id)
        .where('prefix', '=', prefix)
        .where('number', '=', number)
        .executeTakeFirstOrThrow()
    ).status;

  beforeAll(async () => {
    test = await startTestService();
    app = webAppOn(test.service);
    project = await createTestProject(test.service, 'twr-a');
    await createTestProject(test.service, 'other');
    await upsertMember(test.service.db, { projectId: project.id, email: MIA, role: 'manager' });
    await upsertMember(test.service.db, { projectId: project.id, email: PM });
    await issueLoginLink(
      test.service.db,
      { email: 'admin@gc.example', baseUrl: WEB_BASE },
      new Date(),
    );
    manager = await signIn(test.service.db, app, MIA);
    member = await signIn(test.service.db, app, PM);
    outsider = await signIn(test.service.db, app, 'outsider@else.example');
    await ask(
      'twr-a+rfi@docket.localhost',
      'rfi-1',
      'Door hardware at level 2',
      'Which hinge set applies to doors 2.14 to 2.20?',
    );
    await ask('twr-a+notice@docket.localhost', 'not-1', 'Crane on site Monday', 'Heads up.');
  });
  afterAll(() => test.stop());

  it('lists items with type, asker, ball in court, due date and status', async () => {
    const response = await getAs(app, member, '/p/twr-a/items');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<a href="/p/twr-a/items/RFI-001">RFI-001</a>');
    expect(html).toContain('<a href="/p/twr-a/items/NOT-001">NOT-001</a>');
    expect(html).toContain('Request for Information');
    expect(html).toContain('Door hardware at level 2');
    expect(html).toContain('<span title="dana@contractor.example">Dana Fields</span>');
    expect(html).toContain(`<td>${SAM}</td>`);
    expect(html).toMatch(/<td class="nowrap">\d{4}-\d{2}-\d{2}<\/td>/);
    expect(html).not.toContain('badge-overdue');
  });

  it('filters by type and status with a plain GET form, and refuses nonsense with a 400', async () => {
    const notices = await (await getAs(app, member, '/p/twr-a/items?type=NOT')).text();
    expect(notices).toContain('NOT-001');
    expect(notices).not.toContain('RFI-001');
    expect(notices).toContain('<option value="NOT" selected="">');
    const closed = await (await getAs(app, member, '/p/twr-a/items?status=closed')).text();
    expect(closed).toContain('No items match these filters.');
    for (const path of ['/p/twr-a/items?type=XYZ', '/p/twr-a/items?status=sideways']) {
      const refused = await getAs(app, member, path);
      expect(refused.status, path).toBe(400);
      const page = await refused.text();
      expect(page).toContain('These filters could not be used');
      expect(page).toContain('<form method="get" action="/p/twr-a/items"');
    }
  });

  it('highlights an RFI past its due date, in words as well as colour', async () => {
    const later = webAppOn(test.service, () => new Date(Date.now() + 20 * 86_400_000));
    const html = await (await getAs(later, member, '/p/twr-a/items?status=overdue')).text();
    expect(html).toContain('<tr class="overdue">');
    expect(html).toContain('<span class="badge badge-overdue">Overdue</span>');
    expect(html).toContain('RFI-001');
    // Notices carry no response time, so they are never overdue.
    expect(html).not.toContain('NOT-001');
  });

  it('shows one item: question, ball in court, due date, trail and thread', async () => {
    const response = await getAs(app, member, '/p/twr-a/items/RFI-001');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('RFI-001: Door hardware at level 2');
    expect(html).toContain('Which hinge set applies to doors 2.14 to 2.20?');
    expect(html).toContain('Not answered yet.');
    expect(html).toMatch(/<dt>Ball in court<\/dt><dd>sam@architect\.example<\/dd>/);
    expect(html).toMatch(/<dt>Due<\/dt><dd><time datetime="[^"]+">/);
    expect(html).toMatch(/href="\/p\/twr-a\/threads\/\d+">Email thread/);
    expect(html).toMatch(/<td>dana@contractor\.example<\/td><td>opened<\/td>/);
    // A member reads it but is not offered the Close button.
    expect(html).not.toContain('/items/RFI-001/close');
  });

  it('refuses a member who closes an item with 403, and leaves it open', async () => {
    const page = await (await getAs(app, member, '/p/twr-a/items/RFI-001')).text();
    const response = await postAs(app, member, '/p/twr-a/items/RFI-001/close', {
      _csrf: csrfOf(page),
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Only managers can close items');
    expect(await status('RFI', 1)).toBe('open');
  });

  it('lets a manager close an item from its page, once', async () => {
    const page = await (await getAs(app, manager, '/p/twr-a/items/RFI-001')).text();
    expect(page).toContain('<form method="post" action="/p/twr-a/items/RFI-001/close"');
    // Without the page's token the form is refused.
    const forged = await postAs(app, manager, '/p/twr-a/items/RFI-001/close', {});
    expect(forged.status).toBe(403);
    expect(await status('RFI', 1)).toBe('open');

    const response = await postAs(app, manager, '/p/twr-a/items/RFI-001/close', {
      _csrf: csrfOf(page),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/p/twr-a/items/RFI-001?closed=1');
    expect(await status('RFI', 1)).toBe('closed');
    const after = await (await getAs(app, manager, '/p/twr-a/items/RFI-001?closed=1')).text();
    expect(after).toContain('The item was closed.');
    expect(after).toMatch(/<dt>Status<\/dt><dd>Closed<\/dd>/);
    expect(after).toContain(`<td>${MIA}</td><td>closed</td>`);
    expect(after).not.toContain('/items/RFI-001/close');

    const again = await postAs(app, manager, '/p/twr-a/items/RFI-001/close', {
      _csrf: csrfOf(page),
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('RFI-001 was already closed');
  });

  it('answers 404 for a missing item and to anyone not on the project', async () => {
    expect((await getAs(app, member, '/p/twr-a/items/RFI-099')).status).toBe(404);
    expect((await getAs(app, member, '/p/twr-a/items/not-a-number')).status).toBe(404);
    for (const path of ['/p/twr-a/items', '/p/twr-a/items/NOT-001']) {
      const response = await getAs(app, outsider, path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('Crane on site');
    }
    const home = await (await getAs(app, outsider, '/')).text();
    const post = await postAs(app, outsider, '/p/twr-a/items/NOT-001/close', {
      _csrf: csrfOf(home),
    });
    expect(post.status).toBe(404);
    expect(await status('NOT', 1)).toBe('open');
  });
});
