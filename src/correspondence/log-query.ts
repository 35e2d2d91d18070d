import { sql, type Expression, type SelectQueryBuilder } from 'kysely';
import type { Database, Db, StoredAddress } from '../db/database.js';
import type { LogPosition, LogSort } from './log-cursor.js';

/** Flags the filer sets (see ingest/classify.ts) that the log can filter on. */
export const LOG_FLAGS = ['auto-reply', 'bounce', 'list', 'bulk', 'own', 'parse-warning'] as const;
export type LogFlag = (typeof LOG_FLAGS)[number];

export type LogRecordType = 'submittal' | 'transmittal' | 'item';

/** An address filter after validation: one mailbox, or everyone at a domain. */
export type AddressMatch = { address: string } | { domain: string };

/** Validated filters; every one is optional and they combine with AND. */
export interface LogFilters {
  receivedSince?: Date;
  receivedBefore?: Date;
  sender?: AddressMatch;
  recipient?: AddressMatch;
  recordType?: LogRecordType;
  hasAttachments?: boolean;
  flags?: readonly LogFlag[];
  text?: string;
}

// The group keys of the sender and subject orders. Each must stay the expression of its index
// (messages_log_sender, messages_log_subject), or the planner cannot use it.
const senderKey = sql<string>`left(coalesce(from_address, ''), 320)`;
const subjectKey = sql<string>`left(normalized_subject, 200)`;
const receivedKey = sql<string>`to_char(received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function selectLogRows(db: Db, projectId: number) {
  return db
    .selectFrom('messages')
    .select([
      'id',
      'thread_id',
      'received_at',
      'sent_at',
      'from_address',
      'from_name',
      'subject',
      'attachment_count',
      'flags',
      receivedKey.as('received_key'),
      senderKey.as('sender_key'),
      subjectKey.as('subject_key'),
      sql<StoredAddress[]>`jsonb_path_query_array(to_addresses, 'lax $[0 to 2]')`.as('to_first'),
      sql<number>`jsonb_array_length(to_addresses)`.as('to_count'),
      sql<StoredAddress[]>`jsonb_path_query_array(cc_addresses, 'lax $[0 to 2]')`.as('cc_first'),
      sql<number>`jsonb_array_length(cc_addresses)`.as('cc_count'),
      sql<string>`left(reply_text, 400)`.as('reply_start'),
    ])
    .where('project_id', '=', projectId);
}

type LogQuery = ReturnType<typeof selectLogRows>;
export type LogQueryRow =
  LogQuery extends SelectQueryBuilder<Database, 'messages', infer O> ? O : never;

function applyFilters(db: Db, projectId: number, query: LogQuery, filters: LogFilters): LogQuery {
  let q = query;
  if (filters.receivedSince) q = q.where('received_at', '>=', filters.receivedSince);
  if (filters.receivedBefore) q = q.where('received_at', '<', filters.receivedBefore);
  if (filters.sender) {
    const sender = filters.sender;
    q =
      'domain' in sender
        ? q.where('from_domain', '=', sender.domain)
        : q.where(senderKey, '=', sender.address);
  }
  if (filters.recipient) {
    // `recipients` holds each To/Cc address and its '@domain'; containment uses the GIN index.
    const key =
      'domain' in filters.recipient ? `@${filters.recipient.domain}` : filters.recipient.address;
    q = q.where('recipients', '@>', sql<string[]>`array[${key}::text]`);
  }
  if (filters.hasAttachments !== undefined) {
    q = q.where('attachment_count', filters.hasAttachments ? '>' : '=', 0);
  }
  if (filters.flags && filters.flags.length > 0) {
    q = q.where('flags', '&&', sql<string[]>`cast(${filters.flags} as text[])`);
  }
  if (filters.text !== undefined) {
    // websearch_to_tsquery accepts any input: unbalanced quotes and stray operators are ignored,
    // and text with no words gives an empty query that matches nothing.
    q = q.where('search', '@@', sql<string>`websearch_to_tsquery('simple', ${filters.text})`);
  }
  if (filters.recordType)
    q = q.where('thread_id', 'in', recordThreads(db, projectId, filters.recordType));
  return q;
}

/**
 * Threads of a project's records of one type. A record keeps the thread id it was opened in; when
 * that thread is later merged into another (a message referencing both), its messages move, so
 * the chain of `merged_into` is followed to wherever they went.
 */
function recordThreads(db: Db, projectId: number, type: LogRecordType) {
  const table = ({ submittal: 'submittals', transmittal: 'transmittals', item: 'items' } as const)[
    type
  ];
  return db
    .withRecursive('record_threads(id)', (qc) =>
      qc
        .selectFrom(table)
        .select('thread_id as id')
        .where('project_id', '=', projectId)
        .where('thread_id', 'is not', null)
        .union(
          qc
            .selectFrom('threads')
            .innerJoin('record_threads', 'record_threads.id', 'threads.id')
            .select('threads.merged_into as id')
            .where('threads.project_id', '=', projectId)
            .where('threads.merged_into', 'is not', null),
        ),
    )
    .selectFrom('record_threads')
    .select('record_threads.id');
}

type Direction = 'asc' | 'desc';
const flip = (direction: Direction): Direction => (direction === 'asc' ? 'desc' : 'asc');
const after = (direction: Direction) => (direction === 'asc' ? '>' : '<');

/**
 * The log in `sort` order (reversed when `backward`) strictly after `position`, as segments that
 * follow one another: read the first, and the next only if it ran out. Date orders are one
 * segment. Group orders (by sender, by subject) ascend by group and descend by date within it;
 * that mixed direction is not one row comparison, so after a position they are two segments:
 * the rest of its group, then the later groups. Each segment is an index range read in index
 * order, so a page deep in the log costs what the first page costs.
 */
export function logQuerySegments(
  db: Db,
  projectId: number,
  filters: LogFilters,
  sort: LogSort,
  backward: boolean,
  position: LogPosition | null,
): LogQuery[] {
  const base = applyFilters(db, projectId, selectLogRows(db, projectId), filters);
  const forwardTime: Direction = sort === 'oldest' ? 'asc' : 'desc';
  const time = backward ? flip(forwardTime) : forwardTime;
  const byTime = (q: LogQuery) => q.orderBy('received_at', time).orderBy('id', time);
  const afterInTime = (q: LogQuery, p: LogPosition) =>
    q.where((eb) =>
      eb(
        eb.refTuple('received_at', 'id'),
        after(time),
        eb.tuple(sql<Date>`cast(${p.at} as timestamptz)`, p.id),
      ),
    );

  if (sort === 'newest' || sort === 'oldest') {
    return [byTime(position ? afterInTime(base, position) : base)];
  }
  const group: Expression<string> = sort === 'sender' ? senderKey : subjectKey;
  const groupDirection: Direction = backward ? 'desc' : 'asc';
  const byGroup = (q: LogQuery) => byTime(q.orderBy(group, groupDirection));
  if (!position) return [byGroup(base)];
  const groupKey = position.group ?? '';
  return [
    byTime(afterInTime(base.where(group, '=', groupKey), position)),
    byGroup(base.where(group, after(groupDirection), groupKey)),
  ];
}
