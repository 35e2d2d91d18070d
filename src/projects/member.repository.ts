import type { Db, Member, MemberRole, Trx } from '../db/database.js';
import { DocketError } from '../errors.js';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export interface NewMember {
  projectId: number;
  email: string;
  name?: string | null;
  role?: MemberRole;
}

/** Adds a person to a project, or updates their name and role when they are already in it. */
export async function upsertMember(db: Db, input: NewMember): Promise<Member> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email))
    throw new DocketError('invalid_input', `"${input.email}" is not an email address`);
  return db
    .insertInto('members')
    .values({
      project_id: input.projectId,
      email,
      name: input.name ?? null,
      role: input.role ?? 'member',
    })
    .onConflict((oc) =>
      oc.columns(['project_id', 'email']).doUpdateSet((eb) => ({
        name: eb.fn.coalesce(eb.ref('excluded.name'), eb.ref('members.name')),
        role: eb.ref('excluded.role'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function isMember(db: Db, projectId: number, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('members')
    .select('email')
    .where('project_id', '=', projectId)
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

export function listMembers(db: Db, projectId: number): Promise<Member[]> {
  return db
    .selectFrom('members')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('email')
    .execute();
}

/**
 * Makes sure a person is a member (reviewers named in a submittal become members, so their reply
 * tokens can name them), keeping an existing member's role unless told otherwise.
 */
export async function upsertMemberInTransaction(
  trx: Trx,
  input: {
    projectId: number;
    email: string;
    name?: string | null;
    role: MemberRole;
    keepRole: boolean;
  },
): Promise<Member> {
  const email = input.email.trim().toLowerCase();
  return trx
    .insertInto('members')
    .values({ project_id: input.projectId, email, name: input.name ?? null, role: input.role })
    .onConflict((oc) =>
      oc.columns(['project_id', 'email']).doUpdateSet((eb) => ({
        name: eb.fn.coalesce(eb.ref('members.name'), eb.ref('excluded.name')),
        role: input.keepRole ? eb.ref('members.role') : eb.ref('excluded.role'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}
