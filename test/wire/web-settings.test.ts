import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseBlobStore } from '../../src/blobs/database-blob-store.js';
import type { Project } from '../../src/db/database.js';
import { createProject, getProjectByCode } from '../../src/projects/project.repository.js';
import { listMembers, upsertMember } from '../../src/projects/member.repository.js';
import { listWorkflows } from '../../src/projects/project-workflows.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import { createWebApp } from '../../src/web/app.js';
import { signIn as signInAs, WEB_BASE } from '../support/web-sign-in.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

type Fields = Record<string, string | string[]>;

/** The page's text as a reader sees it: entities decoded. */
const readable = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe(`project settings and project creation pages, on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createWebApp>;
  let a: Project;
  let b: Project;
  const cookies: Record<string, string> = {};

  const get = (path: string, who: string) =>
    app.request(`${WEB_BASE}${path}`, { headers: { cookie: cookies[who] ?? '' } });

  async function csrfOf(who: string): Promise<string> {
    const html = await (await get('/', who)).text();
    return /name="_csrf" value="([0-9a-f]+)"/.exec(html)?.[1] ?? '';
  }

  async function post(path: string, who: string, fields: Fields, csrf = true) {
    const body = new URLSearchParams();
    if (csrf) body.set('_csrf', await csrfOf(who));
    for (const [name, value] of Object.entries(fields)) {
      for (const one of [value].flat()) body.append(name, one);
    }
    return app.request(`${WEB_BASE}${path}`, {
      method: 'POST',
      headers: { cookie: cookies[who] ?? '' },
      body,
    });
  }

  const projectA = () => getProjectByCode(database.db, 'a');
  const memberOf = async (project: Project, email: string) =>
    (await listMembers(database.db, project.id)).find((m) => m.email === email);

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    app = createWebApp({ db, blobs: new DatabaseBlobStore(db), version: 'test' });
    // The first person to get a login link is the administrator.
    await issueLoginLink(db, { email: 'admin@owner.example', baseUrl: WEB_BASE }, new Date());
    a = await createProject(db, { code: 'a', name: 'Project A', timezone: 'Europe/London' });
    b = await createProject(db, { code: 'b', name: 'Project B' });
    await upsertMember(db, { projectId: a.id, email: 'manager@a.example', role: 'manager' });
    await upsertMember(db, { projectId: a.id, email: 'reviewer@a.example', role: 'reviewer' });
    await upsertMember(db, { projectId: a.id, email: 'member@a.example', role: 'member' });
    await upsertMember(db, { projectId: b.id, email: 'manager@b.example', role: 'manager' });
    for (const email of [
      'admin@owner.example',
      'manager@a.example',
      'reviewer@a.example',
      'member@a.example',
      'manager@b.example',
    ]) {
      cookies[email] = await signInAs(db, app, email);
    }
  });
  afterAll(() => database.destroy());

  describe('creating a project', () => {
    it('lets an administrator create one, lands on its settings and lists it', async () => {
      const home = await (await get('/', 'admin@owner.example')).text();
      expect(home).toContain('href="/projects/new"');
      const form = await get('/projects/new', 'admin@owner.example');
      expect(form.status).toBe(200);
      expect(await form.text()).toContain('<form method="post" action="/projects"');

      const created = await post('/projects', 'admin@owner.example', {
        code: ' TWR-A ',
        name: 'Tower A',
        timezone: 'America/New_York',
      });
      expect(created.status).toBe(303);
      expect(created.headers.get('location')).toBe('/p/twr-a/settings?saved=project');
      const project = await getProjectByCode(database.db, 'twr-a');
      expect(project).toMatchObject({ name: 'Tower A', timezone: 'America/New_York' });

      const settings = await get('/p/twr-a/settings?saved=project', 'admin@owner.example');
      expect(settings.status).toBe(200);
      expect(await settings.text()).toContain('Project created.');
      expect(await (await get('/', 'admin@owner.example')).text()).toContain('Tower A');
    });

    it('shows the form again with the reason for a duplicate code, a bad code or a bad zone', async () => {
      const duplicate = await post('/projects', 'admin@owner.example', {
        code: 'A',
        name: 'Another A',
        timezone: 'UTC',
      });
      expect(duplicate.status).toBe(400);
      const html = readable(await duplicate.text());
      expect(html).toContain('A project with the code "a" already exists. Choose another code.');
      expect(html).toContain('value="Another A"');
      expect((await projectA()).name).toBe('Project A');

      const badCode = await post('/projects', 'admin@owner.example', {
        code: 'a+b',
        name: 'Plus',
        timezone: 'UTC',
      });
      expect(badCode.status).toBe(400);
      expect(readable(await badCode.text())).toContain(
        'must be 1–20 letters, digits or inner hyphens',
      );

      const badZone = await post('/projects', 'admin@owner.example', {
        code: 'zoned',
        name: 'Zoned',
        timezone: 'Mars/Olympus',
      });
      expect(badZone.status).toBe(400);
      expect(readable(await badZone.text())).toContain('"Mars/Olympus" is not a time zone');
      const rows = await database.db.selectFrom('projects').select('code').execute();
      expect(rows.map((r) => r.code).sort()).toEqual(['a', 'b', 'twr-a']);
    });

    it('refuses people who are not administrators with a readable 403', async () => {
      const home = await (await get('/', 'manager@a.example')).text();
      expect(home).not.toContain('/projects/new');
      const page = await get('/projects/new', 'manager@a.example');
      expect(page.status).toBe(403);
      expect(await page.text()).toContain('Only administrators can create projects');
      const created = await post('/projects', 'manager@a.example', {
        code: 'sneaky',
        name: 'Sneaky',
        timezone: 'UTC',
      });
      expect(created.status).toBe(403);
      expect(
        await database.db
          .selectFrom('projects')
          .where('code', '=', 'sneaky')
          .select('id')
          .executeTakeFirst(),
      ).toBeUndefined();
    });
  });

  describe('changing settings as a manager', () => {
    const manager = 'manager@a.example';

    it('saves the general settings and says so', async () => {
      const response = await post('/p/a/settings/general', manager, {
        name: 'Project A (phase 2)',
        timezone: 'America/Chicago',
        review_days: '12',
        rfi_days: '5',
        ack_days: '3',
        rfi_manager: 'RFI@A.example',
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/p/a/settings?saved=general#general');
      expect(await projectA()).toMatchObject({
        name: 'Project A (phase 2)',
        timezone: 'America/Chicago',
        review_days: 12,
        rfi_days: 5,
        ack_days: 3,
        rfi_manager: 'rfi@a.example',
      });
      const page = await (await get('/p/a/settings?saved=general', manager)).text();
      expect(page).toMatch(
        /id="general-title">General<\/h2><p class="settings-saved" role="status">Saved\.<\/p>/,
      );
      expect(page).toContain('value="America/Chicago"');
    });

    it('saves working weekdays and holidays', async () => {
      const response = await post('/p/a/settings/calendar', manager, {
        weekday: ['1', '2', '3', '4', '5', '6'],
        holidays: '2026-12-28\r\n\r\n  2026-12-25 \r\n2026-12-25',
      });
      expect(response.status).toBe(303);
      const project = await projectA();
      expect(project.working_weekdays).toEqual([1, 2, 3, 4, 5, 6]);
      expect(project.holidays).toEqual(['2026-12-25', '2026-12-28']);
    });

    it('replaces the response aliases with the ones typed', async () => {
      const first = await post('/p/a/settings/responses', manager, {
        aliases: 'no exceptions = approved\nRR =  revise   and resubmit',
      });
      expect(first.status).toBe(303);
      expect((await projectA()).response_aliases).toEqual({
        'NO EXCEPTIONS': 'APPROVED',
        RR: 'REVISE AND RESUBMIT',
      });
      await post('/p/a/settings/responses', manager, { aliases: 'RR = REVISE AND RESUBMIT' });
      expect((await projectA()).response_aliases).toEqual({ RR: 'REVISE AND RESUBMIT' });
    });

    it('saves the sender policy and the DMARC requirement', async () => {
      await post('/p/a/settings/policy', manager, {
        sender_policy: 'members',
        require_dmarc: 'on',
      });
      expect(await projectA()).toMatchObject({ sender_policy: 'members', require_dmarc: true });
      await post('/p/a/settings/policy', manager, { sender_policy: 'anyone' });
      expect(await projectA()).toMatchObject({ sender_policy: 'anyone', require_dmarc: false });
    });

    it('adds a member, changes their role and removes them', async () => {
      const added = await post('/p/a/settings/members', manager, {
        email: ' Sam@Architect.example ',
        name: 'Sam Ortiz',
        role: 'reviewer',
      });
      expect(added.status).toBe(303);
      expect(added.headers.get('location')).toBe('/p/a/settings?saved=members#members');
      const sam = await memberOf(a, 'sam@architect.example');
      expect(sam).toMatchObject({ name: 'Sam Ortiz', role: 'reviewer' });

      const page = await (await get('/p/a/settings', manager)).text();
      expect(page).toContain(`action="/p/a/settings/members/${sam!.id}/role"`);
      expect(page).toContain('Project inbox: <code>a@localhost</code>');

      await post(`/p/a/settings/members/${sam!.id}/role`, manager, { role: 'manager' });
      expect((await memberOf(a, 'sam@architect.example'))?.role).toBe('manager');
      const removed = await post(`/p/a/settings/members/${sam!.id}/remove`, manager, {});
      expect(removed.status).toBe(303);
      expect(await memberOf(a, 'sam@architect.example')).toBeUndefined();
    });

    it('saves a workflow of ordered, parallel steps and deletes it', async () => {
      const saved = await post('/p/a/settings/workflows', manager, {
        name: 'Structural',
        spec_prefix: '03 30',
        steps: 'eor@engineer.example, arch@architect.example\r\nowner@owner.example\r\n',
      });
      expect(saved.status).toBe(303);
      const [workflow] = await listWorkflows(database.db, a.id);
      expect(workflow).toMatchObject({
        name: 'Structural',
        specPrefix: '03 30',
        steps: [['eor@engineer.example', 'arch@architect.example'], ['owner@owner.example']],
      });
      const page = await (await get('/p/a/settings', 'reviewer@a.example')).text();
      expect(page).toContain('<li>eor@engineer.example, arch@architect.example</li>');

      const deleted = await post(`/p/a/settings/workflows/${workflow!.id}/delete`, manager, {});
      expect(deleted.status).toBe(303);
      expect(await listWorkflows(database.db, a.id)).toEqual([]);
    });

    it('lets an administrator who is not a member change settings too', async () => {
      const response = await post('/p/b/settings/general', 'admin@owner.example', {
        name: 'Project B',
        timezone: 'Asia/Tokyo',
        review_days: '10',
        rfi_days: '7',
        ack_days: '2',
      });
      expect(response.status).toBe(303);
      expect((await getProjectByCode(database.db, 'b')).timezone).toBe('Asia/Tokyo');
    });
  });

  describe('refusing bad input', () => {
    const manager = 'manager@a.example';
    const general = {
      name: 'Project A',
      timezone: 'Europe/London',
      review_days: '10',
      rfi_days: '7',
      ack_days: '2',
      rfi_manager: '',
    };
    const cases: [string, string, Fields, string][] = [
      [
        'general',
        'a bad zone',
        { ...general, timezone: 'Europe/Atlantis' },
        '"Europe/Atlantis" is not a time zone',
      ],
      [
        'general',
        'a fixed offset for a zone',
        { ...general, timezone: '+05:00' },
        '"+05:00" is not a time zone',
      ],
      [
        'general',
        'days that are not a number',
        { ...general, review_days: 'ten' },
        'Review time must be a whole number of working days.',
      ],
      [
        'general',
        'too many days',
        { ...general, ack_days: '400' },
        'Acknowledgement time must be 365 working days or fewer.',
      ],
      ['general', 'an empty name', { ...general, name: '  ' }, 'The project needs a name.'],
      [
        'general',
        'an RFI manager who is no address',
        { ...general, rfi_manager: 'dana' },
        'The RFI manager "dana" is not an email address',
      ],
      ['calendar', 'no working day', { holidays: '' }, 'Tick at least one working day'],
      [
        'calendar',
        'a weekday that is none',
        { weekday: '8', holidays: '' },
        'A working day must be one of Monday to Sunday.',
      ],
      [
        'calendar',
        'an impossible holiday',
        { weekday: '1', holidays: '2026-12-25\n2026-02-30' },
        '"2026-02-30" is not a date',
      ],
      [
        'calendar',
        'a holiday in another format',
        { weekday: '1', holidays: '25/12/2026' },
        '"25/12/2026" is not a date',
      ],
      [
        'responses',
        'an unknown code',
        { aliases: 'OK = MAYBE' },
        '"MAYBE" is not a response code. Use one of: APPROVED',
      ],
      [
        'responses',
        'a line without =',
        { aliases: 'LOOKS GOOD' },
        '"LOOKS GOOD" is not ALIAS = CODE',
      ],
      [
        'responses',
        'a response code given another meaning',
        { aliases: 'APPROVED = REJECTED' },
        'would make the response APPROVED mean REJECTED',
      ],
      [
        'policy',
        'an unknown sender policy',
        { sender_policy: 'friends' },
        'Choose who may send mail to the project',
      ],
      [
        'members',
        'an unknown role',
        { email: 'x@a.example', role: 'owner' },
        '"owner" is not a role: choose manager, reviewer or member.',
      ],
      [
        'members',
        'a bad email',
        { email: 'not-an-address', role: 'member' },
        '"not-an-address" is not an email address.',
      ],
      ['workflows', 'no steps', { name: 'Default', steps: ' \n ' }, 'Write at least one step'],
      [
        'workflows',
        'a reviewer who is no address',
        { name: 'Default', steps: 'eor@engineer.example, bob' },
        'Not email addresses: bob',
      ],
      [
        'workflows',
        'a bad spec prefix',
        { name: 'Default', spec_prefix: 'concrete', steps: 'eor@engineer.example' },
        'Spec prefix "concrete" must look like 03, 03 30 or 03 30 00',
      ],
    ];

    it.each(cases)(
      '%s: %s answers 400 with the reason beside the form',
      async (section, _what, fields, message) => {
        const before = await projectA();
        const workflowsBefore = await listWorkflows(database.db, a.id);
        const membersBefore = await listMembers(database.db, a.id);
        const response = await post(`/p/a/settings/${section}`, manager, fields);
        expect(response.status).toBe(400);
        const html = readable(await response.text());
        const sectionHtml = html.slice(html.indexOf(`<section id="${section}"`));
        expect(sectionHtml).toMatch(
          /^<section id="\w+"[^>]*><h2[^>]*>[^<]*<\/h2><p class="error settings-error" role="alert">/,
        );
        expect(sectionHtml.slice(0, 2000)).toContain(message);
        // The form is shown again, in the section that failed.
        expect(sectionHtml).toContain(`action="/p/a/settings/${section}"`);
        expect(await projectA()).toEqual(before);
        expect(await listWorkflows(database.db, a.id)).toEqual(workflowsBefore);
        expect(await listMembers(database.db, a.id)).toEqual(membersBefore);
      },
    );

    it('keeps what was typed when a form is refused', async () => {
      const response = await post('/p/a/settings/calendar', manager, {
        weekday: ['2', '4'],
        holidays: '2026-12-25\nChristmas',
      });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toMatch(/<textarea[^>]*name="holidays"[^>]*>2026-12-25\nChristmas<\/textarea>/);
      expect(html).toContain('name="weekday" value="2" checked=""');
      expect(html).toContain('name="weekday" value="1"/>');
    });

    it('answers 404 for a member or workflow that is not in the project', async () => {
      const other = await memberOf(b, 'manager@b.example');
      const response = await post(`/p/a/settings/members/${other!.id}/role`, manager, {
        role: 'member',
      });
      expect(response.status).toBe(404);
      expect((await memberOf(b, 'manager@b.example'))?.role).toBe('manager');
      expect((await post(`/p/a/settings/members/${other!.id}/remove`, manager, {})).status).toBe(
        404,
      );
      expect(await memberOf(b, 'manager@b.example')).toBeDefined();
      expect((await post('/p/a/settings/members/nope/remove', manager, {})).status).toBe(404);

      await saveWorkflow(database.db, {
        projectId: b.id,
        name: 'B',
        specPrefix: null,
        steps: [['x@b.example']],
      });
      const [workflowOfB] = await listWorkflows(database.db, b.id);
      expect(
        (await post(`/p/a/settings/workflows/${workflowOfB!.id}/delete`, manager, {})).status,
      ).toBe(404);
      expect(await listWorkflows(database.db, b.id)).toHaveLength(1);
    });
  });

  describe('who may change what', () => {
    const posts: [string, Fields][] = [
      [
        'general',
        { name: 'Hijacked', timezone: 'UTC', review_days: '1', rfi_days: '1', ack_days: '1' },
      ],
      ['calendar', { weekday: '7', holidays: '' }],
      ['responses', { aliases: 'YES = APPROVED' }],
      ['policy', { sender_policy: 'members', require_dmarc: 'on' }],
      ['members', { email: 'friend@a.example', role: 'manager' }],
      ['workflows', { name: 'Mine', steps: 'friend@a.example' }],
    ];

    it.each(['reviewer@a.example', 'member@a.example'])(
      '%s sees the settings without forms, and every change is refused with 403',
      async (who) => {
        const page = await get('/p/a/settings', who);
        expect(page.status).toBe(200);
        const html = readable(await page.text());
        expect(html).toContain("Only the project's managers and administrators can change these.");
        expect(html).toContain('manager@a.example');
        expect(html).not.toContain('action="/p/a/settings');
        expect(html).not.toContain('<textarea');

        const before = await projectA();
        const membersBefore = await listMembers(database.db, a.id);
        const me = await memberOf(a, who);
        const attempts = [
          ...posts,
          [`members/${me!.id}/role`, { role: 'manager' }],
          [`members/${me!.id}/remove`, {}],
        ] as [string, Fields][];
        for (const [path, fields] of attempts) {
          const response = await post(`/p/a/settings/${path}`, who, fields);
          expect(response.status, path).toBe(403);
          expect(await response.text()).toContain('Only managers can do this');
        }
        expect(await projectA()).toEqual(before);
        expect(await listMembers(database.db, a.id)).toEqual(membersBefore);
        expect(await listWorkflows(database.db, a.id)).toEqual([]);
      },
    );

    it("refuses a change without the form's CSRF token", async () => {
      const before = await projectA();
      const response = await post(
        '/p/a/settings/policy',
        'manager@a.example',
        { sender_policy: 'members' },
        false,
      );
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('This form has expired');
      expect(await projectA()).toEqual(before);
    });

    it("answers another project's manager as if the project did not exist", async () => {
      const before = await projectA();
      const page = await get('/p/a/settings', 'manager@b.example');
      expect(page.status).toBe(404);
      const missing = await get('/p/nope/settings', 'manager@b.example');
      expect(await page.text()).toBe(await missing.text());
      for (const [path, fields] of posts) {
        expect((await post(`/p/a/settings/${path}`, 'manager@b.example', fields)).status).toBe(404);
      }
      expect(await projectA()).toEqual(before);
      expect(await memberOf(a, 'friend@a.example')).toBeUndefined();
    });

    it('sends people who are not signed in to the login page', async () => {
      const response = await app.request(`${WEB_BASE}/p/a/settings`);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/login');
    });
  });
});
