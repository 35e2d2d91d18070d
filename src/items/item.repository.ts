import type { Db, Item, Trx } from '../db/database.js';

/**
 * The next number for a type in a project. Safe as max + 1 only because filing holds the
 * project's advisory lock for the whole transaction; the unique (project, prefix, number)
 * constraint would turn any other race into an error rather than a duplicate.
 */
export async function nextItemNumber(trx: Trx, projectId: number, prefix: string): Promise<number> {
  const row = await trx
    .selectFrom('items')
    .select(({ fn }) => fn.max('number').as('max'))
    .where('project_id', '=', projectId)
    .where('prefix', '=', prefix)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

/** An item by id, locked for the rest of the transaction so an answer and a close cannot cross. */
export function lockItem(trx: Trx, projectId: number, id: number): Promise<Item | undefined> {
  return trx
    .selectFrom('items')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** An item by its number (`RFI`, 7), locked like {@link lockItem}. */
export function lockItemByNumber(
  trx: Trx,
  projectId: number,
  prefix: string,
  number: number,
): Promise<Item | undefined> {
  return trx
    .selectFrom('items')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('prefix', '=', prefix)
    .where('number', '=', number)
    .forUpdate()
    .executeTakeFirst();
}

/** A project's items in number order, of one type when `prefix` is given. */
export function itemsOfProject(db: Db, projectId: number, prefix: string | null): Promise<Item[]> {
  let query = db.selectFrom('items').selectAll().where('project_id', '=', projectId);
  if (prefix !== null) query = query.where('prefix', '=', prefix);
  return query.orderBy('prefix').orderBy('number').execute();
}

/** The email addresses of the project's managers, in a stable order. */
export async function projectManagers(trx: Trx, projectId: number): Promise<string[]> {
  const rows = await trx
    .selectFrom('members')
    .select('email')
    .where('project_id', '=', projectId)
    .where('role', '=', 'manager')
    .orderBy('email')
    .execute();
  return rows.map((row) => row.email);
}

/** A member's address by id, as a reply token names them; undefined when there is no such member. */
export async function memberEmail(
  trx: Trx,
  projectId: number,
  memberId: number,
): Promise<string | undefined> {
  const row = await trx
    .selectFrom('members')
    .select('email')
    .where('project_id', '=', projectId)
    .where('id', '=', memberId)
    .executeTakeFirst();
  return row?.email;
}
