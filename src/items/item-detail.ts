import type { Db, Item } from '../db/database.js';

export interface AuditTrailEntry {
  id: number;
  at: Date;
  actor: string | null;
  action: string;
  details: Record<string, unknown>;
}

export interface ItemDetail {
  item: Item;
  trail: AuditTrailEntry[];
}

/**
 * One correspondence item of a project by its number (`RFI`, 7) with its audit trail, oldest event
 * first; undefined when the project has no such item.
 */
export async function findItemDetail(
  db: Db,
  projectId: number,
  prefix: string,
  number: number,
): Promise<ItemDetail | undefined> {
  const item = await db
    .selectFrom('items')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('prefix', '=', prefix)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!item) return undefined;
  const trail = await db
    .selectFrom('audit_events')
    .select(['id', 'at', 'actor', 'action', 'details'])
    .where('project_id', '=', projectId)
    .where('record_type', '=', 'item')
    .where('record_id', '=', item.id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return { item, trail };
}
