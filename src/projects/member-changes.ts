import type { Db, Member, MemberRole } from '../db/database.js';
import { DocketError } from '../errors.js';

/** Gives a project member another role; `not_found` when the id is no member of this project. */
export async function changeMemberRole(
  db: Db,
  input: { projectId: number; memberId: number; role: MemberRole },
): Promise<Member> {
  const member = await db
    .updateTable('members')
    .set({ role: input.role })
    .where('project_id', '=', input.projectId)
    .where('id', '=', input.memberId)
    .returningAll()
    .executeTakeFirst();
  if (!member) throw new DocketError('not_found', `no member ${input.memberId} in this project`);
  return member;
}

/**
 * Takes a person off a project. Records they took part in keep their address; they simply stop
 * seeing the project and, under a members-only sender policy, stop being able to file to it.
 */
export async function removeMember(
  db: Db,
  input: { projectId: number; memberId: number },
): Promise<Member> {
  const member = await db
    .deleteFrom('members')
    .where('project_id', '=', input.projectId)
    .where('id', '=', input.memberId)
    .returningAll()
    .executeTakeFirst();
  if (!member) throw new DocketError('not_found', `no member ${input.memberId} in this project`);
  return member;
}
