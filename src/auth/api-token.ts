import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { DocketError } from '../errors.js';
import type { SessionUser } from './web-session.js';
import { hashToken } from './web-login.js';

/** Every API token starts with this, so one pasted in the wrong place is recognisable. */
export const API_TOKEN_PREFIX = 'dkt_';
/** `dkt_` and 32 random bytes in base64url (43 characters). */
const TOKEN_SHAPE = /^dkt_[A-Za-z0-9_-]{43}$/;
/** How many characters of a token are kept in clear to tell tokens apart: `dkt_` and 8 more. */
const SHOWN_LENGTH = 12;
/** last_used_at is written at most this often, not on every request. */
const LAST_USED_RESOLUTION_MS = 60 * 1000;

export interface ApiTokenListing {
  id: number;
  name: string;
  /** The token's first characters, e.g. `dkt_Q2xhc3Np`. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A new token for a user; returns the token itself, which is never stored and shown only once. */
export async function createApiToken(
  db: Db,
  input: { userId: number; name: string },
  now: Date,
): Promise<{ token: string; listing: ApiTokenListing }> {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: input.userId,
      name: input.name,
      token_hash: hashToken(token),
      prefix: token.slice(0, SHOWN_LENGTH),
      created_at: now,
      last_used_at: null,
      revoked_at: null,
    })
    .returning(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .executeTakeFirstOrThrow();
  return { token, listing: toListing(row) };
}

/** The user a live token acts as, or null for a malformed, unknown or revoked one; marks it used. */
export async function verifyApiToken(
  db: Db,
  token: string,
  now: Date,
): Promise<SessionUser | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.last_used_at', 'u.id as user_id', 'u.email', 'u.name', 'u.is_admin'])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  const lastUsed = row.last_used_at?.getTime() ?? -Infinity;
  if (now.getTime() - lastUsed > LAST_USED_RESOLUTION_MS) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', row.id)
      .execute();
  }
  return { id: row.user_id, email: row.email, name: row.name, isAdmin: row.is_admin };
}

/** A user's tokens, newest first, revoked ones included so the record is complete. */
export async function listApiTokens(db: Db, userId: number): Promise<ApiTokenListing[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toListing);
}

/**
 * Revokes the token named by its id, its shown prefix (`dkt_Q2xhc3Np`) or the whole token. A prefix
 * two tokens share is refused rather than guessed. Revoking twice keeps the first time.
 */
export async function revokeApiToken(
  db: Db,
  reference: string,
  now: Date,
): Promise<ApiTokenListing & { email: string; alreadyRevoked: boolean }> {
  const ref = reference.trim();
  let query = db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.name', 't.prefix', 't.created_at', 't.last_used_at', 't.revoked_at'])
    .select('u.email');
  if (/^[1-9][0-9]{0,15}$/.test(ref)) query = query.where('t.id', '=', Number(ref));
  else if (TOKEN_SHAPE.test(ref)) query = query.where('t.token_hash', '=', hashToken(ref));
  else if (ref.startsWith(API_TOKEN_PREFIX) && ref.length >= API_TOKEN_PREFIX.length + 4) {
    // The stored prefix may be shorter or longer than what was typed: compare on the shorter.
    const typed = ref.slice(0, SHOWN_LENGTH);
    query = query.where('t.prefix', 'like', `${typed.replace(/[\\%_]/g, '\\$&')}%`);
  } else {
    throw new DocketError(
      'invalid_input',
      `"${reference}" is not a token id or a token prefix such as dkt_Q2xhc3Np`,
    );
  }
  const found = await query.limit(2).execute();
  const [row] = found;
  if (!row) throw new DocketError('not_found', `no API token matches "${reference}"`);
  if (found.length > 1) {
    throw new DocketError('conflict', `several tokens start with "${reference}"; use the id`);
  }
  const revoked = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', row.id)
    .where('revoked_at', 'is', null)
    .returning('revoked_at')
    .executeTakeFirst();
  return {
    ...toListing({ ...row, revoked_at: revoked?.revoked_at ?? row.revoked_at }),
    email: row.email,
    alreadyRevoked: revoked === undefined,
  };
}

function toListing(row: {
  id: number;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}): ApiTokenListing {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
