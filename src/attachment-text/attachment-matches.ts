import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** A stretch of a headline; `match` marks the words the search found. */
export interface HeadlinePart {
  text: string;
  match: boolean;
}

/** An attachment a search matched, by its text or its file name. */
export interface AttachmentMatch {
  attachmentId: number;
  messageId: number;
  filename: string | null;
  /** Where its text says it, the found words marked; empty when only the file name matched. */
  headline: HeadlinePart[];
}

// ts_headline marks the words with these; extracted text never holds them (capped-text.ts drops
// control characters), so splitting on them cannot be fooled by a document.
const START = '\u0002';
const STOP = '\u0003';
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
/**
 * ts_headline reads the whole text it is given, and a text may be a megabyte: it is given this
 * much around the first place a searched word occurs, which keeps a page of results fast.
 */
const WINDOW_CHARS = 10_000;
const WINDOW_BEFORE = 500;

/**
 * Which attachments of these messages match a search (`q` in web-search syntax, as the log
 * takes it), each with a headline of its text around the words found. For the rows on show only:
 * the log finds messages through their own search vector, into which each attachment's text is
 * folded; this says which attachment it was.
 */
export async function findAttachmentMatches(
  db: Db,
  projectId: number,
  messageIds: readonly number[],
  q: string,
): Promise<Map<number, AttachmentMatch[]>> {
  const matches = new Map<number, AttachmentMatch[]>();
  if (messageIds.length === 0) return matches;
  const query = sql<string>`websearch_to_tsquery('simple', ${q})`;
  const word = firstSearchedWord(q);
  const rows = await db
    .selectFrom('attachments as a')
    .leftJoin('attachment_texts as t', (join) =>
      join.onRef('t.project_id', '=', 'a.project_id').onRef('t.attachment_id', '=', 'a.id'),
    )
    .select([
      'a.id',
      'a.message_id',
      'a.filename',
      sql<string | null>`case when t.search @@ ${query} then ts_headline('simple',
        substr(t.text, greatest(1, strpos(lower(t.text), ${word}) - ${WINDOW_BEFORE}), ${WINDOW_CHARS}),
        ${query}, ${HEADLINE_OPTIONS}) end`.as('headline'),
    ])
    .where('a.project_id', '=', projectId)
    .where('a.message_id', 'in', messageIds)
    .where(
      sql<boolean>`(coalesce(t.search, ''::tsvector) ||
        to_tsvector('simple', docket_search_words(coalesce(a.filename, '')))) @@ ${query}`,
    )
    .orderBy('a.message_id')
    .orderBy('a.position')
    .execute();
  for (const row of rows) {
    const list = matches.get(row.message_id) ?? [];
    list.push({
      attachmentId: row.id,
      messageId: row.message_id,
      filename: row.filename,
      headline: row.headline ? headlineParts(row.headline) : [],
    });
    matches.set(row.message_id, list);
  }
  return matches;
}

/** ts_headline's output, split at its marks. */
export function headlineParts(headline: string): HeadlinePart[] {
  const parts: HeadlinePart[] = [];
  for (const piece of headline.split(START)) {
    const stop = piece.indexOf(STOP);
    if (stop < 0) {
      if (piece) parts.push({ text: piece, match: false });
      continue;
    }
    parts.push({ text: piece.slice(0, stop), match: true });
    const rest = piece.slice(stop + 1);
    if (rest) parts.push({ text: rest, match: false });
  }
  return parts.map((part) => ({ ...part, text: part.text.replace(/\s+/g, ' ') }));
}

/**
 * The first word a search looks for, lowercased, to find where to cut the text for its headline:
 * not an excluded word (`-draft`), not the `or` operator, quotes dropped.
 */
export function firstSearchedWord(q: string): string {
  for (const token of q.toLowerCase().split(/\s+/)) {
    if (token === '' || token === 'or' || token.startsWith('-')) continue;
    const word = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (word) return word;
  }
  return '';
}
