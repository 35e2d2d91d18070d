import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/api/openapi.js';
import type { CommandContext } from '../../src/cli/commands/context.js';
import { tokenCreate, tokenList, tokenRevoke } from '../../src/cli/commands/token.js';
import type { Project } from '../../src/db/database.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { ensureUser } from '../../src/users/user.repository.js';
import { createWebApp } from '../../src/web/app.js';
import { composeReply } from '../support/compose-reply.js';
import { deliverAndFile } from '../support/journey.js';
import { createTestProject, startTestService, type TestService } from '../support/test-service.js';
import { testDatabaseKind } from '../support/test-db.js';

const BASE = 'http://docket.test';
const DANA = 'dana@contractor.example';
const pdf = (label: string) => Buffer.from(`%PDF-1.4\n% ${label}\n%%EOF\n`);

/** The parts of the API's answers the tests read (the OpenAPI document describes them all). */
interface ErrorJson {
  error: string;
}
interface Listed<T> {
  items: T[];
}
interface ProjectJson {
  code: string;
  role?: string;
}
interface MessageRowJson {
  id: number;
  thread_id: number;
  subject: string;
  received_at: string;
  attachment_count: number;
  thread_url: string;
}
interface MessagePageJson extends Listed<MessageRowJson> {
  next_cursor: string | null;
  prev_cursor: string | null;
}
interface AttachmentJson {
  id: number;
  filename: string | null;
  url: string;
}
interface ThreadJson {
  subject: string;
  messages: {
    new_text: string;
    elided_text: string;
    from: { address: string; name: string } | null;
    filing_reasons: { rule: string; detail: string }[];
    attachments: AttachmentJson[];
  }[];
}
interface SubmittalJson {
  title: string;
  project_id?: unknown;
  revisions: { documents: AttachmentJson[] }[];
  audit: unknown[];
}
interface TransmittalJson {
  recipients: { email: string }[];
  items: { url: string | null }[];
}
interface ItemJson {
  question: string;
  audit: { action: string }[];
}
interface OpenApiJson {
  openapi: string;
  paths: Record<
    string,
    { get?: { responses?: Record<string, unknown>; parameters?: { in: string; name: string }[] } }
  >;
  components: { securitySchemes: Record<string, unknown> };
}

describe(`the JSON API, on ${testDatabaseKind}`, () => {
  let test: TestService;
  let app: ReturnType<typeof createWebApp>;
  let a: Project;
  let b: Project;
  let output: string[];
  let ctx: CommandContext;
  let adminToken = '';
  let memberToken = '';
  /** Ids of project B's records, which a member of A must not reach by any path. */
  let bThread = 0;
  let bAttachment = 0;

  /** Runs a `docket token …` command function and returns what it printed. */
  const run = async (work: () => Promise<void>) => {
    output = [];
    await work();
    return output;
  };
  const createToken = async (email: string, name?: string) => {
    const lines = await run(() => tokenCreate(ctx, { email, ...(name ? { name } : {}) }));
    const token = lines.find((line) => line.startsWith('dkt_'));
    expect(token).toMatch(/^dkt_[A-Za-z0-9_-]{43}$/);
    return token ?? '';
  };
  const get = (path: string, token: string | null) =>
    app.request(`${BASE}${path}`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
  const getJson = async <T = ErrorJson>(path: string, token: string, status = 200): Promise<T> => {
    const response = await get(path, token);
    expect(response.status, path).toBe(status);
    expect(response.headers.get('content-type'), path).toContain('application/json');
    return (await response.json()) as T;
  };
  const deliver = (to: string, raw: string) => deliverAndFile(test, DANA, to, raw);

  beforeAll(async () => {
    test = await startTestService();
    app = createWebApp({ db: test.service.db, blobs: test.service.blobs, version: 'test' });
    ctx = {
      db: test.service.db,
      blobs: test.service.blobs,
      config: test.service.config,
      filing: test.service.filing,
      io: {
        out: (text) => output.push(text),
        progress: () => ({ tick: () => undefined, stop: () => undefined }),
      },
    };
    a = await createTestProject(test.service, 'a');
    b = await createTestProject(test.service, 'b');
    // The first user is the administrator.
    await ensureUser(test.service.db, { email: 'admin@owner.example' });
    await upsertMember(test.service.db, { projectId: a.id, email: 'member@a.example' });
    await upsertMember(test.service.db, { projectId: b.id, email: 'member@b.example' });

    // Project A: a conversation with a reply, an HTML attachment, a submittal, a transmittal, an RFI.
    await deliver(
      'a@docket.localhost',
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: 'a@docket.localhost',
        subject: 'Concrete pour schedule',
        messageId: 'pour-1@contractor.example',
        body: 'The pour moves to Thursday because of rain.',
        attachment: {
          filename: 'schedule.html',
          content: Buffer.from('<script>alert(1)</script>'),
          contentType: 'text/html',
        },
      }),
    );
    await deliver(
      'a@docket.localhost',
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: 'a@docket.localhost',
        subject: 'Re: Concrete pour schedule',
        inReplyTo: 'pour-1@contractor.example',
        messageId: 'pour-2@contractor.example',
        body: 'Thursday is confirmed.\r\n\r\nOn Mon, 2 Nov 2026, Dana wrote:\r\n> The pour moves to Thursday because of rain.',
      }),
    );
    for (let i = 0; i < 3; i++) {
      await deliver(
        'a@docket.localhost',
        composeReply({
          from: DANA,
          to: 'a@docket.localhost',
          subject: `Daily report ${i}`,
          messageId: `daily-${i}@contractor.example`,
          body: 'All quiet.',
        }),
      );
    }
    await deliver(
      'a+submittal@docket.localhost',
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: 'a+submittal@docket.localhost',
        subject: '03 30 00 Concrete mix design',
        messageId: 'sub-1@contractor.example',
        body: 'Type: Product Data\r\n\r\nMix design attached.',
        attachment: { filename: 'mix.pdf', content: pdf('mix'), contentType: 'application/pdf' },
      }),
    );
    await deliver(
      'a+transmittal@docket.localhost',
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: 'lee@steel.example',
        subject: '[FOR CONSTRUCTION] Level 3 slab',
        messageId: 'tr-1@contractor.example',
        body: 'Penetrations revised at grid C/4.',
        headers: { Cc: 'a+transmittal@docket.localhost' },
        attachment: { filename: 'slab.pdf', content: pdf('slab'), contentType: 'application/pdf' },
      }),
    );
    await deliver(
      'a+rfi@docket.localhost',
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: 'a+rfi@docket.localhost',
        subject: 'Door hardware at level 2',
        messageId: 'rfi-1@contractor.example',
        body: 'Which closer is specified for the stair doors?',
      }),
    );
    // Project B: a message with an attachment and a submittal of its own.
    await deliver(
      'b+submittal@docket.localhost',
      composeReply({
        from: DANA,
        to: 'b+submittal@docket.localhost',
        subject: '05 12 00 Secret steel',
        messageId: 'b-sub@contractor.example',
        body: 'Confidential.',
        attachment: { filename: 'steel.pdf', content: pdf('b'), contentType: 'application/pdf' },
      }),
    );
    const bMessage = await test.service.db
      .selectFrom('attachments')
      .innerJoin('messages', (join) =>
        join
          .onRef('messages.id', '=', 'attachments.message_id')
          .onRef('messages.project_id', '=', 'attachments.project_id'),
      )
      .select(['attachments.id', 'messages.thread_id'])
      .where('attachments.project_id', '=', b.id)
      .executeTakeFirstOrThrow();
    bThread = bMessage.thread_id;
    bAttachment = bMessage.id;

    adminToken = await createToken('admin@owner.example');
    memberToken = await createToken('member@a.example', 'scheduling sync');
  });
  afterAll(() => test.stop());

  it('refuses requests without a valid token, with a Bearer challenge and no cookie', async () => {
    for (const [token, invalid] of [
      [null, false],
      ['dkt_' + 'A'.repeat(43), true],
      ['not-even-a-token', true],
    ] as const) {
      const response = await get('/api/projects', token);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="docket"/);
      expect(response.headers.get('www-authenticate')?.includes('invalid_token')).toBe(invalid);
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(((await response.json()) as ErrorJson).error).toEqual(expect.any(String));
    }
    // A browser's session cookie is no way in.
    const withCookie = await app.request(`${BASE}/api/projects`, {
      headers: { cookie: 'docket_session=' + '0'.repeat(64) },
    });
    expect(withCookie.status).toBe(401);
  });

  it('acts as the token’s user: a member sees their project, an administrator every one', async () => {
    const mine = await getJson<Listed<ProjectJson>>('/api/projects', memberToken);
    expect(mine.items).toEqual([{ code: 'a', name: 'Project a', timezone: 'UTC' }]);
    const all = await getJson<Listed<ProjectJson>>('/api/projects', adminToken);
    expect(all.items.map((p) => p.code)).toEqual(['a', 'b']);

    const project = await getJson<ProjectJson>('/api/projects/a', memberToken);
    expect(project).toMatchObject({ code: 'a', role: 'member', counts: { submittals: 1 } });
    expect((await getJson<ProjectJson>('/api/projects/b', adminToken)).role).toBe('administrator');
    const bSubmittals = await getJson<Listed<SubmittalJson>>(
      '/api/projects/b/submittals',
      adminToken,
    );
    expect(bSubmittals.items.map((s) => s.title)).toEqual(['Secret steel']);

    const response = await get('/api/projects/a', memberToken);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('answers the same 404 for everything of a project the member is not in', async () => {
    const missing = await getJson('/api/projects/nope', memberToken, 404);
    const paths = [
      '/api/projects/b',
      '/api/projects/b/messages',
      `/api/projects/b/threads/${bThread}`,
      `/api/projects/b/attachments/${bAttachment}`,
      '/api/projects/b/submittals',
      '/api/projects/b/submittals/05-12-00-001',
      '/api/projects/b/transmittals',
      '/api/projects/b/items',
      // B's records named under the member's own project are not found there either.
      `/api/projects/a/threads/${bThread}`,
      `/api/projects/a/attachments/${bAttachment}`,
      '/api/projects/a/submittals/05-12-00-001',
      '/api/projects/a/threads/not-a-number',
      '/api/no-such-path',
    ];
    for (const path of paths) {
      const response = await get(path, memberToken);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('set-cookie'), path).toBeNull();
      expect(await response.json(), path).toEqual(missing);
    }
    // The administrator reaches the same thread and file.
    expect((await get(`/api/projects/b/threads/${bThread}`, adminToken)).status).toBe(200);
    expect((await get(`/api/projects/b/attachments/${bAttachment}`, adminToken)).status).toBe(200);
  });

  it('pages through the correspondence log with its cursors', async () => {
    const everything = await getJson<MessagePageJson>(
      '/api/projects/a/messages?limit=200',
      memberToken,
    );
    const total = everything.items.length;
    expect(total).toBeGreaterThanOrEqual(8);
    const seen: number[] = [];
    let page = await getJson<MessagePageJson>('/api/projects/a/messages?limit=3', memberToken);
    const first = page;
    expect(first.prev_cursor).toBeNull();
    for (let guard = 0; guard < 20; guard++) {
      seen.push(...page.items.map((row) => row.id));
      if (!page.next_cursor) break;
      page = await getJson<MessagePageJson>(
        `/api/projects/a/messages?limit=3&cursor=${encodeURIComponent(page.next_cursor ?? '')}`,
        memberToken,
      );
    }
    expect(seen).toEqual(everything.items.map((row) => row.id));
    expect(new Set(seen).size).toBe(total);

    const second = await getJson<MessagePageJson>(
      `/api/projects/a/messages?limit=3&cursor=${encodeURIComponent(first.next_cursor ?? '')}`,
      memberToken,
    );
    const back = await getJson<MessagePageJson>(
      `/api/projects/a/messages?limit=3&cursor=${encodeURIComponent(second.prev_cursor ?? '')}`,
      memberToken,
    );
    expect(back.items).toEqual(first.items);

    const row = everything.items.find((r) => r.subject === 'Concrete pour schedule');
    expect(row).toMatchObject({
      from_address: DANA,
      from_name: 'Dana Fields',
      attachment_count: 1,
      thread_url: `/api/projects/a/threads/${row?.thread_id}`,
    });
    expect(row?.received_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('filters the log as the web page does', async () => {
    const search = await getJson<MessagePageJson>(
      '/api/projects/a/messages?q=thursday',
      memberToken,
    );
    expect(search.items.map((r) => r.subject).sort()).toEqual([
      'Concrete pour schedule',
      'Re: Concrete pour schedule',
    ]);
    const withFiles = await getJson<MessagePageJson>(
      '/api/projects/a/messages?attachments=yes',
      memberToken,
    );
    expect(withFiles.items.every((r) => r.attachment_count > 0)).toBe(true);
    const submittalMail = await getJson<MessagePageJson>(
      '/api/projects/a/messages?type=submittal',
      memberToken,
    );
    expect(submittalMail.items.map((r) => r.subject)).toContain('03 30 00 Concrete mix design');
    const nobody = await getJson<MessagePageJson>(
      '/api/projects/a/messages?sender=%40nowhere.example',
      memberToken,
    );
    expect(nobody.items).toEqual([]);
  });

  it('answers 400 JSON for filters it cannot use', async () => {
    for (const path of [
      '/api/projects/a/messages?from=yesterday',
      '/api/projects/a/messages?cursor=not-a-cursor',
      '/api/projects/a/messages?sort=sideways',
      '/api/projects/a/messages?sender=nobody',
      '/api/projects/a/messages?limit=0',
      '/api/projects/a/messages?limit=ten',
      '/api/projects/a/messages?attachments=maybe',
      '/api/projects/a/messages?flag=shiny',
      '/api/projects/a/submittals?status=pending',
      '/api/projects/a/items?type=XYZ',
    ]) {
      const body = await getJson(path, memberToken, 400);
      expect(body.error, path).toMatch(/\w/);
    }
    const day = await getJson('/api/projects/a/messages?from=2026-13-40', memberToken, 400);
    expect(day.error).toContain('2026-11-02');
  });

  it('shows a thread with new and elided text, filing reasons and attachment links', async () => {
    const log = await getJson<MessagePageJson>('/api/projects/a/messages?q=thursday', memberToken);
    const threadUrl = log.items[0]?.thread_url ?? '';
    const thread = await getJson<ThreadJson>(threadUrl, memberToken);
    expect(thread.subject).toBe('Concrete pour schedule');
    expect(thread.messages).toHaveLength(2);
    const [original, reply] = thread.messages;
    expect(reply?.new_text).toContain('Thursday is confirmed.');
    expect(reply?.new_text).not.toContain('> The pour moves');
    expect(reply?.elided_text).toContain('The pour moves to Thursday');
    expect(reply?.filing_reasons.length).toBeGreaterThan(0);
    for (const reason of reply?.filing_reasons ?? []) {
      expect(reason.rule).toMatch(/\w/);
      expect(typeof reason.detail).toBe('string');
    }
    expect(original?.from).toEqual({ address: DANA, name: 'Dana Fields' });
    const [attachment] = original?.attachments ?? [];
    expect(attachment).toMatchObject({ filename: 'schedule.html', content_type: 'text/html' });
    expect(attachment?.url).toBe(`/api/projects/a/attachments/${attachment?.id}`);

    const file = await get(attachment?.url as string, memberToken);
    expect(file.status).toBe(200);
    // HTML is never served as HTML: a browser following the link would run it.
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('content-disposition')).toMatch(
      /^attachment; filename="schedule.html"/,
    );
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await file.text()).toBe('<script>alert(1)</script>');
  });

  it('serves the submittal register and one submittal with its documents', async () => {
    const register = await getJson<Listed<SubmittalJson & Record<string, unknown>>>(
      '/api/projects/a/submittals',
      memberToken,
    );
    expect(register.items).toHaveLength(1);
    const [row] = register.items;
    expect(row).toMatchObject({
      number: '03 30 00-001.0',
      slug: '03-30-00-001',
      title: 'Concrete mix design',
      type: 'Product Data',
      submitter: DANA,
    });
    const open = await getJson<Listed<SubmittalJson & Record<string, unknown>>>(
      '/api/projects/a/submittals?status=closed',
      memberToken,
    );
    expect(open.items).toEqual([]);

    const detail = await getJson<SubmittalJson>(
      '/api/projects/a/submittals/03-30-00-001',
      memberToken,
    );
    const spaced = await getJson<SubmittalJson>(
      '/api/projects/a/submittals/03%2030%2000-001.0',
      memberToken,
    );
    expect(spaced).toEqual(detail);
    expect(detail).toMatchObject({
      number: '03 30 00-001.0',
      seq: 1,
      title: 'Concrete mix design',
    });
    expect(detail.project_id).toBeUndefined();
    const documents = detail.revisions.flatMap((r) => r.documents);
    expect(documents.map((d) => d.filename)).toEqual(['mix.pdf']);
    const bytes = await get(documents[0]?.url ?? '', memberToken);
    expect(bytes.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await bytes.arrayBuffer())).toEqual(pdf('mix'));
    expect(detail.audit.length).toBeGreaterThan(0);
  });

  it('serves transmittals and items, with their files', async () => {
    const log = await getJson<Listed<TransmittalJson>>('/api/projects/a/transmittals', memberToken);
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ number: 'TR-0001', purpose: 'For Construction' });
    expect(log.items[0]?.recipients.map((r) => r.email)).toContain('lee@steel.example');

    const transmittal = await getJson<TransmittalJson>(
      '/api/projects/a/transmittals/TR-0001',
      memberToken,
    );
    expect(transmittal).toMatchObject({ number: 'TR-0001', subject: 'Level 3 slab' });
    const [item] = transmittal.items;
    expect(item).toMatchObject({ file_name: 'slab.pdf', downloadable: true });
    const file = await get(item?.url as string, memberToken);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(pdf('slab'));
    expect(item?.url).toBe('/api/projects/a/transmittals/TR-0001/items/0');
    for (const path of [
      '/api/projects/a/transmittals/TR-0002',
      '/api/projects/a/transmittals/TR-0001/items/1',
      '/api/projects/a/transmittals/TR-0001/items/00',
    ]) {
      expect((await get(path, memberToken)).status, path).toBe(404);
    }

    const items = await getJson<Listed<ItemJson>>('/api/projects/a/items?type=RFI', memberToken);
    expect(items.items).toHaveLength(1);
    expect(items.items[0]).toMatchObject({ number: 'RFI-001', status: 'open', asker: DANA });
    expect(
      (await getJson<Listed<ItemJson>>('/api/projects/a/items?type=NOT', memberToken)).items,
    ).toEqual([]);
    const rfi = await getJson<ItemJson>('/api/projects/a/items/RFI-001', memberToken);
    expect(rfi).toMatchObject({ number: 'RFI-001', seq: 1, subject: 'Door hardware at level 2' });
    expect(rfi.question).toContain('Which closer');
    expect(rfi.audit.map((e) => e.action)).toContain('opened');
  });

  it('lists and revokes tokens with the command; a revoked token answers 401', async () => {
    const token = await createToken('member@a.example', 'to revoke');
    expect((await get('/api/projects', token)).status).toBe(200);
    const listed = await run(() => tokenList(ctx, { email: 'member@a.example' }));
    expect(listed).toHaveLength(2);
    expect(listed[0]).toContain('to revoke');
    expect(listed[0]).toContain(token.slice(0, 12));
    expect(listed[0]).toMatch(/last used \d{4}-/);
    expect(listed.join('\n')).not.toContain(token);

    const revoked = await run(() => tokenRevoke(ctx, { token: token.slice(0, 12) }));
    expect(revoked[0]).toMatch(/^Revoked API token \d+/);
    const response = await get('/api/projects', token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await run(() => tokenList(ctx, { email: 'member@a.example' })))[0]).toContain(
      'REVOKED',
    );
    // The member's other token still works.
    expect((await get('/api/projects', memberToken)).status).toBe(200);
    // Only the hash is stored.
    const stored = await test.service.db.selectFrom('api_tokens').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('refuses a token for someone it does not know', async () => {
    await expect(tokenCreate(ctx, { email: 'stranger@nowhere.example' })).rejects.toThrow(
      /not a user or a member/,
    );
    await expect(tokenRevoke(ctx, { token: 'dkt_zzzzzzzz' })).rejects.toThrow(/no API token/);
  });

  it('publishes an OpenAPI document that lists every route the API serves', async () => {
    const response = await app.request(`${BASE}/api/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenApiJson;
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(document).toEqual(JSON.parse(JSON.stringify(openApiDocument)));

    // The routes as the app serves them, so a route added without documenting it fails here.
    const served = app.routes
      .filter((route) => route.method === 'GET' && route.path.startsWith('/api/'))
      .map((route) => route.path.slice('/api'.length).replace(/:(\w+)/g, '{$1}'));
    expect(new Set(served).size).toBe(served.length);
    expect([...served].sort()).toEqual(Object.keys(document.paths).sort());

    for (const [path, item] of Object.entries(document.paths)) {
      expect(item.get?.responses?.['200'], path).toBeDefined();
      const named = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (item.get?.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => p.name);
      expect(declared, path).toEqual(named);
    }
    // Every reference points at something the document defines.
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      const target = (ref ?? '')
        .split('/')
        .reduce<unknown>(
          (node, key) =>
            node !== null && typeof node === 'object'
              ? (node as Record<string, unknown>)[key]
              : undefined,
          document,
        );
      expect(target, ref).toBeDefined();
    }
  });
});
