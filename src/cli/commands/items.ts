import { DocketError } from '../../errors.js';
import { closeItem } from '../../items/close-item.js';
import { listItems } from '../../items/item-log.js';
import { ITEM_TYPES, itemNumber, itemTypeByName } from '../../items/item-types.js';
import { getProjectByCode } from '../../projects/project.repository.js';
import { formatProjectDate } from '../../projects/project-calendar.js';
import type { CommandContext } from './context.js';

export interface ItemsInput {
  code: string;
  json?: boolean;
  /** A prefix (`RFI`) or subaddress (`notice`); all types when omitted. */
  type?: string;
}

/** `docket items <code>`: the project's RFIs, notices and other items, overdue ones flagged. */
export async function items(ctx: CommandContext, input: ItemsInput): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const type = input.type === undefined ? null : itemTypeByName(input.type);
  if (input.type !== undefined && !type) {
    const known = ITEM_TYPES.map((t) => t.prefix).join(', ');
    throw new DocketError('invalid_input', `unknown item type "${input.type}" (known: ${known})`);
  }
  const list = await listItems(ctx.db, project, new Date(), type);
  if (input.json) return ctx.io.out(JSON.stringify(list, null, 2));
  if (list.length === 0) {
    const address = `${project.code}+${type?.subaddresses[0] ?? 'rfi'}@${ctx.config.mailDomain}`;
    const what = type ? `${type.prefix} items` : 'correspondence items';
    return ctx.io.out(`No ${what} in ${project.code}. Mail ${address} to open one.`);
  }
  for (const item of list) {
    const due = item.dueAt
      ? `due ${formatProjectDate(project, item.dueAt)}${item.overdue ? ' (OVERDUE)' : ''}`
      : '';
    const ball = item.ballInCourt.length > 0 ? `ball: ${item.ballInCourt.join(', ')}` : '';
    ctx.io.out(
      [item.number, item.subject, item.status.toUpperCase(), `from: ${item.asker}`, ball, due]
        .filter(Boolean)
        .join('  '),
    );
  }
}

/** `docket item close <code> <number>`: a manager closes an item, answered or not. */
export async function itemClose(
  ctx: CommandContext,
  input: { code: string; number: string },
): Promise<void> {
  // The command line has no login: the audit trail records that the close came from it.
  const closed = await closeItem(ctx.db, input.code, input.number, 'cli', new Date());
  ctx.io.out(`Closed ${itemNumber(closed.prefix, closed.number)} ${closed.subject}.`);
}
