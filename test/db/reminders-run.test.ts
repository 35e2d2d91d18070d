import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.js';
import type { Db, Project } from '../../src/db/database.js';
import { SYSTEM_MAIL_PROJECT_ID } from '../../src/outbox/system-mail.js';
import { MailTemplates } from '../../src/outbox/templates.js';
import { upsertMember } from '../../src/projects/member.repository.js';
import { createProject } from '../../src/projects/project.repository.js';
import { pauseMemberReminders, resumeMemberReminders } from '../../src/reminders/member-pause.js';
import { runReminderJob } from '../../src/reminders/run-reminder-job.js';
import { saveWorkflow } from '../../src/submittals/workflow.repository.js';
import { ensureUser } from '../../src/users/user.repository.js';
import { composeReply } from '../support/compose-reply.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';
import {
  DANA,
  MAIL_DOMAIN,
  OWEN,
  SAM,
  receiveAt,
  reminderEnv,
  reminderMail,
  submitByMail,
  createTowerA,
} from './reminders-fixtures.js';

// Submitted Monday 2 November 2026: Sam's review is due at the end of Monday 16 November (10
// working days). On Tuesday 1 December it is 11 working days overdue.
const SUBMITTED = new Date('2026-11-02T10:00:00Z');
const DEC_1 = new Date('2026-12-01T07:05:00Z');
const DEC_2 = new Date('2026-12-02T07:05:00Z');

describe(`reminder runs on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let env: ReturnType<typeof reminderEnv>;
  let project: Project;

  beforeEach(async () => {
    database = await createTestDatabase();
    env = reminderEnv(database.db);
    project = await createTowerA(database.db, [[SAM], [OWEN]]);
    await submitByMail(env, project, 'Concrete mix design', SUBMITTED);
  });
  afterEach(async () => {
    await database.destroy();
  });

  const digest = (db: Db = database.db, now = DEC_1) =>
    runReminderJob(db, env.reminders, { job: 'digest' }, now);

  it('a submittal filed weeks ago puts one digest in the outbox for its reviewer, once', async () => {
    const report = await digest();
    expect(report.sent).toBe(1);
    const mail = await reminderMail(database.db, 'digest');
    expect(mail.map((m) => m.to_addresses)).toEqual([[SAM]]);
    const [sent] = mail;
    expect(sent?.subject).toBe('Daily digest Tue, 1 Dec 2026: 1 item waiting for you, 1 overdue');
    expect(sent?.text_body).toContain('03 30 00-001.0  Concrete mix design');
    expect(sent?.text_body).toContain('due Mon, 16 Nov 2026 (11 working days overdue)');
    expect(sent?.text_body).toMatch(/reply to: twr-a\+r-[a-z2-7]+@docket\.localhost/);
    expect(sent?.text_body).toMatch(/http:\/\/localhost:3000\/p\/twr-a\/threads\/\d+/);
    expect(sent?.html_body).toContain('11 working days overdue');
    const ledger = await database.db.selectFrom('reminders_sent').selectAll().execute();
    expect(ledger).toEqual([
      expect.objectContaining({
        job: 'digest',
        person: SAM,
        local_date: '2026-12-01',
        outbox_project_id: project.id,
        outbox_id: sent?.id,
        item_count: 1,
      }),
    ]);

    // Later ticks the same day, and a run after a restart, send nothing more.
    expect((await digest(database.db, new Date('2026-12-01T16:00:00Z'))).pending).toEqual([]);
    expect(await reminderMail(database.db, 'digest')).toHaveLength(1);
    // The next working day brings the next digest.
    expect((await digest(database.db, DEC_2)).sent).toBe(1);
  });

  it('two schedulers running at the same instant send each digest once', async () => {
    const other = await createProject(database.db, { code: 'twr-b', name: 'Tower B' });
    await saveWorkflow(database.db, {
      projectId: other.id,
      name: 'Default',
      specPrefix: null,
      steps: [['erin@engineer.example', SAM]],
    });
    await submitByMail(env, other, 'Rebar shop drawings', SUBMITTED);
    // On PostgreSQL a second pool: a second instance. Embedded, one connection is all there is.
    const second = database.url
      ? createDb({ databaseUrl: database.url, embeddedDir: 'unused' })
      : database.db;
    const secondEnv = reminderEnv(second);
    try {
      for (const now of [DEC_1, DEC_2]) {
        const reports = await Promise.all([
          runReminderJob(database.db, env.reminders, { job: 'digest' }, now),
          runReminderJob(second, secondEnv.reminders, { job: 'digest' }, now),
          runReminderJob(database.db, env.reminders, { job: 'digest' }, now),
        ]);
        expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(2);
      }
    } finally {
      if (second !== database.db) await second.destroy();
    }
    const mail = await reminderMail(database.db, 'digest');
    expect(mail.map((m) => m.to_addresses[0]).sort()).toEqual([
      'erin@engineer.example',
      'erin@engineer.example',
      SAM,
      SAM,
    ]);
    // Sam's one digest a day lists both projects.
    const sams = mail.filter((m) => m.to_addresses[0] === SAM);
    for (const m of sams) expect(m.text_body).toMatch(/Tower A[\s\S]*Tower B/);
    // Filed in neither project (each project's readers would see the other's items); Erin's
    // one-project digest is Tower B's.
    expect(sams.map((m) => m.project_id)).toEqual([SYSTEM_MAIL_PROJECT_ID, SYSTEM_MAIL_PROJECT_ID]);
    const erins = mail.filter((m) => m.to_addresses[0] !== SAM);
    expect(erins.map((m) => m.project_id)).toEqual([other.id, other.id]);
  });

  it('a crash between claim and send leaves nothing behind; the next run sends once', async () => {
    const broken = reminderEnv(database.db, new MailTemplates('/nonexistent-templates'));
    const crashed = await runReminderJob(database.db, broken.reminders, { job: 'digest' }, DEC_1);
    expect(crashed).toMatchObject({ sent: 0, failed: 1 });
    expect(await database.db.selectFrom('reminders_sent').selectAll().execute()).toEqual([]);
    expect(await reminderMail(database.db, 'digest')).toEqual([]);

    const later = new Date('2026-12-01T07:10:00Z');
    expect((await digest(database.db, later)).sent).toBe(1);
    expect((await digest(database.db, later)).sent).toBe(0);
    expect(await reminderMail(database.db, 'digest')).toHaveLength(1);
  });

  it('stops the moment the ball moves: Sam answers and gets no more digests', async () => {
    expect((await digest()).sent).toBe(1);
    const action = await database.db
      .selectFrom('outbox')
      .select(['reply_to', 'message_id'])
      .where('kind', '=', 'action-required')
      .where(sql<boolean>`${SAM} = any(to_addresses)`)
      .executeTakeFirstOrThrow();
    const replyTo = action.reply_to ?? '';
    await receiveAt(
      env,
      project.id,
      {
        from: SAM,
        to: replyTo,
        raw: composeReply({
          from: SAM,
          to: replyTo,
          subject: 'Re: review',
          inReplyTo: action.message_id,
          messageId: 'sam-approves@architect.example',
          body: 'APPROVED',
        }),
      },
      new Date('2026-12-01T09:00:00Z'),
    );
    const submittal = await database.db
      .selectFrom('submittals')
      .select('ball_in_court')
      .executeTakeFirstOrThrow();
    expect(submittal.ball_in_court).toEqual([OWEN]);
    // Owen's step is due in ten working days: not yet digest material. Sam owes nothing.
    expect((await digest(database.db, DEC_2)).pending).toEqual([]);
  });

  it('a paused member is skipped through the last paused date', async () => {
    await pauseMemberReminders(database.db, {
      projectId: project.id,
      email: SAM,
      until: '2026-12-01',
    });
    expect((await digest()).pending).toEqual([]);
    expect((await digest(database.db, DEC_2)).sent).toBe(1);
    await pauseMemberReminders(database.db, { projectId: project.id, email: SAM });
    expect((await digest(database.db, new Date('2026-12-03T07:05:00Z'))).pending).toEqual([]);
    await resumeMemberReminders(database.db, { projectId: project.id, email: SAM });
    expect((await digest(database.db, new Date('2026-12-03T07:05:00Z'))).sent).toBe(1);
  });

  it('a hard bounce of our mail marks the address undeliverable, and reminders skip it', async () => {
    const bounce = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.architect.example>',
      `To: twr-a+bounces@${MAIL_DOMAIN}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <bounce-1@mx.architect.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.architect.example',
      '',
      `Final-Recipient: rfc822; ${SAM}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
      '',
      '--b1--',
      '',
    ].join('\r\n');
    // A bounce naming someone this project never mailed marks nobody.
    const forged = bounce.replaceAll(SAM, 'ceo@client.example').replace('bounce-1@', 'forged-1@');
    for (const raw of [forged, bounce]) {
      await receiveAt(
        env,
        project.id,
        { from: '', to: `twr-a+bounces@${MAIL_DOMAIN}`, raw },
        new Date('2026-11-20T10:00:00Z'),
      );
    }
    const marked = await database.db.selectFrom('undeliverable_addresses').selectAll().execute();
    expect(marked).toEqual([
      expect.objectContaining({ email: SAM, reason: expect.stringContaining('5.1.1') as unknown }),
    ]);
    expect((await digest()).pending).toEqual([]);
  });

  it('escalates past the thresholds to managers, then administrators, naming the ball holder', async () => {
    await upsertMember(database.db, {
      projectId: project.id,
      email: 'pm@gc.example',
      role: 'manager',
    });
    await ensureUser(database.db, { email: 'admin@docket.example' });
    await database.db.updateTable('users').set({ is_admin: true }).execute();
    // 16 Nov due: on 19 Nov 3 working days overdue (managers); on 1 Dec 11 (administrators too).
    const escalate = (now: Date) =>
      runReminderJob(database.db, env.reminders, { job: 'escalation' }, now);
    expect((await escalate(new Date('2026-11-18T07:05:00Z'))).pending).toEqual([]);
    expect((await escalate(new Date('2026-11-19T07:05:00Z'))).sent).toBe(1);
    expect((await escalate(DEC_1)).sent).toBe(2);
    const mail = await reminderMail(database.db, 'escalation');
    expect(mail.map((m) => m.to_addresses[0])).toEqual([
      'pm@gc.example',
      'admin@docket.example',
      'pm@gc.example',
    ]);
    expect(mail[0]?.text_body).toContain(`ball in court: ${SAM}`);
    expect(mail[0]?.subject).toBe('Escalation Thu, 19 Nov 2026: 1 item overdue');
    expect(mail[1]?.text_body).toContain('11 working days overdue');
    // The submitter is told nothing by either job.
    const all = await database.db.selectFrom('reminders_sent').select('person').execute();
    expect(all.map((r) => r.person)).not.toContain(DANA);
  });
});
