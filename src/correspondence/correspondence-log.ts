import {
  findAttachmentMatches,
  type AttachmentMatch,
} from '../attachment-text/attachment-matches.js';
import type { Db, StoredAddress } from '../db/database.js';
import { DocketError } from '../errors.js';
import {
  decodeCursor,
  encodeCursor,
  LOG_SORTS,
  type LogCursor,
  type LogSort,
} from './log-cursor.js';
import {
  LOG_FLAGS,
  logQuerySegments,
  type AddressMatch,
  type LogFilters,
  type LogFlag,
  type LogQueryRow,
  type LogRecordType,
} from './log-query.js';

export type { LogFlag, LogRecordType, LogSort };

/** What the log is filtered by. Every field is optional; they combine with AND. */
export interface CorrespondenceQuery {
  /** Received at or after this instant. Whole days in the user's time zone are the UI's job. */
  receivedSince?: Date;
  /** Received before this instant (exclusive). */
  receivedBefore?: Date;
  /** `dana@contractor.example` (that mailbox) or `@contractor.example` (anyone there). */
  sender?: string;
  /** The same forms, matched against the To and Cc addresses. */
  recipient?: string;
  /** Messages in the thread of a submittal, transmittal or item (RFI, notice…) of the project. */
  recordType?: LogRecordType;
  hasAttachments?: boolean;
  /** Messages carrying any of these flags. */
  flags?: readonly LogFlag[];
  /** Words to find, in web-search syntax: `"exact phrase"`, `or`, `-without`. */
  q?: string;
}

export interface CorrespondenceOptions {
  /** `newest` (default), `oldest`, `sender` (A→Z, newest first within) or `subject` (likewise). */
  sort?: LogSort;
  /** Rows per page, 1–200; 50 by default. */
  limit?: number;
  /** A `nextCursor` or `prevCursor` of an earlier page of the same sort. */
  cursor?: string | null;
}

export interface CorrespondenceRow {
  id: number;
  threadId: number;
  receivedAt: Date;
  sentAt: Date | null;
  fromAddress: string | null;
  fromName: string | null;
  /** The first three To and Cc addresses; the counts say how many there are. */
  to: StoredAddress[];
  toCount: number;
  cc: StoredAddress[];
  ccCount: number;
  subject: string;
  attachmentCount: number;
  flags: string[];
  /** The start of the new text of the message (quoted history cut), on one line. */
  snippet: string;
  /**
   * With a search: the message's attachments it matched (by their text or file name), each with
   * a headline of its text around the words found. Empty without a search.
   */
  attachmentMatches: AttachmentMatch[];
}

export interface CorrespondencePage {
  rows: CorrespondenceRow[];
  /** The page after this one, or null at the end. */
  nextCursor: string | null;
  /** The page before this one, or null on the first page. */
  prevCursor: string | null;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const MAX_QUERY_LENGTH = 500;
const SNIPPET_LENGTH = 160;

/**
 * One page of a project's correspondence log, with keyset pagination: a cursor names the last
 * row seen, so a page deep in a log of a million messages reads about one page of index. Cursors
 * are opaque and tied to their sort; a cursor this module did not write is `invalid_input`.
 */
export async function listCorrespondence(
  db: Db,
  projectId: number,
  query: CorrespondenceQuery,
  options: CorrespondenceOptions = {},
): Promise<CorrespondencePage> {
  const sort = options.sort ?? 'newest';
  if (!LOG_SORTS.includes(sort)) throw new DocketError('invalid_input', `unknown sort ${sort}`);
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new DocketError('invalid_input', `a page holds 1 to ${MAX_LIMIT} rows`);
  }
  const filters = validateQuery(query);
  const cursor = options.cursor ? decodeCursor(options.cursor, sort) : null;
  const backward = cursor?.direction === 'prev';

  const fetched = await readRows(db, projectId, filters, sort, backward, cursor, limit + 1);
  const more = fetched.length > limit;
  const page = fetched.slice(0, limit);
  if (backward) {
    // Back at the start: show a full first page rather than the few rows left before the cursor.
    if (!more) return listCorrespondence(db, projectId, query, { sort, limit });
    page.reverse();
  }
  const first = page[0];
  const last = page.at(-1);
  const cursorAt = (direction: LogCursor['direction'], row: LogQueryRow) =>
    encodeCursor({ sort, direction, position: positionOf(sort, row) });
  const matches = filters.text
    ? await findAttachmentMatches(
        db,
        projectId,
        page.map((row) => row.id),
        filters.text,
      )
    : new Map<number, AttachmentMatch[]>();
  return {
    rows: page.map((row) => ({ ...toRow(row), attachmentMatches: matches.get(row.id) ?? [] })),
    nextCursor: last && (backward || more) ? cursorAt('next', last) : null,
    prevCursor: first && (backward ? more : cursor !== null) ? cursorAt('prev', first) : null,
  };
}

async function readRows(
  db: Db,
  projectId: number,
  filters: LogFilters,
  sort: LogSort,
  backward: boolean,
  cursor: LogCursor | null,
  wanted: number,
): Promise<LogQueryRow[]> {
  const rows: LogQueryRow[] = [];
  const segments = logQuerySegments(
    db,
    projectId,
    filters,
    sort,
    backward,
    cursor?.position ?? null,
  );
  for (const segment of segments) {
    rows.push(...(await segment.limit(wanted - rows.length).execute()));
    if (rows.length >= wanted) break;
  }
  return rows;
}

function positionOf(sort: LogSort, row: LogQueryRow) {
  const group = sort === 'sender' ? row.sender_key : sort === 'subject' ? row.subject_key : null;
  return { group, at: row.received_key, id: row.id };
}

function toRow(row: LogQueryRow): Omit<CorrespondenceRow, 'attachmentMatches'> {
  return {
    id: row.id,
    threadId: row.thread_id,
    receivedAt: row.received_at,
    sentAt: row.sent_at,
    fromAddress: row.from_address,
    fromName: row.from_name,
    to: row.to_first,
    toCount: row.to_count,
    cc: row.cc_first,
    ccCount: row.cc_count,
    subject: row.subject,
    attachmentCount: row.attachment_count,
    flags: row.flags,
    snippet: snippetOf(row.reply_start),
  };
}

function snippetOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(line);
  return chars.length <= SNIPPET_LENGTH ? line : `${chars.slice(0, SNIPPET_LENGTH - 1).join('')}…`;
}

function validateQuery(query: CorrespondenceQuery): LogFilters {
  const filters: LogFilters = {};
  for (const [key, value] of [
    ['receivedSince', query.receivedSince],
    ['receivedBefore', query.receivedBefore],
  ] as const) {
    if (value === undefined) continue;
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      throw new DocketError('invalid_input', `${key} is not a valid instant`);
    }
    filters[key] = value;
  }
  if (query.sender !== undefined) filters.sender = addressMatch('sender', query.sender);
  if (query.recipient !== undefined) filters.recipient = addressMatch('recipient', query.recipient);
  if (query.recordType !== undefined) {
    if (!['submittal', 'transmittal', 'item'].includes(query.recordType)) {
      throw new DocketError('invalid_input', `unknown record type ${query.recordType}`);
    }
    filters.recordType = query.recordType;
  }
  if (query.hasAttachments !== undefined) filters.hasAttachments = query.hasAttachments;
  if (query.flags !== undefined && query.flags.length > 0) {
    const unknown = query.flags.find((flag) => !LOG_FLAGS.includes(flag));
    if (unknown !== undefined) throw new DocketError('invalid_input', `unknown flag ${unknown}`);
    filters.flags = query.flags;
  }
  const text = query.q?.trim();
  if (text) {
    if (text.length > MAX_QUERY_LENGTH || text.includes('\u0000')) {
      throw new DocketError('invalid_input', `a search is at most ${MAX_QUERY_LENGTH} characters`);
    }
    filters.text = text;
  }
  return filters;
}

/** `name@domain` (that mailbox) or `@domain` (anyone there), compared lowercased. */
function addressMatch(field: string, value: string): AddressMatch {
  const text = value.trim().toLowerCase();
  const at = text.lastIndexOf('@');
  if (text.length > 320) throw new DocketError('invalid_input', `${field} is too long`);
  if (at === 0 && text.length > 1 && !text.includes('@', 1)) return { domain: text.slice(1) };
  if (at > 0 && at < text.length - 1 && !/\s/.test(text)) return { address: text };
  throw new DocketError(
    'invalid_input',
    `${field} must be an address (name@example.com) or a domain (@example.com)`,
  );
}
