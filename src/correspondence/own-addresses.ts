import { parseReplySubaddress, readSignedReplyToken } from '../auth/reply-token.js';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { parseProjectAddress } from '../inbound/recipient-address.js';
import { itemNumber, itemTypeForSubaddress } from '../items/item-types.js';
import { submittalNumber } from '../submittals/submittal-request.js';
import { transmittalNumber } from '../transmittals/transmittal-request.js';

/** What the pages need to recognise a project's own addresses. */
export interface OwnAddressContext {
  projectId: number;
  code: string;
  mailDomain: string;
  /** Signs reply tokens; without it reply addresses are named only as such. */
  secret: string | null;
}

/** What a token names before its record's number is read: the record and what the reply does. */
interface TokenTarget {
  table: 'submittals' | 'items' | 'transmittals';
  id: number;
  revision: number;
  action: string;
}

const ACTIONS = {
  review: ['submittals', 'review'],
  resubmit: ['submittals', 'resubmittal'],
  ack: ['transmittals', 'acknowledgement'],
  rfi: ['items', 'answer'],
} as const;

/**
 * Names the project's own addresses among `addresses`, for pages that list mail: `twr-a@…` is the
 * "project inbox", `twr-a+submittal@…` the "submittal inbox", and a reply address the record it
 * answers, "reply to 03 30 00-001.0 review". Reply tokens are read with the deployment's secret, so
 * only an address Docket signed is named after a record (expired ones too: the name is history);
 * a look-alike reads "reply address (not issued by Docket)". One query for the whole page.
 * Addresses that are not the project's are left out of the map.
 */
export async function nameOwnAddresses(
  db: Db,
  context: OwnAddressContext,
  addresses: readonly string[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const replies = new Map<string, TokenTarget>();
  for (const address of new Set(addresses.map((a) => a.toLowerCase()))) {
    const parsed = parseProjectAddress(address, context.mailDomain);
    if (parsed?.code !== context.code) continue;
    if (parsed.subaddress === null) {
      names.set(address, 'project inbox');
      continue;
    }
    const token = parseReplySubaddress(parsed.subaddress);
    const claims = token && context.secret ? readSignedReplyToken(context.secret, token) : null;
    if (claims) {
      const [table, action] = ACTIONS[claims.kind];
      replies.set(address, { table, id: claims.recordId, revision: claims.revision, action });
    } else if (token)
      names.set(address, context.secret ? 'reply address (not issued by Docket)' : 'reply address');
    else names.set(address, `${inboxName(parsed.subaddress)} inbox`);
  }
  const numbers = await recordNumbers(db, context.projectId, [...replies.values()]);
  for (const [address, target] of replies) {
    const number = numbers.get(`${target.table}:${target.id}`)?.(target.revision);
    names.set(address, number ? `reply to ${number} ${target.action}` : 'reply address');
  }
  return names;
}

/** `submittal`, `transmittal`, `RFI` (what everyone calls one), `notice`…; else `+<subaddress>`. */
function inboxName(subaddress: string): string {
  if (subaddress === 'submittal' || subaddress === 'transmittal') return subaddress;
  const type = itemTypeForSubaddress(subaddress);
  if (!type) return `+${subaddress}`;
  return type.prefix === 'RFI' ? 'RFI' : type.label.toLowerCase();
}

/** `table:id` → the record's number (a submittal's for a given revision), in one query. */
async function recordNumbers(
  db: Db,
  projectId: number,
  targets: TokenTarget[],
): Promise<Map<string, (revision: number) => string>> {
  const ids = (table: TokenTarget['table']) => [
    ...new Set(targets.filter((t) => t.table === table).map((t) => t.id)),
  ];
  const queries = [];
  const submittals = ids('submittals');
  if (submittals.length > 0)
    queries.push(
      db
        .selectFrom('submittals')
        .select([
          sql.lit('submittals').as('table'),
          'id',
          'spec_section as prefix',
          'seq as number',
        ])
        .where('project_id', '=', projectId)
        .where('id', 'in', submittals),
    );
  const items = ids('items');
  if (items.length > 0)
    queries.push(
      db
        .selectFrom('items')
        .select([sql.lit('items').as('table'), 'id', 'prefix', 'number'])
        .where('project_id', '=', projectId)
        .where('id', 'in', items),
    );
  const transmittals = ids('transmittals');
  if (transmittals.length > 0)
    queries.push(
      db
        .selectFrom('transmittals')
        .select([sql.lit('transmittals').as('table'), 'id', sql.lit('TR').as('prefix'), 'number'])
        .where('project_id', '=', projectId)
        .where('id', 'in', transmittals),
    );
  const [first, ...rest] = queries;
  if (!first) return new Map();
  const rows = await rest.reduce((union, query) => union.unionAll(query), first).execute();
  return new Map(
    rows.map((row) => [
      `${row.table}:${row.id}`,
      (revision: number) =>
        row.table === 'submittals'
          ? submittalNumber(row.prefix, row.number, revision)
          : row.table === 'items'
            ? itemNumber(row.prefix, row.number)
            : transmittalNumber(row.number),
    ]),
  );
}
