import { getProjectByCode } from '../../projects/project.repository.js';
import { formatProjectDate } from '../../projects/project-calendar.js';
import { listTransmittals } from '../../transmittals/transmittal-log.js';
import type { CommandContext } from './context.js';

/** `docket transmittals <code>`: the transmittal log, one block per transmittal. */
export async function transmittals(
  ctx: CommandContext,
  input: { code: string; json?: boolean },
): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const list = await listTransmittals(ctx.db, project.id, new Date());
  if (input.json) return ctx.io.out(JSON.stringify(list, null, 2));
  if (list.length === 0)
    return ctx.io.out(
      `No transmittals in ${project.code}. Mail ${project.code}+transmittal@${ctx.config.mailDomain} with the documents attached and the recipients in To or Cc.`,
    );
  for (const t of list) {
    const due =
      t.status === 'open' && t.dueAt
        ? `ack due ${formatProjectDate(project, t.dueAt)}${t.overdue ? ' (OVERDUE)' : ''}`
        : '';
    const sender = t.senderName ? `${t.senderName} <${t.sender}>` : t.sender;
    ctx.io.out(
      [t.number, t.subject, `[${t.purpose}]`, `from ${sender}`, t.status.toUpperCase(), due]
        .filter(Boolean)
        .join('  '),
    );
    for (const r of t.recipients) {
      const ack = r.acknowledgedAt
        ? `acknowledged ${r.acknowledgedAt.toISOString()}`
        : 'not acknowledged';
      ctx.io.out(`    ${r.role.padEnd(2)}  ${r.email}  ${ack}`);
    }
  }
}
