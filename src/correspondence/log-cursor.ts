import { z } from 'zod';
import { DocketError } from '../errors.js';

export const LOG_SORTS = ['newest', 'oldest', 'sender', 'subject'] as const;
export type LogSort = (typeof LOG_SORTS)[number];

/**
 * Where a page starts: the sort key of the row next to it. `at` is `received_at` to the
 * microsecond as PostgreSQL printed it (a JavaScript Date keeps milliseconds, which would skip or
 * repeat rows that differ below that); `group` is the sender or subject key of the group sorts.
 */
export interface LogPosition {
  group: string | null;
  at: string;
  id: number;
}

export interface LogCursor {
  sort: LogSort;
  /** `next`: the rows after the position; `prev`: the rows before it. */
  direction: 'next' | 'prev';
  position: LogPosition;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const cursorSchema = z.object({
  v: z.literal(1),
  s: z.enum(LOG_SORTS),
  d: z.enum(['next', 'prev']),
  // Group keys are subjects and addresses cut to at most 320 characters (log-query.ts), each one
  // or two UTF-16 units; PostgreSQL text cannot hold NUL.
  g: z
    .string()
    .max(640)
    .refine((value) => !value.includes('\u0000'))
    .nullable(),
  t: z.string().regex(INSTANT).refine(isRealInstant),
  i: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/** Opaque to the client: base64url of a small JSON object. It carries a position, no authority. */
export function encodeCursor(cursor: LogCursor): string {
  const { sort, direction, position } = cursor;
  const payload = {
    v: 1,
    s: sort,
    d: direction,
    g: position.group,
    t: position.at,
    i: position.id,
  };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/**
 * Reads a cursor for `sort`. Anything this module did not write (edited, truncated, from another
 * sort order) is `invalid_input`, so no malformed value ever reaches the database.
 */
export function decodeCursor(value: string, sort: LogSort): LogCursor {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw new DocketError('invalid_input', 'the page cursor is not one of ours');
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) throw new DocketError('invalid_input', 'the page cursor is not one of ours');
  const { s, d, g, t, i } = parsed.data;
  if (s !== sort) throw new DocketError('invalid_input', 'the page cursor is for another order');
  if ((g === null) !== (s === 'newest' || s === 'oldest')) {
    throw new DocketError('invalid_input', 'the page cursor is not one of ours');
  }
  return { sort: s, direction: d, position: { group: g, at: t, id: i } };
}

/** Rejects dates the pattern allows but the calendar does not (2026-02-30), before SQL sees them. */
function isRealInstant(value: string): boolean {
  const millis = Date.parse(`${value.slice(0, 23)}Z`);
  return (
    !Number.isNaN(millis) && new Date(millis).toISOString().slice(0, 23) === value.slice(0, 23)
  );
}
