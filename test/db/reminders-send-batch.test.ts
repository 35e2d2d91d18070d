import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/create-db.js';
import type { Project } from '../../src/db/database.js';
import { digestsDue } from '../../src/reminders/due-reminders.js';
import {
  loadReminderState,
  reminderHorizon,
  reminderProject,
} from '../../src/reminders/load-reminder-state.js';
import type { DueReminder } from '../../src/reminders/reminder-model.js';
import { sendReminders } from '../../src/reminders/send-reminders.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';
import {
  OWEN,
  SAM,
  reminderEnv,
  reminderMail,
  submitByMail,
  createTowerA,
} from './reminders-fixtures.js';

// Submitted Monday 2 November 2026, reviewed by Sam and Owen in parallel: due at the end of Monday
// 16 November (10 working days); on Tuesday 1 December both are overdue.
const SUBMITTED = new Date('2026-11-02T10:00:00Z');
const DEC_1 = new Date('2026-12-01T07:05:00Z');

describe(`sending reminders in groups on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let env: ReturnType<typeof reminderEnv>;
  let project: Project;

  beforeEach(async () => {
    database = await createTestDatabase();
    env = reminderEnv(database.db);
    project = await createTowerA(database.db, [[SAM, OWEN]]);
    await submitByMail(env, project, 'Concrete mix design', SUBMITTED);
  });
  afterEach(async () => {
    await database.destroy();
  });

  const dueAt = async (now: Date) => digestsDue(await loadReminderState(database.db, now), now);
  const ledger = () =>
    database.db.selectFrom('reminders_sent').select('person').orderBy('person').execute();

  it('a reminder that fails is rolled back alone; the others of its transaction are sent', async () => {
    const [owen, sam] = await dueAt(DEC_1);
    if (!owen || !sam) throw new Error('expected digests for Owen and Sam');
    expect([owen.person, sam.person]).toEqual([OWEN, SAM]);
    // No section for its home project: composing it throws after its claim was written.
    const broken: DueReminder = { ...owen, homeProjectId: project.id + 1000 };

    expect(await sendReminders(database.db, env.reminders, [broken, sam], DEC_1)).toEqual({
      sent: 1,
      alreadySent: 0,
      failed: 1,
    });
    expect(await ledger()).toEqual([{ person: SAM }]);
    expect((await reminderMail(database.db, 'digest')).map((m) => m.to_addresses)).toEqual([[SAM]]);

    // The next run sends Owen's and finds Sam's taken.
    expect(await sendReminders(database.db, env.reminders, [owen, sam], DEC_1)).toEqual({
      sent: 1,
      alreadySent: 1,
      failed: 0,
    });
    expect(await ledger()).toEqual([{ person: OWEN }, { person: SAM }]);
  });

  it('many reminders over several transactions, raced by a second run, each go out once', async () => {
    const [, sam] = await dueAt(DEC_1);
    if (!sam) throw new Error("expected Sam's digest");
    const people = Array.from(
      { length: 60 },
      (_, i) => `person${String(i).padStart(2, '0')}@x.example`,
    );
    const many = people.map((person) => ({ ...sam, person }));
    const second = database.url
      ? createDb({ databaseUrl: database.url, embeddedDir: 'unused' })
      : database.db;
    try {
      const outcomes = await Promise.all([
        sendReminders(database.db, env.reminders, many, DEC_1),
        sendReminders(second, reminderEnv(second).reminders, many, DEC_1),
      ]);
      expect(outcomes.reduce((n, o) => n + o.sent, 0)).toBe(60);
      expect(outcomes.reduce((n, o) => n + o.alreadySent, 0)).toBe(60);
      expect(outcomes.every((o) => o.failed === 0)).toBe(true);
    } finally {
      if (second !== database.db) await second.destroy();
    }
    expect((await ledger()).map((r) => r.person)).toEqual(people);
    const mail = await reminderMail(database.db, 'digest');
    expect(mail.map((m) => m.to_addresses[0]).sort()).toEqual(people);
  });

  it('reads only obligations a reminder at that instant could name', async () => {
    // A second submittal on Wednesday 25 November falls due Wednesday 9 December: beyond Tuesday
    // 1 December's horizon (the end of Friday 4 December, three working days on).
    await submitByMail(env, project, 'Rebar shop drawings', new Date('2026-11-25T10:00:00Z'));
    expect(reminderHorizon([reminderProject(project)], DEC_1)).toEqual(
      new Date('2026-12-04T23:59:59.999Z'),
    );
    const all = await loadReminderState(database.db);
    const atDec1 = await loadReminderState(database.db, DEC_1);
    expect(all.obligations.map((o) => o.title).sort()).toEqual([
      'Concrete mix design',
      'Concrete mix design',
      'Rebar shop drawings',
      'Rebar shop drawings',
    ]);
    expect(atDec1.obligations.map((o) => o.title)).toEqual([
      'Concrete mix design',
      'Concrete mix design',
    ]);
    // On Monday 7 December the second is due within two working days, so it is read again.
    const dec7 = new Date('2026-12-07T07:05:00Z');
    const lines = (await dueAt(dec7)).flatMap((r) => r.sections.flatMap((s) => s.lines));
    expect(lines.map((l) => l.obligation.title).sort()).toEqual([
      'Concrete mix design',
      'Concrete mix design',
      'Rebar shop drawings',
      'Rebar shop drawings',
    ]);
  });
});
