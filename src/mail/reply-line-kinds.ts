/**
 * The first half of reply trimming: every line of a plain-text body gets a kind (quote, quote
 * header, header block, forward separator, signature delimiter, device line, rule, code, text…).
 * reply-cut.ts then decides on the pattern of kinds, not on any one line. Each line is read once
 * and only its first few hundred characters are matched, so the work grows with the body.
 */
import { attributionEnd, isAttribution } from './reply-attribution.js';
import { headerBlockAt, headerField } from './reply-header-block.js';
import { separatorKind } from './reply-separators.js';
import { isDeviceLine, isRule, isSignatureDelimiter } from './reply-signature.js';

export type LineKind =
  | 'blank'
  /** A `>` line with something after the marks. */
  | 'quote'
  /** A line of `>` marks only: a blank line inside a quote. */
  | 'emptyQuote'
  /** "On … wrote:" and its kin, possibly over several lines. */
  | 'attribution'
  /** "-----Original Message-----", "Begin forwarded message:" and their kin. */
  | 'separator'
  /** A line of a From/Sent/To/Subject block. */
  | 'header'
  /** `-- `, `--`, `__`, a lone dash: a signature starts here. */
  | 'delimiter'
  /** "Sent from my iPhone" and its kin. */
  | 'device'
  /** A longer rule: content, unless it sits on the history or on a contact card. */
  | 'rule'
  /** A line inside a fenced ``` block: content, whatever it looks like. */
  | 'code'
  | 'text';

/** Where a marker spanning one or more lines starts and ends, for reasons and cuts. */
export interface MarkerSpan {
  kind: 'attribution' | 'original' | 'forward' | 'header';
  start: number;
  end: number;
}

export interface ClassifiedLines {
  kinds: LineKind[];
  /** Attributions, separators and header blocks, in line order. */
  markers: MarkerSpan[];
}

/** What the person wrote, as far as kinds go: text, and code pasted in a fenced block. */
export const isContent = (kind: LineKind | undefined) => kind === 'text' || kind === 'code';
/** A blank line, or a line of bare `>` marks (a blank line inside a quote). */
export const isBlankLike = (kind: LineKind | undefined) =>
  kind === 'blank' || kind === 'emptyQuote';

/** Counts lines visited, so a test can check that trimming stays linear in the body's size. */
export interface StepCounter {
  steps: number;
}

// `>` marks, and two older styles: nmh's "| " (a lone bar, unlike a table row) and Supercite's
// initials ("JR> ").
const QUOTE_MARKS = /^\s*(?:>[\s>]*|\|(?=\s|$)[\s>]*|[A-Z]{1,4}>[\s>]*)/;
const FENCE = /^\s{0,3}```/;

/** How a line is quoted: 'quote', 'empty' (quote marks only) or null (not quoted). */
function quoting(line: string): 'quote' | 'empty' | null {
  const marks = QUOTE_MARKS.exec(line);
  if (marks === null) return null;
  const end = marks[0].length;
  // A second bar makes "| a | b |" a table row, not a quote.
  if (marks[0].includes('|') && line.includes('|', end)) return null;
  return line.trimEnd().length <= end ? 'empty' : 'quote';
}

/** A quoted line whose text is itself a quote header or separator: history quoted whole. */
export function isQuotedMarker(line: string): boolean {
  if (quoting(line) !== 'quote') return false;
  const quoted = line.replace(QUOTE_MARKS, '');
  return isAttribution(quoted) || separatorKind(quoted) !== null;
}

/** Fenced blocks that close: an unclosed ``` must not hide the history below it. */
function codeLines(lines: readonly string[], counter: StepCounter): Set<number> {
  const code = new Set<number>();
  let open = -1;
  for (let i = 0; i < lines.length; i++) {
    counter.steps += 1;
    if (!FENCE.test(lines[i] ?? '')) continue;
    if (open < 0) {
      open = i;
    } else {
      for (let k = open; k <= i; k++) code.add(k);
      open = -1;
    }
  }
  return code;
}

/** The previous non-blank line is a rule or separator: a header block may be shorter under one. */
function underRule(kinds: readonly LineKind[], i: number): boolean {
  for (let k = i - 1; k >= 0 && k >= i - 3; k--) {
    if (kinds[k] === 'blank') continue;
    return kinds[k] === 'rule' || kinds[k] === 'separator' || kinds[k] === 'delimiter';
  }
  return false;
}

/** The kinds a line has on its own, whatever surrounds it; null when that takes a closer look. */
function simpleKind(line: string, inCode: boolean): LineKind | null {
  if (inCode) return 'code';
  if (line.trim() === '') return 'blank';
  const quoted = quoting(line);
  if (quoted !== null) return quoted === 'empty' ? 'emptyQuote' : 'quote';
  if (isSignatureDelimiter(line)) return 'delimiter';
  return null;
}

/**
 * Kinds for every line of `lines` (already free of invisible marks). Quote lines stay quotes
 * whatever they say; a marker inside a quote is part of the history the quote already is.
 */
export function classifyLines(
  lines: readonly string[],
  counter: StepCounter = { steps: 0 },
): ClassifiedLines {
  const kinds: LineKind[] = new Array<LineKind>(lines.length).fill('text');
  const markers: MarkerSpan[] = [];
  const code = codeLines(lines, counter);
  for (let i = 0; i < lines.length; i++) {
    counter.steps += 1;
    const line = lines[i] ?? '';
    const kind = simpleKind(line, code.has(i));
    if (kind !== null) {
      kinds[i] = kind;
      continue;
    }
    const separator = separatorKind(line);
    if (separator !== null) {
      kinds[i] = 'separator';
      markers.push({ kind: separator, start: i, end: i + 1 });
      continue;
    }
    if (isRule(line)) {
      kinds[i] = 'rule';
      continue;
    }
    const end = attributionEnd(lines, i, counter);
    if (end > i) {
      for (let k = i; k < end; k++) kinds[k] = 'attribution';
      markers.push({ kind: 'attribution', start: i, end });
      i = end - 1;
      continue;
    }
    const block =
      headerField(line) === null ? null : headerBlockAt(lines, i, underRule(kinds, i), counter);
    if (block) {
      for (let k = block.start; k < block.end; k++) kinds[k] = 'header';
      markers.push({ kind: 'header', start: block.start, end: block.end });
      i = block.end - 1;
      continue;
    }
    kinds[i] = isDeviceLine(line) ? 'device' : 'text';
  }
  return { kinds, markers };
}
