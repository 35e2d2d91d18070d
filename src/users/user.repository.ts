import { sql } from 'kysely';
import type { Db, Trx, User } from '../db/database.js';
import { DocketError } from '../errors.js';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** An address as users and members are keyed: trimmed and lowercased; null when it is not one. */
export function normalizeEmail(value: string): string | null {
  const email = value.trim().toLowerCase();
  return EMAIL.test(email) && email.length <= 320 ? email : null;
}

export async function findUserByEmail(db: Db | Trx, email: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findUserById(db: Db, id: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The user with this address, created when missing. The first user ever created is an
 * administrator: that is how a fresh installation gets its first one (`docket login-link`).
 */
export async function ensureUser(
  db: Db | Trx,
  input: { email: string; name?: string | null },
): Promise<{ user: User; created: boolean }> {
  const email = normalizeEmail(input.email);
  if (!email) throw new DocketError('invalid_input', `"${input.email}" is not an email address`);
  const existing = await findUserByEmail(db, email);
  if (existing) return { user: existing, created: false };
  const inserted = await db
    .insertInto('users')
    .values({
      email,
      name: input.name ?? null,
      is_admin: sql<boolean>`not exists (select 1 from users)`,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { user: inserted, created: true };
  // Created by someone else in the meantime.
  const user = await findUserByEmail(db, email);
  if (!user) throw new Error(`user ${email} vanished`);
  return { user, created: false };
}

/** Whether anyone may be sent a login link for this address: a user, or a member of a project. */
export async function isKnownPerson(db: Db, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('email')
    .where('email', '=', email)
    .union(db.selectFrom('members').select('email').where('email', '=', email))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
