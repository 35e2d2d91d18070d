import { createHash, randomBytes } from 'node:crypto';
import type { Db, Trx } from '../db/database.js';

/** A login link works once, for this long. */
export const LOGIN_TOKEN_TTL_MS = 15 * 60 * 1000;
/** At most this many link requests per email, and per client address, in the window. */
export const LOGIN_REQUEST_LIMIT = 5;
export const LOGIN_REQUEST_WINDOW_MS = 15 * 60 * 1000;

/** SHA-256 in hex: what the database keeps of every login and session token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A fresh random token: 32 bytes, hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Issues a single-use login token for an address; returns the token (only its hash is stored). */
export async function issueLoginToken(db: Db | Trx, email: string, now: Date): Promise<string> {
  const token = newToken();
  await db
    .insertInto('login_tokens')
    .values({
      token_hash: hashToken(token),
      email,
      created_at: now,
      expires_at: new Date(now.getTime() + LOGIN_TOKEN_TTL_MS),
      used_at: null,
    })
    .execute();
  return token;
}

/** Whether a token can still be used; looking does not use it (mail scanners prefetch links). */
export async function isLoginTokenUsable(db: Db, token: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('login_tokens')
    .select('token_hash')
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Uses a login token: marks it used in the same statement that checks it is unused and unexpired,
 * so two concurrent requests cannot both succeed. Returns the address it was issued for.
 */
export async function consumeLoginToken(
  db: Db | Trx,
  token: string,
  now: Date,
): Promise<string | null> {
  const row = await db
    .updateTable('login_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('email')
    .executeTakeFirst();
  return row?.email ?? null;
}

/**
 * Records a request for a login link and says whether it is within the limits: at most
 * LOGIN_REQUEST_LIMIT per email and per client address in LOGIN_REQUEST_WINDOW_MS. Refused
 * requests count too, so hammering keeps the door shut.
 */
export async function recordLoginRequest(
  db: Db,
  input: { email: string; clientAddress: string | null },
  now: Date,
): Promise<{ allowed: boolean }> {
  const since = new Date(now.getTime() - LOGIN_REQUEST_WINDOW_MS);
  await db.deleteFrom('login_requests').where('requested_at', '<', since).execute();
  await db
    .insertInto('login_requests')
    .values({ email: input.email, client_address: input.clientAddress, requested_at: now })
    .execute();
  const byEmail = await db
    .selectFrom('login_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email', '=', input.email)
    .where('requested_at', '>', since)
    .executeTakeFirstOrThrow();
  let allowed = Number(byEmail.n) <= LOGIN_REQUEST_LIMIT;
  if (allowed && input.clientAddress !== null) {
    const byClient = await db
      .selectFrom('login_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('client_address', '=', input.clientAddress)
      .where('requested_at', '>', since)
      .executeTakeFirstOrThrow();
    allowed = Number(byClient.n) <= LOGIN_REQUEST_LIMIT;
  }
  return { allowed };
}
