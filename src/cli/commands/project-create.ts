import { createProject } from '../../projects/project.repository.js';
import type { CommandContext } from './context.js';

export interface ProjectCreateInput {
  code: string;
  name: string;
  timezone?: string;
  senderPolicy?: 'anyone' | 'members';
}

export async function projectCreate(ctx: CommandContext, input: ProjectCreateInput): Promise<void> {
  const project = await createProject(ctx.db, input);
  ctx.io.out(
    `Created project ${project.code} (${project.name}), time zone ${project.timezone}, sender policy ${project.sender_policy}.`,
  );
  ctx.io.out(`Inbox: ${project.code}@${ctx.config.mailDomain}`);
}
