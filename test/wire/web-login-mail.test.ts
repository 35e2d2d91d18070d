import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { SYSTEM_MAIL_PROJECT_ID } from '../../src/outbox/system-mail.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { SmtpSink } from '../support/smtp-sink.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';

const PUBLIC_URL = 'https://docket.example.com';

/** GETs the login page over real HTTP and returns its CSRF cookie and field. */
async function loginForm(base: string, headers: Record<string, string> = {}) {
  const page = await fetch(`${base}/login`, { headers });
  const cookie = page.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(await page.text())?.[1] ?? '';
  return { cookie, csrf };
}

async function requestLink(base: string, email: string, headers: Record<string, string> = {}) {
  const { cookie, csrf } = await loginForm(base, headers);
  return fetch(`${base}/login`, {
    method: 'POST',
    headers: { ...headers, cookie },
    body: new URLSearchParams({ _csrf: csrf, email }),
    redirect: 'manual',
  });
}

describe('login links by mail, through a real relay', () => {
  let sink: SmtpSink;
  let test: TestService;
  let base: string;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    test = await startTestService({
      SMTP_RELAY_URL: sink.url,
      PUBLIC_URL: `${PUBLIC_URL}/`,
      TRUST_PROXY: 'true',
    });
    base = `http://127.0.0.1:${test.service.httpPort}`;
    const project = await createTestProject(test.service, 'twr-a');
    await upsertMember(test.service.db, { projectId: project.id, email: 'sam@architect.example' });
    // The first person ever is the administrator; make them so the member is an ordinary one.
    await issueLoginLink(
      test.service.db,
      { email: 'admin@owner.example', baseUrl: base },
      new Date(),
    );
  });
  afterAll(async () => {
    await test.stop();
    await sink.close();
  });

  it('mails a known person a link to the public URL, never to the Host they were asked on', async () => {
    const response = await requestLink(base, 'Sam@Architect.example', {
      'x-forwarded-host': 'evil.example',
    });
    expect(response.status).toBe(200);
    const mail = await sink.waitFor(
      (m) => m.envelopeTo.includes('sam@architect.example'),
      'the login mail',
    );
    const link = new RegExp(`${PUBLIC_URL}/login/([0-9a-f]{64})`).exec(mail.parsed.text ?? '');
    expect(link).not.toBeNull();
    expect(mail.parsed.html).toContain(`href="${link![0]}"`);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');

    // The link signs in on this server (the public URL is the proxy's name for it).
    const confirm = await fetch(`${base}/login/${link![1]}`);
    const csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(await confirm.text())?.[1] ?? '';
    const cookie = confirm.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const signedIn = await fetch(`${base}/login/${link![1]}`, {
      method: 'POST',
      headers: { cookie, 'x-forwarded-proto': 'https' },
      body: new URLSearchParams({ _csrf: csrf }),
      redirect: 'manual',
    });
    expect(signedIn.status).toBe(303);
    const session = signedIn.headers.getSetCookie().find((c) => c.startsWith('docket_session='));
    // The trusted proxy said HTTPS, so the cookie may only travel over HTTPS.
    expect(session).toMatch(/; Secure/i);
  });

  it('keeps login mail out of every project log and project outbox', async () => {
    await requestLink(base, 'sam@architect.example', { 'x-forwarded-for': '192.0.2.10' });
    await sink.waitFor(
      (m) => m.envelopeTo.includes('sam@architect.example') && sink.messages.length >= 2,
      'a second login mail',
    );
    const rows = await test.service.db
      .selectFrom('outbox')
      .select(['project_id', 'kind', 'status', 'message_id'])
      .where('kind', '=', 'login-link')
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.project_id === SYSTEM_MAIL_PROJECT_ID)).toBe(true);
    const filed = await test.service.db
      .selectFrom('messages')
      .select('id')
      .where(
        'message_id',
        'in',
        rows.map((r) => r.message_id),
      )
      .execute();
    expect(filed).toEqual([]);
  });

  it('sends nothing to an address Docket does not know, and answers alike', async () => {
    const before = sink.messages.length;
    const response = await requestLink(base, 'stranger@elsewhere.example', {
      'x-forwarded-for': '192.0.2.11',
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Check your email');
    await test.service.delivery?.idle();
    expect(sink.messages.length).toBe(before);
  });

  it('counts requests per client by the address the trusted proxy forwards', async () => {
    const from = (address: string) => ({ 'x-forwarded-for': `203.0.113.99, ${address}` });
    for (let i = 0; i < 5; i += 1) {
      const ok = await requestLink(base, `person${i}@elsewhere.example`, from('198.51.100.7'));
      expect(ok.status).toBe(200);
    }
    const refused = await requestLink(base, 'person9@elsewhere.example', from('198.51.100.7'));
    expect(refused.status).toBe(429);
    // Another client behind the same proxy is not locked out by the first.
    const other = await requestLink(base, 'person9@elsewhere.example', from('198.51.100.8'));
    expect(other.status).toBe(200);
  });
});

describe('forwarded headers without TRUST_PROXY', () => {
  let test: TestService;
  let base: string;

  beforeAll(async () => {
    test = await startTestService();
    base = `http://127.0.0.1:${test.service.httpPort}`;
  });
  afterAll(() => test.stop());

  it('are not believed: a client cannot claim HTTPS or another address', async () => {
    const { url } = await issueLoginLink(
      test.service.db,
      { email: 'admin@owner.example', baseUrl: base },
      new Date(),
    );
    const confirm = await fetch(url);
    const csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(await confirm.text())?.[1] ?? '';
    const cookie = confirm.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const signedIn = await fetch(url, {
      method: 'POST',
      headers: { cookie, 'x-forwarded-proto': 'https' },
      body: new URLSearchParams({ _csrf: csrf }),
      redirect: 'manual',
    });
    const session = signedIn.headers.getSetCookie().find((c) => c.startsWith('docket_session='));
    expect(session).toBeDefined();
    expect(session).not.toMatch(/; Secure/i);

    // Changing X-Forwarded-For does not escape the per-client limit.
    for (let i = 0; i < 5; i += 1) {
      const headers = { 'x-forwarded-for': `198.51.100.${i}` };
      expect((await requestLink(base, `p${i}@elsewhere.example`, headers)).status).toBe(200);
    }
    const refused = await requestLink(base, 'p9@elsewhere.example', {
      'x-forwarded-for': '198.51.100.200',
    });
    expect(refused.status).toBe(429);
  });

  it('still keeps the login mail, as captured, in the outbox', async () => {
    const mail = await test.service.db
      .selectFrom('outbox')
      .select(['status', 'to_addresses'])
      .where('kind', '=', 'login-link')
      .execute();
    // Only the known administrator got a link; nothing can leave without a relay.
    expect(mail.every((m) => m.status === 'captured')).toBe(true);
  });
});
