import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../src/blobs/file-blob-store.js';
import { createProject } from '../../src/projects/project.repository.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { createWebApp } from '../../src/web/app.js';
import { storeAndFile } from '../support/deliver-raw.js';
import { signIn as signInAs } from '../support/web-sign-in.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';

const BASE = 'http://docket.test';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n');

const hostileHtml = crlf([
  'From: Ana Architect <ana@architect.example>',
  'To: a@docket.localhost',
  'Subject: Facade drawings',
  'Date: Mon, 02 Nov 2026 09:00:00 +0000',
  'Message-ID: <html-1@architect.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/related; boundary="rel"',
  '',
  '--rel',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>See the <b>drawings</b>.</p><script>alert(1)</script>',
  '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">click</a>',
  '<img src="https://tracker.example/pixel.png" alt="logo">',
  '<img src="cid:logo@architect.example">',
  '--rel',
  'Content-Type: image/png',
  'Content-Transfer-Encoding: base64',
  'Content-ID: <logo@architect.example>',
  'Content-Disposition: inline; filename="logo.png"',
  '',
  PNG.toString('base64'),
  '--rel--',
]);

const replyWithAttachments = crlf([
  'From: Ben Builder <ben@builder.example>',
  'To: a@docket.localhost',
  'Subject: Re: Facade drawings',
  'Date: Tue, 03 Nov 2026 10:00:00 +0000',
  'Message-ID: <reply-1@builder.example>',
  'In-Reply-To: <html-1@architect.example>',
  'References: <html-1@architect.example>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="mix"',
  '',
  '--mix',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Revised set attached.',
  '',
  'On Mon, 2 Nov 2026 at 09:00, Ana Architect <ana@architect.example> wrote:',
  '> See the drawings.',
  '> Quoted line that should be elided.',
  '--mix',
  'Content-Type: application/pdf',
  "Content-Disposition: attachment; filename*=UTF-8''evil%22%0D%0AX-Injected%3A%201.pdf",
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('%PDF-1.4 evil').toString('base64'),
  '--mix',
  'Content-Type: application/pdf',
  "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%20%C3%BC.pdf",
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('%PDF-1.4 resume').toString('base64'),
  '--mix',
  'Content-Type: text/html',
  'Content-Disposition: attachment; filename="page.html"',
  '',
  '<script>alert(4)</script>',
  '--mix--',
]);

describe(`the thread view and its downloads, on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let app: ReturnType<typeof createWebApp>;
  let dataDir: string;
  let threadId: number;
  let htmlMessageId: number;
  let member: string;
  let outsider: string;

  const signIn = (email: string) => signInAs(database.db, app, email);

  const get = (url: string, cookie: string) =>
    app.request(`${BASE}${url.replace(/&amp;/g, '&')}`, { headers: { cookie } });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), 'docket-web-thread-'));
    const blobs = new FileBlobStore(dataDir);
    app = createWebApp({ db: database.db, blobs, version: 'test' });
    const a = await createProject(database.db, { code: 'a', name: 'Project A' });
    const b = await createProject(database.db, { code: 'b', name: 'Project B' });
    // The first user is the administrator; the two people below are ordinary members.
    await issueLoginLink(database.db, { email: 'admin@owner.example', baseUrl: BASE }, new Date());
    await upsertMember(database.db, { projectId: a.id, email: 'member@a.example' });
    await upsertMember(database.db, { projectId: b.id, email: 'other@b.example' });
    const first = await storeAndFile(database.db, blobs, a.id, hostileHtml);
    const second = await storeAndFile(database.db, blobs, a.id, replyWithAttachments);
    expect(second.threadId).toBe(first.threadId);
    threadId = first.threadId;
    htmlMessageId = first.messageId;
    member = await signIn('member@a.example');
    outsider = await signIn('other@b.example');
  });
  afterAll(async () => {
    await database.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the thread oldest first, cleaned, with reasons and the quoted part folded', async () => {
    const response = await get(`/p/a/threads/${threadId}`, member);
    expect(response.status).toBe(200);
    const page = await response.text();
    const main = page.slice(page.indexOf('<main'));
    expect(main).not.toMatch(/<script/i);
    expect(main).not.toMatch(/onerror/i);
    expect(main).not.toMatch(/javascript:/i);
    expect(main).toContain('<b>drawings</b>');
    expect(main.indexOf('Ana Architect')).toBeLessThan(main.indexOf('Ben Builder'));
    // The remote image is blocked, and a link offers it.
    expect(main).not.toContain('tracker.example');
    expect(main).toContain('Remote images blocked');
    expect(main).toMatch(/href="[^"]*images=1/);
    // The cid image points at the attachment route.
    const cid = /<img src="(\/p\/a\/attachments\/\d+\?inline=1)"/.exec(main)?.[1];
    expect(cid).toBeDefined();
    const image = await get(cid ?? '', member);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);

    expect(main).toContain('Why filed here');
    expect(main).toMatch(/<span class="rule">[^<]+<\/span>/);
    const elided = /<details class="elided">([\s\S]*?)<\/details>/.exec(main)?.[1] ?? '';
    expect(elided).toContain('Quoted line that should be elided.');
    expect(main).toContain('Revised set attached.');
    expect(main).toContain('résumé ü.pdf');
    expect(main).toMatch(/SHA-256 <code>[0-9a-f]{64}<\/code>/);
  });

  it('loads remote images only when asked, and shows the plain text on request', async () => {
    const withImages = await (await get(`/p/a/threads/${threadId}?images=1`, member)).text();
    expect(withImages).toContain('src="https://tracker.example/pixel.png"');
    expect(withImages).not.toContain('Remote images blocked');
    const text = await (await get(`/p/a/threads/${threadId}?view=text`, member)).text();
    expect(text).toContain('Quoted line that should be elided.');
    expect(text).not.toContain('<details class="elided">');
  });

  it('serves attachments with safe headers', async () => {
    const rows = await database.db
      .selectFrom('attachments')
      .select(['id', 'filename', 'content_type'])
      .orderBy('id')
      .execute();
    const evil = rows.find((r) => r.filename?.startsWith('evil'));
    const resume = rows.find((r) => r.filename?.startsWith('r'));
    const html = rows.find((r) => r.content_type.startsWith('text/html'));
    expect(evil && resume && html).toBeTruthy();

    const evilResponse = await get(`/p/a/attachments/${evil?.id}`, member);
    expect(evilResponse.status).toBe(200);
    expect(evilResponse.headers.get('x-content-type-options')).toBe('nosniff');
    expect(evilResponse.headers.get('x-injected')).toBeNull();
    expect(evilResponse.headers.get('content-disposition')).toBe(
      `attachment; filename="evilX-Injected: 1.pdf"; filename*=UTF-8''evil%22%0D%0AX-Injected%3A%201.pdf`,
    );
    expect(await evilResponse.text()).toBe('%PDF-1.4 evil');

    const resumeResponse = await get(`/p/a/attachments/${resume?.id}`, member);
    expect(resumeResponse.headers.get('content-type')).toBe('application/pdf');
    expect(resumeResponse.headers.get('content-disposition')).toBe(
      `attachment; filename="r_sum_ _.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%C3%BC.pdf`,
    );

    const htmlResponse = await get(`/p/a/attachments/${html?.id}?inline=1`, member);
    expect(htmlResponse.headers.get('content-type')).toBe('application/octet-stream');
    expect(htmlResponse.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('serves the raw message byte for byte', async () => {
    const response = await get(`/p/a/messages/${htmlMessageId}/raw`, member);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('message/rfc822');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="[0-9a-f]{16}\.eml"/,
    );
    expect(Buffer.from(await response.arrayBuffer()).equals(hostileHtml)).toBe(true);
  });

  it('answers 404 alike to a member of another project, whichever code they use', async () => {
    const attachment = await database.db
      .selectFrom('attachments')
      .select('id')
      .executeTakeFirstOrThrow();
    const notFound = await (await get('/p/b/threads/999999', outsider)).text();
    for (const code of ['a', 'b']) {
      for (const url of [
        `/p/${code}/threads/${threadId}`,
        `/p/${code}/attachments/${attachment.id}`,
        `/p/${code}/messages/${htmlMessageId}/raw`,
      ]) {
        const response = await get(url, outsider);
        expect(response.status, url).toBe(404);
        expect(await response.text()).toBe(notFound);
      }
    }
    expect((await get('/p/a/threads/abc', member)).status).toBe(404);
    const anonymous = await app.request(`${BASE}/p/a/threads/${threadId}`);
    expect(anonymous.status).toBe(303);
  });
});
