import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { DatabaseBlobStore } from '../../src/blobs/database-blob-store.js';
import type { Member, Project } from '../../src/db/database.js';
import { listMembers, upsertMember } from '../../src/projects/member.repository.js';
import { createProject, getProjectByCode } from '../../src/projects/project.repository.js';
import { pauseMemberReminders } from '../../src/reminders/member-pause.js';
import { markUndeliverable } from '../../src/reminders/undeliverable.js';
import { createWebApp } from '../../src/web/app.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';
import { signIn, WEB_BASE } from '../support/web-sign-in.js';

type Fields = Record<string, string>;

/** The page's text as a reader sees it: tags dropped, entities decoded, spaces collapsed. */
const readable = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const MANAGER = 'manager@a.example';
const REVIEWER = 'reviewer@a.example';
const MEMBER = 'member@a.example';
const OTHER_MANAGER = 'manager@b.example';
/** Project A works in London: the day after the pause's last day starts there. */
const ZONE = 'Europe/London';

describe(`members' reminders and the reminder settings on the settings page, on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createWebApp>;
  let a: Project;
  let b: Project;
  const cookies: Record<string, string> = {};
  const member: Record<string, Member> = {};
  const today = () => DateTime.now().setZone(ZONE).toISODate()!;
  const inDays = (days: number) => DateTime.now().setZone(ZONE).plus({ days }).toISODate()!;

  const get = (path: string, who: string) =>
    app.request(`${WEB_BASE}${path}`, { headers: { cookie: cookies[who] ?? '' } });

  async function post(path: string, who: string, fields: Fields = {}) {
    const home = await (await get('/', who)).text();
    const csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(home)?.[1] ?? '';
    return app.request(`${WEB_BASE}${path}`, {
      method: 'POST',
      headers: { cookie: cookies[who] ?? '' },
      body: new URLSearchParams({ _csrf: csrf, ...fields }),
    });
  }

  const pausedUntil = async (email: string) =>
    (await listMembers(database.db, a.id)).find((m) => m.email === email)?.reminders_paused_until;
  const marks = () =>
    database.db.selectFrom('undeliverable_addresses').select('email').orderBy('email').execute();
  const pageFor = async (who: string) => (await get('/p/a/settings', who)).text();

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    app = createWebApp({ db, blobs: new DatabaseBlobStore(db), version: 'test' });
    await issueLoginLink(db, { email: 'admin@owner.example', baseUrl: WEB_BASE }, new Date());
    a = await createProject(db, { code: 'a', name: 'Project A', timezone: ZONE });
    b = await createProject(db, { code: 'b', name: 'Project B' });
    for (const [email, role] of [
      [MANAGER, 'manager'],
      [REVIEWER, 'reviewer'],
      [MEMBER, 'member'],
    ] as const) {
      member[email] = await upsertMember(db, { projectId: a.id, email, role });
    }
    member[OTHER_MANAGER] = await upsertMember(db, {
      projectId: b.id,
      email: OTHER_MANAGER,
      role: 'manager',
    });
    for (const email of [MANAGER, REVIEWER, MEMBER, OTHER_MANAGER]) {
      cookies[email] = await signIn(db, app, email);
    }
  });
  afterAll(() => database.destroy());

  it("shows a hard bounce's mark, dated in the project's zone, with Clear for managers", async () => {
    // 23:30 UTC on 30 June is already 1 July in London (summer time).
    await markUndeliverable(
      database.db,
      { email: REVIEWER, reason: 'hard bounce 5.1.1 mailbox unknown', sourceProjectId: a.id },
      new Date('2026-06-30T23:30:00Z'),
    );
    const html = await pageFor(MANAGER);
    expect(readable(html)).toContain(
      'Undeliverable since 2026-07-01 (hard bounce 5.1.1 mailbox unknown)',
    );
    const id = member[REVIEWER]!.id;
    expect(html).toContain(`action="/p/a/settings/members/${id}/undeliverable/clear"`);
    expect(html).not.toContain(`members/${member[MEMBER]!.id}/undeliverable/clear`);
  });

  it('pauses a member through a date, then resumes them', async () => {
    const id = member[MEMBER]!.id;
    const until = inDays(14);
    const paused = await post(`/p/a/settings/members/${id}/pause`, MANAGER, {
      member: String(id),
      until,
    });
    expect(paused.status).toBe(303);
    expect(paused.headers.get('location')).toBe('/p/a/settings?saved=members#members');
    expect(await pausedUntil(MEMBER)).toBe(until);
    const html = await (await get('/p/a/settings?saved=members', MANAGER)).text();
    expect(html).toMatch(/id="members-title">Members and roles<\/h2><p class="settings-saved"/);
    expect(readable(html)).toContain(`Paused through ${until}`);
    expect(html).toContain(`action="/p/a/settings/members/${id}/resume"`);

    const resumed = await post(`/p/a/settings/members/${id}/resume`, MANAGER);
    expect(resumed.status).toBe(303);
    expect(await pausedUntil(MEMBER)).toBeNull();
    expect(await pageFor(MANAGER)).not.toContain(`members/${id}/resume"`);
  });

  it('pauses until resumed when no date is given', async () => {
    const id = member[MEMBER]!.id;
    const paused = await post(`/p/a/settings/members/${id}/pause`, MANAGER, { until: '' });
    expect(paused.status).toBe(303);
    expect(await pausedUntil(MEMBER)).toBe('9999-12-31');
    const text = readable(await pageFor(MANAGER));
    expect(text).toMatch(/member@a\.example .*Paused Resume/);
    expect(text).not.toContain('9999');
    await post(`/p/a/settings/members/${id}/resume`, MANAGER);
  });

  it('shows a pause whose last day has passed as reminders on', async () => {
    await pauseMemberReminders(database.db, { projectId: a.id, email: MEMBER, until: inDays(-1) });
    const html = await pageFor(MANAGER);
    expect(html).not.toContain(`members/${member[MEMBER]!.id}/resume"`);
    expect(readable(html)).not.toContain(`Paused through ${inDays(-1)}`);
    // The last day itself is still paused.
    await pauseMemberReminders(database.db, { projectId: a.id, email: MEMBER, until: today() });
    expect(readable(await pageFor(MANAGER))).toContain(`Paused through ${today()}`);
    await post(`/p/a/settings/members/${member[MEMBER]!.id}/resume`, MANAGER);
  });

  it('refuses an impossible or past date with the reason, keeping what was typed', async () => {
    const id = member[MEMBER]!.id;
    const bad = await post(`/p/a/settings/members/${id}/pause`, MANAGER, {
      member: String(id),
      until: '2026-02-30',
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(readable(html)).toContain('"2026-02-30" is not a date: use YYYY-MM-DD');
    expect(html).toMatch(
      new RegExp(`id="member-${id}-until" name="until" type="date"[^>]*value="2026-02-30"`),
    );
    // The "Add a member" form is not refilled from another form's refusal.
    expect(html).toMatch(/<option value="member" selected="">Member/);

    const past = await post(`/p/a/settings/members/${id}/pause`, MANAGER, { until: '2020-01-01' });
    expect(past.status).toBe(400);
    expect(readable(await past.text())).toContain('2020-01-01 has already passed');
    expect(await pausedUntil(MEMBER)).toBeNull();
  });

  it('clears the undeliverable mark once the mailbox works again', async () => {
    const id = member[REVIEWER]!.id;
    expect(await marks()).toEqual([{ email: REVIEWER }]);
    const cleared = await post(`/p/a/settings/members/${id}/undeliverable/clear`, MANAGER);
    expect(cleared.status).toBe(303);
    expect(await marks()).toEqual([]);
    expect(readable(await pageFor(MANAGER))).not.toContain('Undeliverable since');
  });

  it('shows members and reviewers the marks and pauses, without forms, and refuses their posts', async () => {
    await markUndeliverable(
      database.db,
      { email: MEMBER, reason: 'hard bounce 5.2.1' },
      new Date(),
    );
    await pauseMemberReminders(database.db, { projectId: a.id, email: REVIEWER, until: null });
    const html = await pageFor(MEMBER);
    expect(readable(html)).toContain('Undeliverable since');
    expect(readable(html)).toMatch(/reviewer@a\.example .*Paused/);
    expect(html).not.toMatch(/\/(pause|resume|undeliverable\/clear)"/);
    expect(html).not.toContain('action="/p/a/settings/reminders"');

    const reviewerId = member[REVIEWER]!.id;
    const memberId = member[MEMBER]!.id;
    for (const [path, fields] of [
      [`/p/a/settings/members/${memberId}/pause`, { until: '' }],
      [`/p/a/settings/members/${reviewerId}/resume`, {}],
      [`/p/a/settings/members/${memberId}/undeliverable/clear`, {}],
      ['/p/a/settings/reminders', { digest_time: '06:00' }],
    ] as const) {
      const refused = await post(path, REVIEWER, fields);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('Only managers can do this');
    }
    expect(await pausedUntil(MEMBER)).toBeNull();
    expect(await pausedUntil(REVIEWER)).toBe('9999-12-31');
    expect(await marks()).toEqual([{ email: MEMBER }]);
    expect((await getProjectByCode(database.db, 'a')).digest_time).toBe('07:00');
  });

  it("answers 404 for another project's member or a project the manager is not in", async () => {
    const theirs = member[OTHER_MANAGER]!.id;
    for (const path of [
      `/p/a/settings/members/${theirs}/pause`,
      `/p/a/settings/members/${theirs}/resume`,
      `/p/a/settings/members/999999/undeliverable/clear`,
      `/p/a/settings/members/x/pause`,
    ]) {
      expect((await post(path, MANAGER, { until: '' })).status).toBe(404);
    }
    const stranger = await post(
      `/p/a/settings/members/${member[MEMBER]!.id}/undeliverable/clear`,
      OTHER_MANAGER,
    );
    expect(stranger.status).toBe(404);
    expect(await marks()).toEqual([{ email: MEMBER }]);
    expect((await listMembers(database.db, b.id))[0]?.reminders_paused_until).toBeNull();
  });

  it('saves the digest time and escalation thresholds, and refuses impossible ones', async () => {
    const saved = await post('/p/a/settings/reminders', MANAGER, {
      digest_time: '6:30',
      escalate_after_days: '2',
      escalate_admin_after_days: '8',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/p/a/settings?saved=reminders#reminders');
    expect(await getProjectByCode(database.db, 'a')).toMatchObject({
      digest_time: '06:30',
      escalate_after_days: 2,
      escalate_admin_after_days: 8,
    });
    expect(await pageFor(MANAGER)).toContain('name="digest_time" type="time" value="06:30"');
    expect(readable(await pageFor(MEMBER))).toContain('Digest time 06:30 (Europe/London)');

    for (const [fields, reason] of [
      [{ digest_time: '25:00' }, '"25:00" is not a time of day: use HH:MM'],
      [{ escalate_after_days: '0' }, 'must be 1 to 1000 working days'],
      [{ escalate_admin_after_days: 'ten' }, 'must be a whole number of working days'],
    ] as const) {
      const refused = await post('/p/a/settings/reminders', MANAGER, {
        digest_time: '07:00',
        escalate_after_days: '3',
        escalate_admin_after_days: '10',
        ...fields,
      });
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(readable(html)).toContain(reason);
      expect(html).toMatch(/id="reminders-title">Reminders<\/h2><p class="error settings-error"/);
    }
    expect((await getProjectByCode(database.db, 'a')).digest_time).toBe('06:30');
  });
});
