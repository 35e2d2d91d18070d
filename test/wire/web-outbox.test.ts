import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import type { Db, OutboxStatus } from '../../src/db/database.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { SYSTEM_MAIL_PROJECT_ID } from '../../src/outbox/system-mail.js';
import { composeReply } from '../support/compose-reply.js';
import { deliverAndFile } from '../support/journey.js';
import { testDatabaseKind } from '../support/test-db.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { getAs, webAppOn, type WebApp } from '../support/web-records.js';
import { signIn, WEB_BASE } from '../support/web-sign-in.js';

const DANA = 'dana@contractor.example';
const SAM = 'sam@architect.example';
const HOSTILE_SUBJECT = '<script>alert(1)</script> hinges';
const SKETCH = Buffer.from('%PDF-1.4\n% sketch\n%%EOF\n');

/** An outbox row written directly, for states real delivery needs a failing relay to reach. */
async function insertOutboxRow(
  db: Db,
  projectId: number,
  row: { subject: string; status: OutboxStatus; html?: string; error?: string; at: Date },
): Promise<number> {
  const inserted = await db
    .insertInto('outbox')
    .values({
      project_id: projectId,
      kind: 'test-row',
      status: row.status,
      message_id: `test.${Math.random().toString(36).slice(2)}@docket.localhost`,
      raw_sha256: '0'.repeat(64),
      envelope_from: 'bounces@docket.localhost',
      from_address: 'twr-a@docket.localhost',
      to_addresses: ['someone@example.com'],
      reply_to: null,
      subject: row.subject,
      text_body: 'Plain text.',
      html_body: row.html ?? null,
      headers: JSON.stringify({ 'Auto-Submitted': 'auto-generated' }),
      attachments: '[]',
      record_type: null,
      record_id: null,
      thread_id: null,
      attempts: row.status === 'failed' ? 5 : 0,
      next_attempt_at: null,
      last_error: row.error ?? null,
      created_at: row.at,
      sent_at: row.status === 'sent' ? row.at : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

describe(`the outbox pages on ${testDatabaseKind}`, () => {
  let test: TestService;
  let app: WebApp;
  let member = '';
  let outsider = '';
  let systemId = 0;
  let otherId = 0;
  let failedId = 0;
  let actionId = 0;

  beforeAll(async () => {
    // No relay: every notification is captured in the outbox, as on a fresh install.
    test = await startTestService();
    app = webAppOn(test.service);
    const { db } = test.service;
    const project = await createTestProject(test.service, 'twr-a');
    const other = await createTestProject(test.service, 'other');
    await upsertMember(db, { projectId: project.id, email: 'pm@gc.example' });
    // Dana asks the RFI below as a member, so Docket answers her ("Received": captured).
    await upsertMember(db, { projectId: project.id, email: DANA });
    await issueLoginLink(db, { email: 'admin@gc.example', baseUrl: WEB_BASE }, new Date());
    member = await signIn(db, app, 'pm@gc.example');
    outsider = await signIn(db, app, 'outsider@else.example');

    const old = Date.now() - 86_400_000;
    for (let i = 0; i < 50; i++)
      await insertOutboxRow(db, project.id, {
        subject: `Older notice ${i}`,
        status: 'sent',
        at: new Date(old + i * 1000),
      });
    failedId = await insertOutboxRow(db, project.id, {
      subject: 'Undeliverable reminder',
      status: 'failed',
      error: '550 5.1.1 mailbox unknown at relay.example',
      html:
        '<p>Kept paragraph</p><script>alert(2)</script>' +
        '<img src="https://tracker.example/p.gif" alt="pixel" onerror="alert(3)">',
      at: new Date(old + 60_000),
    });
    systemId = await insertOutboxRow(db, SYSTEM_MAIL_PROJECT_ID, {
      subject: 'Your Docket login link SYSTEM-SECRET',
      status: 'captured',
      at: new Date(),
    });
    otherId = await insertOutboxRow(db, other.id, {
      subject: 'OTHER-PROJECT-MAIL',
      status: 'captured',
      at: new Date(),
    });

    const inbox = 'twr-a+rfi@docket.localhost';
    await deliverAndFile(
      test,
      DANA,
      inbox,
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: `${inbox}, Sam Ortiz <${SAM}>`,
        subject: HOSTILE_SUBJECT,
        messageId: 'rfi-hostile@contractor.example',
        body: 'Which hinge? <img src=x onerror=alert(1)>',
        attachment: { filename: 'sketch.pdf', content: SKETCH, contentType: 'application/pdf' },
      }),
    );
    actionId = (
      await db
        .selectFrom('outbox')
        .select('id')
        .where('project_id', '=', project.id)
        .where('kind', '=', 'action-required')
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(() => test.stop());

  it('lists only this project’s mail, newest first, with counts per status', async () => {
    const response = await getAs(app, member, '/p/twr-a/outbox');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`href="/p/twr-a/outbox/${actionId}"`);
    expect(html).toContain('Action required: RFI-001');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toMatch(/Captured <span class="count">\(2\)<\/span>/);
    expect(html).toMatch(/Sent <span class="count">\(50\)<\/span>/);
    expect(html).toMatch(/Failed <span class="count">\(1\)<\/span>/);
    expect(html).toMatch(/All <span class="count">\(53\)<\/span>/);
    expect(html).not.toContain('SYSTEM-SECRET');
    expect(html).not.toContain('OTHER-PROJECT-MAIL');
    // Newest first: the RFI's notifications come before the day-old rows.
    expect(html.indexOf('Action required: RFI-001')).toBeLessThan(html.indexOf('Older notice 49'));
  });

  it('pages by id to older mail, and filters by status', async () => {
    const first = await (await getAs(app, member, '/p/twr-a/outbox')).text();
    expect(first).not.toContain('Older notice 0<');
    const next = /<a rel="next" href="([^"]+)">Older mail<\/a>/.exec(first)?.[1] ?? '';
    expect(next).toMatch(/^\/p\/twr-a\/outbox\?before=\d+$/);
    const second = await (await getAs(app, member, next)).text();
    expect(second).toContain('Older notice 0<');
    expect(second).not.toContain('Action required');
    expect(second).toContain('Newest mail');

    const failed = await (await getAs(app, member, '/p/twr-a/outbox?status=failed')).text();
    expect(failed).toContain('<tr class="failed">');
    expect(failed).toContain('550 5.1.1 mailbox unknown at relay.example');
    expect(failed).not.toContain('Action required');
    expect(failed).toMatch(/aria-current="page"[^>]*>Failed/);
  });

  it('answers 400 with the page for a status or page link it cannot read', async () => {
    for (const path of ['/p/twr-a/outbox?status=lost', '/p/twr-a/outbox?before=abc']) {
      const response = await getAs(app, member, path);
      expect(response.status, path).toBe(400);
      const html = await response.text();
      expect(html).toContain('This list could not be shown');
      expect(html).toContain('aria-label="Status"');
    }
  });

  it('shows a notification as rendered: headers, text, attachments, raw copy and record', async () => {
    const response = await getAs(app, member, `/p/twr-a/outbox/${actionId}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<dt>To</dt><dd>sam@architect.example</dd>');
    expect(html).toMatch(/<dt>Reply-To<\/dt><dd>twr-a\+r-[a-z2-7]+@docket\.localhost<\/dd>/);
    expect(html).toMatch(/<dt>Message-ID<\/dt><dd>&lt;twr-a\.rfi-001\.action-required\./);
    expect(html).toContain('<dt>Auto-Submitted</dt><dd>auto-generated</dd>');
    expect(html).toContain('<pre class="mail-text">');
    expect(html).toContain('href="/p/twr-a/items/RFI-001">RFI-001</a>');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toMatch(/<img[^>]*onerror/i);
    expect(html).toContain(`href="/p/twr-a/outbox/${actionId}/attachments/1"`);

    const raw = await getAs(app, member, `/p/twr-a/outbox/${actionId}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(raw.headers.get('content-disposition')).toContain('attachment;');
    expect(await raw.text()).toMatch(/Message-ID: <twr-a\.rfi-001\.action-required\./i);

    const sketch = await getAs(app, member, `/p/twr-a/outbox/${actionId}/attachments/1`);
    expect(sketch.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await sketch.arrayBuffer()).equals(SKETCH)).toBe(true);
    expect((await getAs(app, member, `/p/twr-a/outbox/${actionId}/attachments/2`)).status).toBe(
      404,
    );
  });

  it('shows stored HTML only through the sanitiser', async () => {
    const html = await (await getAs(app, member, `/p/twr-a/outbox/${failedId}`)).text();
    expect(html).toContain('<p>Kept paragraph</p>');
    expect(html).not.toContain('alert(2)');
    expect(html).not.toContain('alert(3)');
    expect(html).not.toContain('tracker.example');
    expect(html).toContain('[image: pixel]');
    expect(html).toContain('550 5.1.1 mailbox unknown at relay.example');
  });

  it('never shows system mail or another project’s mail, and answers 404 to outsiders', async () => {
    for (const id of [systemId, otherId]) {
      for (const path of [`/p/twr-a/outbox/${id}`, `/p/twr-a/outbox/${id}/raw`]) {
        const response = await getAs(app, member, path);
        expect(response.status, path).toBe(404);
        expect(await response.text()).not.toMatch(/SYSTEM-SECRET|OTHER-PROJECT-MAIL/);
      }
    }
    for (const path of [
      '/p/twr-a/outbox',
      `/p/twr-a/outbox/${actionId}`,
      `/p/twr-a/outbox/${actionId}/raw`,
      `/p/twr-a/outbox/${actionId}/attachments/1`,
    ]) {
      const response = await getAs(app, outsider, path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('RFI-001');
    }
    expect((await getAs(app, outsider, '/p/other/outbox')).status).toBe(404);
  });
});
