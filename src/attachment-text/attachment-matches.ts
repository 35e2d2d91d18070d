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
  /**
   * Where its text says it, the found words marked: for the first attachment of a message whose
   * text matched (one headline per row is what a page of results can show, and afford). Empty
   * for the others, and when only the file name matched.
   */
  headline: HeadlinePart[];
}

// ts_headline marks the words with these; extracted text never holds them (capped-text.ts drops
// control characters), so splitting on them cannot be fooled by a document.
const START = '\u0002';
const STOP = '\u0003';
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12`;
/**
 * ts_headline parses all the text it is given (about a millisecond per 4,000 characters), and a
 * text may be a megabyte: it is given this much from just before the first place a searched word
 * occurs, enough for a headline of thirty words, which keeps a page of fifty results fast.
 */
const WINDOW_CHARS = 1_500;
const WINDOW_BEFORE = 200;

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
  for (const match of await matchAttachments(db, projectId, { messageIds }, q)) {
    matches.set(match.messageId, [...(matches.get(match.messageId) ?? []), match]);
  }
  return matches;
}

/**
 * Which of these attachments (a submittal's documents, say) match a search, with headlines as
 * `findAttachmentMatches` gives them, in message and attachment order.
 */
export function findMatchingAttachments(
  db: Db,
  projectId: number,
  attachmentIds: readonly number[],
  q: string,
): Promise<AttachmentMatch[]> {
  return matchAttachments(db, projectId, { attachmentIds }, q);
}

async function matchAttachments(
  db: Db,
  projectId: number,
  scope: { messageIds: readonly number[] } | { attachmentIds: readonly number[] },
  q: string,
): Promise<AttachmentMatch[]> {
  const ids = 'messageIds' in scope ? scope.messageIds : scope.attachmentIds;
  if (ids.length === 0) return [];
  const query = sql<string>`websearch_to_tsquery('simple', ${q})`;
  const word = firstSearchedWord(q);
  const matching = db
    .selectFrom('attachments as a')
    .leftJoin('attachment_texts as t', (join) =>
      join.onRef('t.project_id', '=', 'a.project_id').onRef('t.attachment_id', '=', 'a.id'),
    )
    .select([
      'a.id',
      'a.message_id',
      'a.filename',
      'a.position',
      't.text',
      sql<boolean>`coalesce(t.search @@ ${query}, false)`.as('text_matches'),
      // The headline goes to the first attachment of a message whose text matched.
      sql<number>`row_number() over (partition by a.message_id
        order by coalesce(t.search @@ ${query}, false) desc, a.position)`.as('rank'),
    ])
    .where('a.project_id', '=', projectId)
    .where('messageIds' in scope ? 'a.message_id' : 'a.id', 'in', ids)
    .where(
      sql<boolean>`(coalesce(t.search, ''::tsvector) ||
        to_tsvector('simple', docket_search_words(coalesce(a.filename, '')))) @@ ${query}`,
    );
  const rows = await db
    .selectFrom(matching.as('m'))
    .select([
      'm.id',
      'm.message_id',
      'm.filename',
      sql<string | null>`case when m.text_matches and m.rank = 1 then ts_headline('simple',
        substr(m.text, greatest(1, strpos(lower(m.text), ${word}) - ${WINDOW_BEFORE}), ${WINDOW_CHARS}),
        ${query}, ${HEADLINE_OPTIONS}) end`.as('headline'),
    ])
    .orderBy('m.message_id')
    .orderBy('m.position')
    .execute();
  return rows.map((row) => ({
    attachmentId: row.id,
    messageId: row.message_id,
    filename: row.filename,
    headline: row.headline ? headlineParts(row.headline) : [],
  }));
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
