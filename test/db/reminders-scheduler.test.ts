import cron from 'node-cron';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/db/database.js';
import { scheduledJobs } from '../../src/scheduler/jobs.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';
import {
  SAM,
  reminderEnv,
  reminderMail,
  submitByMail,
  createTowerA,
} from './reminders-fixtures.js';

describe(`the jobs docket serve schedules, on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  let env: ReturnType<typeof reminderEnv>;
  let project: Project;
  beforeAll(async () => {
    database = await createTestDatabase();
    env = reminderEnv(database.db);
    project = await createTowerA(database.db, [[SAM]]);
    await submitByMail(env, project, 'Waterproofing', new Date('2026-11-02T10:00:00Z'));
  });
  afterAll(() => database.destroy());

  const jobs = () =>
    scheduledJobs({
      db: database.db,
      reminders: env.reminders,
      delivery: null,
      log: pino({ level: 'silent' }),
    });

  it('schedules the digest and the escalation on valid cron expressions; no relay, no outbox job', () => {
    expect(jobs().map((job) => job.name)).toEqual(['digest', 'escalation', 'weekly', 'sessions']);
    for (const job of jobs()) expect(cron.validate(job.cron)).toBe(true);
  });

  it('a tick is a run at the tick time: every tick of a morning sends the digest once', async () => {
    const digest = jobs().find((job) => job.name === 'digest');
    for (const at of ['06:55', '07:00', '07:05', '07:10', '12:00']) {
      await digest?.run(new Date(`2026-12-01T${at}:00Z`));
    }
    expect((await reminderMail(database.db, 'digest')).map((m) => m.to_addresses)).toEqual([[SAM]]);
  });
});
