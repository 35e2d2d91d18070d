import { DateTime } from 'luxon';
import {
  type CorrespondenceOptions,
  type CorrespondenceQuery,
  type LogFlag,
  type LogRecordType,
  type LogSort,
} from '../correspondence/correspondence-log.js';
import { DocketError } from '../errors.js';

/**
 * The correspondence log's filters as query parameters, the same ones the web log's GET form
 * sends: `from`/`to` are whole days in the project's time zone, `sender`/`recipient` a mailbox or
 * `@domain`, `type` a record type, `attachments` yes/no, `flag` (repeatable), `q` words to find,
 * `sort`, `limit` and the `cursor` of an earlier page. Throws `invalid_input` for anything else.
 */
export function readMessageQuery(
  params: Record<string, string>,
  flags: string[],
  zone: string,
): { query: CorrespondenceQuery; options: CorrespondenceOptions } {
  const field = (name: string) => (params[name] ?? '').trim();
  const query: CorrespondenceQuery = {};
  if (field('from')) query.receivedSince = dayStart(field('from'), zone, 'from').toJSDate();
  if (field('to')) {
    query.receivedBefore = dayStart(field('to'), zone, 'to').plus({ days: 1 }).toJSDate();
  }
  if (field('sender')) query.sender = field('sender');
  if (field('recipient')) query.recipient = field('recipient');
  if (field('type')) query.recordType = field('type') as LogRecordType;
  const attachments = field('attachments');
  if (attachments === 'yes') query.hasAttachments = true;
  else if (attachments === 'no') query.hasAttachments = false;
  else if (attachments) {
    throw new DocketError('invalid_input', 'attachments must be "yes", "no" or empty');
  }
  const chosen = flags.map((flag) => flag.trim()).filter((flag) => flag !== '');
  if (chosen.length > 0) query.flags = chosen as LogFlag[];
  if (field('q')) query.q = field('q');

  const options: CorrespondenceOptions = { sort: (field('sort') || 'newest') as LogSort };
  const limit = field('limit');
  if (limit) {
    if (!/^\d{1,4}$/.test(limit)) throw new DocketError('invalid_input', 'limit must be a number');
    options.limit = Number(limit);
  }
  if (field('cursor')) options.cursor = field('cursor');
  return { query, options };
}

function dayStart(text: string, zone: string, field: string): DateTime {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone }) : null;
  if (!day?.isValid) {
    throw new DocketError('invalid_input', `the ${field} date must be a day such as 2026-11-02`);
  }
  return day.startOf('day');
}
