import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db, Trx } from '../db/database.js';
import { hashToken, newToken } from './web-login.js';

/** A session lasts this long from sign-in (the cookie's Max-Age too). */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, not on every request. */
const LAST_SEEN_RESOLUTION_MS = 5 * 60 * 1000;

export interface SessionUser {
  id: number;
  email: string;
  name: string | null;
  isAdmin: boolean;
}

export interface WebSession {
  /** The SHA-256 of the cookie token, as stored. */
  id: string;
  csrfSecret: string;
  user: SessionUser;
}

/** Starts a session for a user; returns the token for the cookie (only its hash is stored). */
export async function createSession(db: Db | Trx, userId: number, now: Date): Promise<string> {
  const token = newToken();
  await db
    .insertInto('web_sessions')
    .values({
      id: hashToken(token),
      user_id: userId,
      csrf_secret: randomBytes(32).toString('hex'),
      created_at: now,
      expires_at: new Date(now.getTime() + SESSION_TTL_MS),
      last_seen_at: now,
    })
    .execute();
  return token;
}

/** The live session a cookie token names, with its user; marks it seen. */
export async function loadSession(db: Db, token: string, now: Date): Promise<WebSession | null> {
  if (!/^[0-9a-f]{64}$/.test(token)) return null;
  const row = await db
    .selectFrom('web_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.csrf_secret', 's.last_seen_at', 'u.id as user_id', 'u.email', 'u.name'])
    .select('u.is_admin')
    .where('s.id', '=', hashToken(token))
    .where('s.expires_at', '>', now)
    .executeTakeFirst();
  if (!row) return null;
  if (now.getTime() - row.last_seen_at.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db
      .updateTable('web_sessions')
      .set({ last_seen_at: now })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    id: row.id,
    csrfSecret: row.csrf_secret,
    user: { id: row.user_id, email: row.email, name: row.name, isAdmin: row.is_admin },
  };
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('id', '=', sessionId).execute();
}

/** The CSRF token every form of a session carries: an HMAC of the session's own secret. */
export function csrfTokenFor(csrfSecret: string): string {
  return createHmac('sha256', csrfSecret).update('docket-csrf-v1').digest('hex');
}

/** Constant-time comparison of two tokens. */
export function tokensEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
