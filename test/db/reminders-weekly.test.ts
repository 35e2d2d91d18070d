import { extractText } from 'unpdf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.js';
import type { Db, OutboxAttachment, Project } from '../../src/db/database.js';
import { SYSTEM_MAIL_PROJECT_ID } from '../../src/outbox/system-mail.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { createProject } from '../../src/projects/project.repository.js';
import { pauseMemberReminders } from '../../src/reminders/member-pause.js';
import { runReminderJob } from '../../src/reminders/run-reminder-job.js';
import { composeReply } from '../support/compose-reply.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';
import {
  DANA,
  MAIL_DOMAIN,
  SAM,
  receiveAt,
  reminderEnv,
  submitByMail,
  createTowerA,
} from './reminders-fixtures.js';

// Submitted Monday 2 November 2026: Sam's review was due at the end of Monday 16 November. On
// Monday 30 November, the week's first working day, it is 10 working days overdue.
const SUBMITTED = new Date('2026-11-02T10:00:00Z');
const MONDAY = new Date('2026-11-30T07:05:00Z');
const PM = 'pm@gc.example';

describe(`the weekly summary on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let env: ReturnType<typeof reminderEnv>;
  let project: Project;

  beforeEach(async () => {
    database = await createTestDatabase();
    env = reminderEnv(database.db);
    project = await createTowerA(database.db, [[SAM]]);
    await upsertMember(database.db, {
      projectId: project.id,
      email: PM,
      name: 'Pat Manager',
      role: 'manager',
    });
    await upsertMember(database.db, { projectId: project.id, email: SAM, name: 'Sam Archer' });
    await submitByMail(env, project, 'Concrete mix design', SUBMITTED);
  });
  afterEach(async () => {
    await database.destroy();
  });

  const weekly = (now: Date, db: Db = database.db, e = env) =>
    runReminderJob(db, e.reminders, { job: 'weekly' }, now);

  const weeklyMail = () =>
    database.db
      .selectFrom('outbox')
      .select(['project_id', 'to_addresses', 'subject', 'text_body', 'html_body', 'attachments'])
      .where('kind', '=', 'weekly')
      .orderBy('id')
      .execute();

  /** The text of each page of a mail's attached PDF, read back from the blob store. */
  async function pdfPages(attachments: OutboxAttachment[]): Promise<string[]> {
    expect(attachments).toEqual([
      {
        filename: 'Weekly summary 2026-11-30.pdf',
        contentType: 'application/pdf',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      },
    ]);
    const bytes = await env.blobs.read(attachments[0]?.sha256 ?? '');
    const { text } = await extractText(new Uint8Array(bytes), { mergePages: false });
    return text.map((page) => page.normalize('NFC'));
  }

  it("mails the manager on Monday morning with counts, the oldest overdue and the chart's PDF, once", async () => {
    // One message filed in the week before (23–29 November), one this week: only the first counts.
    for (const [subject, at] of [
      ['Site access on Thursday', '2026-11-25T09:00:00Z'],
      ['Crane booking', '2026-11-30T06:00:00Z'],
    ] as const) {
      const to = `twr-a@${MAIL_DOMAIN}`;
      await receiveAt(
        env,
        project.id,
        {
          from: DANA,
          to,
          raw: composeReply({
            from: `Dana Fields <${DANA}>`,
            to,
            subject,
            messageId: `${subject.replace(/\W+/g, '-')}@contractor.example`,
            body: 'See you there.',
          }),
        },
        new Date(at),
      );
    }
    expect((await weekly(new Date('2026-11-30T06:55:00Z'))).pending).toEqual([]);
    const report = await weekly(MONDAY);
    expect(report.sent).toBe(1);

    const [mail, ...others] = await weeklyMail();
    expect(others).toEqual([]);
    expect(mail?.to_addresses).toEqual([PM]);
    expect(mail?.project_id).toBe(project.id);
    expect(mail?.subject).toBe('Weekly summary, week of Mon 30 Nov 2026: Tower A, 1 item overdue');
    const text = mail?.text_body ?? '';
    expect(text).toMatch(/Open submittals: +1\n/);
    expect(text).toMatch(/Overdue submittals: +1\n/);
    expect(text).toMatch(/Open RFIs and items: +0\n/);
    expect(text).toMatch(/Transmittals awaiting acknowledgement: +0\n/);
    expect(text).toMatch(/Messages filed last week: +1\n/);
    expect(text).toContain('03 30 00-001.0  Concrete mix design');
    expect(text).toContain('ball in court: Sam Archer (10 working days overdue)');
    expect(text).toContain('Dashboard: http://localhost:3000/p/twr-a\n');
    expect(mail?.html_body).toContain(
      '<a href="http://localhost:3000/p/twr-a">Open the dashboard</a>',
    );

    const [page, ...more] = await pdfPages(mail?.attachments ?? []);
    expect(more).toEqual([]);
    expect(page).toContain('Tower A');
    expect(page).toContain('For Pat Manager');
    expect(page).toContain('Overdue by ball in court');
    expect(page).toContain('Sam Archer');
    expect(page).toContain('Concrete mix design');

    // Later ticks that week send nothing more; the next Monday brings the next summary.
    expect((await weekly(new Date('2026-11-30T16:00:00Z'))).pending).toEqual([]);
    expect((await weekly(new Date('2026-12-03T07:05:00Z'))).pending).toEqual([]);
    expect(await weeklyMail()).toHaveLength(1);
    expect((await weekly(new Date('2026-12-07T07:05:00Z'))).sent).toBe(1);
    // Nobody but the manager was sent one: not the reviewer holding the ball, not the submitter.
    const ledger = await database.db
      .selectFrom('reminders_sent')
      .select(['person', 'local_date', 'item_count'])
      .where('job', '=', 'weekly')
      .orderBy('local_date')
      .execute();
    expect(ledger).toEqual([
      { person: PM, local_date: '2026-11-30', item_count: 1 },
      { person: PM, local_date: '2026-12-07', item_count: 1 },
    ]);
  });

  it('two schedulers running at the same instant send each summary once', async () => {
    const second = database.url
      ? createDb({ databaseUrl: database.url, embeddedDir: 'unused' })
      : database.db;
    const secondEnv = reminderEnv(second);
    try {
      const reports = await Promise.all([weekly(MONDAY), weekly(MONDAY, second, secondEnv)]);
      expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(1);
      expect(reports.reduce((n, r) => n + r.failed, 0)).toBe(0);
    } finally {
      if (second !== database.db) await second.destroy();
    }
    expect(await weeklyMail()).toHaveLength(1);
  });

  it('a Monday holiday moves the summary to Tuesday morning', async () => {
    await database.db
      .updateTable('projects')
      .set({ holidays: ['2026-11-30'] })
      .where('id', '=', project.id)
      .execute();
    expect((await weekly(new Date('2026-11-30T12:00:00Z'))).pending).toEqual([]);
    expect((await weekly(new Date('2026-12-01T06:55:00Z'))).pending).toEqual([]);
    expect((await weekly(new Date('2026-12-01T07:05:00Z'))).sent).toBe(1);
    const ledger = await database.db.selectFrom('reminders_sent').select('local_date').execute();
    expect(ledger).toEqual([{ local_date: '2026-12-01' }]);
  });

  it("follows the project's own Monday morning in New York", async () => {
    await database.db
      .updateTable('projects')
      .set({ timezone: 'America/New_York' })
      .where('id', '=', project.id)
      .execute();
    // 07:05 UTC on Monday is 02:05 in New York; the morning comes at 12:00 UTC.
    expect((await weekly(MONDAY)).pending).toEqual([]);
    expect((await weekly(new Date('2026-11-30T12:05:00Z'))).sent).toBe(1);
    const ledger = await database.db.selectFrom('reminders_sent').select('local_date').execute();
    expect(ledger).toEqual([{ local_date: '2026-11-30' }]);
  });

  it('a manager of two projects gets one summary as Docket mail, a PDF page per project', async () => {
    const wharf = await createProject(database.db, {
      code: 'wharf',
      name: 'Harbour Wharf',
      timezone: 'Australia/Sydney',
    });
    await upsertMember(database.db, { projectId: wharf.id, email: PM, role: 'manager' });
    // A manager paused in a project (out of office) hears nothing about it.
    await upsertMember(database.db, {
      projectId: wharf.id,
      email: 'away@gc.example',
      role: 'manager',
    });
    await pauseMemberReminders(database.db, { projectId: wharf.id, email: 'away@gc.example' });

    expect((await weekly(MONDAY)).sent).toBe(1);
    const [mail, ...others] = await weeklyMail();
    expect(others).toEqual([]);
    expect(mail?.to_addresses).toEqual([PM]);
    expect(mail?.project_id).toBe(SYSTEM_MAIL_PROJECT_ID);
    expect(mail?.text_body).toMatch(/Tower A \(twr-a\)[\s\S]*Harbour Wharf \(wharf\)/);
    const pages = await pdfPages(mail?.attachments ?? []);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('Tower A');
    expect(pages[1]).toContain('Harbour Wharf');
    expect(pages[1]).toContain('Nothing is overdue.');
  });
});
