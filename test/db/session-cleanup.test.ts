import cron from 'node-cron';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUpSessions } from '../../src/auth/session-cleanup.js';
import {
  consumeLoginToken,
  hashToken,
  issueLoginToken,
  isLoginTokenUsable,
  recordLoginRequest,
} from '../../src/auth/web-login.js';
import { createSession, loadSession, SESSION_TTL_MS } from '../../src/auth/web-session.js';
import { scheduledJobs } from '../../src/scheduler/jobs.js';
import { ensureUser } from '../../src/users/user.repository.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/test-db.js';
import { reminderEnv } from './reminders-fixtures.js';

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;
/** When the cleanup runs. */
const NOW = new Date('2026-12-01T03:17:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe(`deleting expired sessions and spent login links, on ${testDatabaseKind}`, () => {
  let database: TestDatabase;
  const live: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    const { db } = database;
    const { user } = await ensureUser(db, { email: 'dana@contractor.example' });

    // Sessions last SESSION_TTL_MS from sign-in.
    await createSession(db, user.id, ago(SESSION_TTL_MS + DAY)); // expired yesterday
    await createSession(db, user.id, ago(SESSION_TTL_MS)); // expires this instant
    live.session = await createSession(db, user.id, ago(SESSION_TTL_MS - MINUTE));
    live.newSession = await createSession(db, user.id, ago(MINUTE));

    // Login tokens: used two days ago, expired unused two days ago, used an hour ago, still fresh.
    const usedLongAgo = await issueLoginToken(db, 'dana@contractor.example', ago(2 * DAY));
    await consumeLoginToken(db, usedLongAgo, ago(2 * DAY - MINUTE));
    await issueLoginToken(db, 'old@contractor.example', ago(2 * DAY));
    live.usedRecently = await issueLoginToken(db, 'dana@contractor.example', ago(60 * MINUTE));
    await consumeLoginToken(db, live.usedRecently, ago(59 * MINUTE));
    live.token = await issueLoginToken(db, 'new@contractor.example', ago(MINUTE));

    // Login requests: one inside the rate-limit window, one outside it (recorded second, since
    // recording a request prunes those older than its own window).
    await recordLoginRequest(
      db,
      { email: 'new@contractor.example', clientAddress: null },
      ago(MINUTE),
    );
    await recordLoginRequest(
      db,
      { email: 'old@contractor.example', clientAddress: null },
      ago(DAY),
    );
  });
  afterAll(() => database.destroy());

  const count = async (table: 'web_sessions' | 'login_tokens' | 'login_requests') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('removes what can no longer sign anyone in and keeps the rest working', async () => {
    const { db } = database;
    expect([await count('web_sessions'), await count('login_tokens')]).toEqual([4, 4]);
    expect(await count('login_requests')).toBe(2);

    const report = await cleanUpSessions(db, NOW);
    expect(report).toEqual({ sessions: 2, loginTokens: 2, loginRequests: 1 });

    expect(await loadSession(db, live.session!, NOW)).not.toBeNull();
    expect(await loadSession(db, live.newSession!, NOW)).not.toBeNull();
    expect(await isLoginTokenUsable(db, live.token!, NOW)).toBe(true);
    const kept = await db.selectFrom('login_tokens').select('token_hash').execute();
    expect(kept.map((t) => t.token_hash).sort()).toEqual(
      [hashToken(live.usedRecently!), hashToken(live.token!)].sort(),
    );
    const requests = await db.selectFrom('login_requests').select('email').execute();
    expect(requests.map((r) => r.email)).toEqual(['new@contractor.example']);
  });

  it('changes nothing when run again, and runs daily as the scheduled sessions job', async () => {
    expect(await cleanUpSessions(database.db, NOW)).toEqual({
      sessions: 0,
      loginTokens: 0,
      loginRequests: 0,
    });
    const job = scheduledJobs({
      db: database.db,
      reminders: reminderEnv(database.db).reminders,
      delivery: null,
      log: pino({ level: 'silent' }),
    }).find((j) => j.name === 'sessions');
    expect(job).toBeDefined();
    expect(cron.validate(job!.cron)).toBe(true);
    // A month later every session above has expired and every token is spent.
    await job!.run(new Date(NOW.getTime() + SESSION_TTL_MS));
    expect([await count('web_sessions'), await count('login_tokens')]).toEqual([0, 0]);
    expect(await count('login_requests')).toBe(0);
  });
});
