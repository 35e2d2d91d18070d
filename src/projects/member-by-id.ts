import type { Db, Member, Trx } from '../db/database.js';
import { DocketError } from '../errors.js';

/** A project's member by id; `not_found` when the id is no member of this project. */
export async function getMemberById(
  db: Db | Trx,
  input: { projectId: number; memberId: number },
): Promise<Member> {
  const member = await db
    .selectFrom('members')
    .selectAll()
    .where('project_id', '=', input.projectId)
    .where('id', '=', input.memberId)
    .executeTakeFirst();
  if (!member) throw new DocketError('not_found', `no member ${input.memberId} in this project`);
  return member;
}
