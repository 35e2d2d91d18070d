import { getProjectByCode } from '../../projects/project.repository.js';
import { formatProjectDate } from '../../projects/project-calendar.js';
import { listSubmittals } from '../../submittals/submittal-log.js';
import type { CommandContext } from './context.js';

export async function submittals(
  ctx: CommandContext,
  input: { code: string; json?: boolean },
): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const list = await listSubmittals(ctx.db, project.id, new Date());
  if (input.json) return ctx.io.out(JSON.stringify(list, null, 2));
  if (list.length === 0)
    return ctx.io.out(
      `No submittals in ${project.code}. Mail ${project.code}+submittal@${ctx.config.mailDomain} with the documents attached and a subject like "03 30 00 Concrete mix design".`,
    );
  for (const s of list) {
    const due = s.dueAt
      ? `due ${formatProjectDate(project, s.dueAt)}${s.overdue ? ' (OVERDUE)' : ''}`
      : '';
    const ball = s.ballInCourt.length > 0 ? `ball: ${s.ballInCourt.join(', ')}` : '';
    ctx.io.out(
      [s.number, s.title, `[${s.type}]`, s.status.toUpperCase(), s.decision ?? '', ball, due]
        .filter(Boolean)
        .join('  '),
    );
  }
}
