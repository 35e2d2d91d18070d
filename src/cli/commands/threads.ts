import { getProjectByCode } from '../../projects/project.repository.js';
import { listThreadsWithMessages } from '../../correspondence/thread-log.js';
import type { CommandContext } from './context.js';

export interface ThreadsInput {
  code: string;
  json?: boolean;
  limit?: number;
}

export async function threads(ctx: CommandContext, input: ThreadsInput): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const list = await listThreadsWithMessages(ctx.db, project.id, { limit: input.limit ?? 50 });
  if (input.json) {
    ctx.io.out(JSON.stringify(list, null, 2));
    return;
  }
  if (list.length === 0) {
    ctx.io.out(
      `No threads yet in ${project.code}. Mail ${project.code}@${ctx.config.mailDomain} to start one.`,
    );
    return;
  }
  for (const thread of list) {
    ctx.io.out(
      `#${thread.id}  ${thread.subject || '(no subject)'}  [${thread.messageCount} message${thread.messageCount === 1 ? '' : 's'}, last ${thread.lastMessageAt.toISOString()}]`,
    );
    for (const message of thread.messages) {
      const flags = message.flags.length > 0 ? `  (${message.flags.join(', ')})` : '';
      const attachments = message.attachmentCount > 0 ? `  📎${message.attachmentCount}` : '';
      ctx.io.out(
        `    ${message.date.toISOString()}  ${message.from ?? '(unknown sender)'}  ${message.subject}${attachments}${flags}`,
      );
    }
  }
}
