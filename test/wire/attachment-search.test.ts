import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/auth/api-token.js';
import { issueLoginLink } from '../../src/auth/web-login-link.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { createProject } from '../../src/projects/project.repository.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import { ensureUser } from '../../src/users/user.repository.js';
import { createWebApp } from '../../src/web/app.js';
import { composeReply } from '../support/compose-reply.js';
import { docketEnv, runDocket } from '../support/docket-cli.js';
import { deliverAndFile } from '../support/journey.js';
import { docx } from '../support/office-files.js';
import { textPdf } from '../support/pdf-files.js';
import { testDatabaseKind } from '../support/test-db.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { signIn, WEB_BASE } from '../support/web-sign-in.js';

const DANA = 'dana@contractor.example';
const PM = 'pm@gc.example';
const SECRET = 'test-secret-test-secret-test-secret-0123';

interface MessagePageJson {
  items: {
    id: number;
    thread_id: number;
    attachment_matches: {
      attachment_id: number;
      filename: string | null;
      headline: { text: string; match: boolean }[];
    }[];
  }[];
}
interface ThreadJson {
  messages: {
    attachments: {
      filename: string | null;
      text: {
        state: string;
        kind: string | null;
        detail: string | null;
        pages: number | null;
      } | null;
    }[];
  }[];
}

describe(`searching attachments through the service, on ${testDatabaseKind}`, () => {
  let test: TestService;
  let app: ReturnType<typeof createWebApp>;
  let cookie = '';
  let token = '';

  const page = async (path: string) => {
    const response = await app.request(`${WEB_BASE}${path}`, { headers: { cookie } });
    expect(response.status, path).toBe(200);
    return response.text();
  };
  const api = async <T>(path: string) => {
    const response = await app.request(`${WEB_BASE}/api/projects/twr-a${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };
  /** Filed, then read: filing wakes the reader, which works behind it. */
  const deliver = async (to: string, raw: string) => {
    await deliverAndFile(test, DANA, to, raw);
    await test.service.texts?.idle();
  };

  beforeAll(async () => {
    test = await startTestService();
    const { db, blobs } = test.service;
    app = createWebApp({ db, blobs, version: 'test' });
    const project = await createProject(db, { code: 'twr-a', name: 'Tower A' });
    await saveWorkflow(db, {
      projectId: project.id,
      name: 'Default',
      specPrefix: null,
      steps: [['sam@architect.example']],
    });
    await issueLoginLink(db, { email: 'admin@owner.example', baseUrl: WEB_BASE }, new Date());
    await upsertMember(db, { projectId: project.id, email: PM, role: 'manager' });
    cookie = await signIn(db, app, PM);
    const { user } = await ensureUser(db, { email: PM });
    ({ token } = await createApiToken(db, { userId: user.id, name: 'test' }, new Date()));

    await deliver(
      'twr-a@docket.localhost',
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: 'twr-a@docket.localhost',
        subject: 'Concrete mix design',
        messageId: 'mix@contractor.example',
        body: 'See attached.',
        attachment: {
          filename: 'mix-design.pdf',
          content: await textPdf([['Podium slab concrete: 30 MPa at 28 days']]),
          contentType: 'application/pdf',
        },
      }),
    );
    await deliver(
      'twr-a+submittal@docket.localhost',
      composeReply({
        from: `Dana Fields <${DANA}>`,
        to: 'twr-a+submittal@docket.localhost',
        subject: '03 30 00 Curing compound',
        messageId: 'curing@contractor.example',
        body: 'Type: Product Data',
        attachment: {
          filename: 'curing-compound.docx',
          content: docx(['Membrane-forming curing compound, water-based, ASTM C309 Type 1']),
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        },
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await test?.stop();
  });

  it('the log finds the message by its PDF, names the file and marks the words in its text', async () => {
    const html = await page('/p/twr-a/log?q=podium+slab+30+MPa');
    expect(html).toContain('Concrete mix design');
    expect(html).not.toContain('Curing compound');
    expect(html).toMatch(
      /Found in <a href="\/p\/twr-a\/attachments\/\d+" download="">mix-design\.pdf<\/a>/,
    );
    expect(html).toContain(
      '<q class="headline"><mark>Podium</mark> <mark>slab</mark> concrete: <mark>30</mark> <mark>MPa</mark> at 28 days</q>',
    );
    // The search goes along to the thread, which marks the attachment and says its text was read.
    const thread = /href="(\/p\/twr-a\/threads\/\d+\?q=podium\+slab\+30\+MPa)"/.exec(html)?.[1];
    expect(thread).toBeDefined();
    const threadHtml = await page(thread ?? '');
    expect(threadHtml).toContain('<li class="matched">');
    expect(threadHtml).toContain('Text read, 1 page');
    expect(threadHtml).toContain('<mark>Podium</mark>');
  });

  it("the API's q finds it too, and says which attachment matched and where", async () => {
    const page = await api<MessagePageJson>('/messages?q=%2230+MPa%22');
    expect(page.items).toHaveLength(1);
    const [match] = page.items[0]?.attachment_matches ?? [];
    expect(match?.filename).toBe('mix-design.pdf');
    expect(match?.headline.filter((part) => part.match).map((part) => part.text)).toEqual([
      '30',
      'MPa',
    ]);
    const thread = await api<ThreadJson>(`/threads/${page.items[0]?.thread_id}`);
    expect(thread.messages[0]?.attachments[0]?.text).toEqual({
      state: 'extracted',
      kind: 'pdf',
      detail: null,
      pages: 1,
    });
  });

  it('the submittal register finds a submittal by the words of its documents', async () => {
    const html = await page('/p/twr-a/submittals?q=ASTM+C309');
    expect(html).toContain('03 30 00-001.0');
    // It says which document holds the words, and where.
    expect(html).toMatch(
      /Found in <a href="\/p\/twr-a\/attachments\/\d+" download="">curing-compound\.docx<\/a>/,
    );
    expect(html).toContain('water-based, <mark>ASTM</mark> <mark>C309</mark> Type 1');
    const none = await page('/p/twr-a/submittals?q=podium');
    expect(none).toContain('No submittals match these filters.');
    const rows = await api<{ items: { number: string }[] }>('/submittals?q=water-based');
    expect(rows.items.map((row) => row.number)).toEqual(['03 30 00-001.0']);
  });

  it('`docket reindex` reads again the attachments filed before Docket read attachments', async () => {
    const { db } = test.service;
    // As after the upgrade: the attachments are there, their text never read.
    await db.deleteFrom('attachment_texts').execute();
    expect(await page('/p/twr-a/log?q=podium')).toContain('No messages match these filters.');

    // The real command: it reaches this running service through its control socket (embedded
    // database), or opens PostgreSQL itself and reads with its own worker.
    const result = await runDocket(
      ['reindex', 'twr-a'],
      docketEnv({
        DOCKET_DATA_DIR: test.dataDir,
        DOCKET_SECRET: SECRET,
        LOG_LEVEL: 'silent',
        ...(test.service.config.databaseUrl
          ? { DATABASE_URL: test.service.config.databaseUrl }
          : {}),
      }),
    );
    expect(result.stderr).toBe('');
    // Three: the PDF, the submittal's document, and its copy in the "Action required" mail to the
    // reviewer, which Docket filed in the submittal's thread.
    expect(result.stdout).toBe(
      'Queued 3 attachments of twr-a; 3 to read.\n' +
        'twr-a: 3 attachments with text (1 PDF page), 0 without text (pictures, encrypted or unreadable files), 0 whose reading did not finish.\n',
    );
    expect(result.code).toBe(0);
    expect(await page('/p/twr-a/log?q=podium')).toContain('mix-design.pdf');
  });
});
