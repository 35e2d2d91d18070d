import { recordAudit } from '../audit/audit.repository.js';
import type { Db, Item, Trx } from '../db/database.js';
import { DocketError } from '../errors.js';
import { getProjectByCode } from '../projects/project.repository.js';
import { lockItemByNumber } from './item.repository.js';
import { ITEM_TYPES, itemNumber, parseItemNumber } from './item-types.js';

/**
 * A manager closes an item (`docket item close twr-a RFI-007`): answered or not — a withdrawn
 * question is closed too — it leaves every list of open work, and no one holds the ball any more.
 * Closing twice is a conflict, not a no-op, so a typo in the number cannot pass silently.
 * Opens its own transaction; see {@link closeItemInTransaction} for a caller that holds one.
 */
export async function closeItem(
  db: Db,
  projectCode: string,
  number: string,
  actor: string,
  now: Date,
): Promise<Item> {
  // A malformed number is refused before a transaction is opened for it.
  parseNumber(number);
  return db.transaction().execute(async (trx) => {
    const project = await getProjectByCode(trx, projectCode);
    return closeItemInTransaction(trx, project, number, actor, now);
  });
}

/**
 * {@link closeItem} inside the caller's transaction (the web page's route opens one). The item row
 * is locked so an answer arriving at the same moment is either recorded before the close or
 * refused after it.
 */
export async function closeItemInTransaction(
  trx: Trx,
  project: { id: number; code: string },
  number: string,
  actor: string,
  now: Date,
): Promise<Item> {
  const parsed = parseNumber(number);
  const item = await lockItemByNumber(trx, project.id, parsed.type.prefix, parsed.number);
  const label = itemNumber(parsed.type.prefix, parsed.number);
  if (!item) throw new DocketError('not_found', `no ${label} in project ${project.code}`);
  if (item.status === 'closed') {
    throw new DocketError(
      'conflict',
      `${label} was already closed on ${item.closed_at?.toISOString() ?? 'an earlier date'}`,
    );
  }
  const closed = await trx
    .updateTable('items')
    .set({ status: 'closed', closed_at: now, ball_in_court: [] })
    .where('project_id', '=', project.id)
    .where('id', '=', item.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(
    trx,
    {
      projectId: project.id,
      recordType: 'item',
      recordId: item.id,
      actor,
      action: 'closed',
      details: { number: label, previousStatus: item.status, ballInCourt: item.ball_in_court },
    },
    now,
  );
  return closed;
}

function parseNumber(number: string): NonNullable<ReturnType<typeof parseItemNumber>> {
  const parsed = parseItemNumber(number);
  if (!parsed) {
    throw new DocketError(
      'invalid_input',
      `"${number}" is not an item number such as RFI-007 (types: ${ITEM_TYPES.map((t) => t.prefix).join(', ')})`,
    );
  }
  return parsed;
}
