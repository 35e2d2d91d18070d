import type { MemberRole } from '../../db/database.js';
import { upsertMember } from '../../projects/member.repository.js';
import { getProjectByCode } from '../../projects/project.repository.js';
import type { CommandContext } from './context.js';

export interface MemberAddInput {
  code: string;
  email: string;
  name?: string;
  role?: MemberRole;
}

export async function memberAdd(ctx: CommandContext, input: MemberAddInput): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const member = await upsertMember(ctx.db, {
    projectId: project.id,
    email: input.email,
    name: input.name ?? null,
    ...(input.role ? { role: input.role } : {}),
  });
  ctx.io.out(`${member.email} is a ${member.role} of ${project.code}.`);
}
