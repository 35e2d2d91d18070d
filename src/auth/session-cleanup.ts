import type { Db } from '../db/database.js';
import { LOGIN_REQUEST_WINDOW_MS } from './web-login.js';

/**
 * Spent login tokens are kept this long after they were used or expired, so a question about a
 * recent sign-in (was the link used, and when?) can still be answered from the table.
 */
export const SPENT_LOGIN_TOKEN_GRACE_MS = 24 * 60 * 60 * 1000;

export interface SessionCleanupReport {
  sessions: number;
  loginTokens: number;
  loginRequests: number;
}

/**
 * Deletes what can no longer sign anyone in: expired web sessions, login tokens used or expired
 * more than a day ago, and login-link requests older than the rate-limit window (they no longer
 * count against anyone). Idempotent, so any number of instances may run it at once.
 */
export async function cleanUpSessions(db: Db, now: Date): Promise<SessionCleanupReport> {
  const spentBefore = new Date(now.getTime() - SPENT_LOGIN_TOKEN_GRACE_MS);
  const requestsBefore = new Date(now.getTime() - LOGIN_REQUEST_WINDOW_MS);
  const sessions = await db
    .deleteFrom('web_sessions')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  const loginTokens = await db
    .deleteFrom('login_tokens')
    .where((eb) => eb.or([eb('expires_at', '<', spentBefore), eb('used_at', '<', spentBefore)]))
    .executeTakeFirst();
  const loginRequests = await db
    .deleteFrom('login_requests')
    .where('requested_at', '<', requestsBefore)
    .executeTakeFirst();
  return {
    sessions: Number(sessions.numDeletedRows),
    loginTokens: Number(loginTokens.numDeletedRows),
    loginRequests: Number(loginRequests.numDeletedRows),
  };
}
