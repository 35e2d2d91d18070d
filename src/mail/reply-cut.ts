/**
 * The second half of reply trimming: given the kind of every line (reply-line-kinds.ts), decide
 * which lines are the new text by the pattern of kinds, the way the strongest open-source
 * trimmers do (mailgun/talon, discourse/email_reply_trimmer), with Docket's conventions
 * (fixtures/reply-trimming/README.md):
 *
 * - history that opens the message, then the person's text below it: a bottom-post, keep the text;
 * - answers between quoted lines: an inline reply, keep quotes and answers, cut the quote header;
 * - the person's text, then a quote header or a separator: a top-post, cut from there;
 * - in what is left, cut the tail that is not theirs (reply-tail.ts): a signature, quoted lines
 *   left unanswered at the end.
 *
 * Every scan moves forward from where the last one stopped (or back from a fixed end), so the
 * work is linear in the number of lines.
 */
import {
  isQuotedMarker,
  type ClassifiedLines,
  type LineKind,
  type MarkerSpan,
  type StepCounter,
} from './reply-line-kinds.js';
import { clip, isBlankLike, isContent, tailCut } from './reply-tail.js';

export interface ReplyCut {
  /** `keep[i]`: line `i` is part of the new text. */
  keep: boolean[];
  reasons: string[];
  /** Quoted history was cut (not only a signature). */
  historyFound: boolean;
}

const isMarker = (kind: LineKind | undefined) =>
  kind === 'attribution' || kind === 'separator' || kind === 'header';
const endsText = (kind: LineKind | undefined) => kind === 'delimiter' || kind === 'device';

interface AnswerRun {
  start: number;
  /** The run continues a long quoted line the client wrapped: no blank line between them. */
  continuation: boolean;
  /** More quoted lines (or history) come after the run. */
  followedByQuote: boolean;
}

// Clients wrap quoted lines at 72–78 characters; a shorter quoted line was not wrapped, so a line
// of text straight under it is an answer, not the rest of the quote.
const WRAP_WIDTH = 60;
const QUOTE_MARKS = /^[\s>]+/;
const wrapsOnto = (line: string) => line.replace(QUOTE_MARKS, '').length >= WRAP_WIDTH;

/**
 * Runs of the person's text among quoted lines from `from` on, up to a signature. Text before
 * the first quoted line is unquoted history (an Outlook body under its header), not an answer; a
 * run straight under a long quoted line and followed by more quoted lines is the rest of that
 * line, which the client wrapped, not an answer.
 */
function answerRuns(
  lines: readonly string[],
  kinds: readonly LineKind[],
  from: number,
  counter: StepCounter,
): AnswerRun[] {
  const runs: AnswerRun[] = [];
  let open: AnswerRun | null = null;
  let sawQuote = false;
  let wrapped = false;
  for (let i = from; i < kinds.length; i++) {
    counter.steps += 1;
    const kind = kinds[i];
    if (kind === 'quote' || isMarker(kind)) {
      if (open) open.followedByQuote = true;
      open = null;
      sawQuote ||= kind === 'quote';
      wrapped = kind === 'quote' && wrapsOnto(lines[i] ?? '');
    } else if (isBlankLike(kind)) {
      wrapped = false;
    } else if (endsText(kind)) {
      break;
    } else if (sawQuote && open === null && isContent(kind)) {
      open = { start: i, continuation: wrapped, followedByQuote: false };
      runs.push(open);
    }
  }
  return runs.filter((run) => !(run.continuation && run.followedByQuote));
}

/**
 * True when answers follow the quote header ending at `from`: quoted lines, then the person's
 * text, set off by a blank line or under a quoted line too short to have been wrapped. Text under
 * a long quoted line is an answer only when nothing was written above the header (`!textAbove`)
 * and no quoted line follows it; otherwise it is the wrapped rest of the quote.
 */
function answersFollow(
  lines: readonly string[],
  kinds: readonly LineKind[],
  from: number,
  textAbove: boolean,
  counter: StepCounter,
): boolean {
  let sawQuote = false;
  let wrapped = false;
  let candidate = false;
  for (let i = from; i < kinds.length; i++) {
    counter.steps += 1;
    const kind = kinds[i];
    if (kind === 'quote') {
      sawQuote = true;
      wrapped = wrapsOnto(lines[i] ?? '');
      candidate = false;
    } else if (isBlankLike(kind)) {
      wrapped = false;
    } else if (endsText(kind) || isMarker(kind)) {
      return candidate;
    } else if (isContent(kind)) {
      if (!sawQuote) return false;
      if (!wrapped) return true;
      if (!textAbove) candidate = true;
    }
  }
  return candidate;
}

function markerReason(span: MarkerSpan, lines: readonly string[]): string {
  // A header block is named by its first line; a wrapped attribution by all of its lines.
  const end = span.kind === 'header' ? span.start + 1 : span.end;
  const text = clip(
    lines
      .slice(span.start, end)
      .map((l) => l.trim())
      .join(' '),
  );
  switch (span.kind) {
    case 'attribution':
      return `quote header: "${text}"`;
    case 'header':
      return `header block: "${text}"`;
    case 'forward':
      return `forwarded message: "${text}"`;
    case 'original':
      return `original message: "${text}"`;
  }
}

type Opening =
  | { kind: 'none' }
  /** Only history: nothing written above or below it. */
  | { kind: 'history only'; reason: string }
  /** The person's text (or inline answers) starts at `start`. */
  | { kind: 'bottom' | 'inline'; start: number; reason: string };

/**
 * When the message opens with history (a quote header, a separator or a header block, perhaps
 * under a rule, or a quote whose first line is a quote header), what follows it: the person's
 * answer below (a bottom-post), answers between its quoted lines (an inline reply), or nothing.
 */
function opening(
  lines: readonly string[],
  kinds: readonly LineKind[],
  spanAt: ReadonlyMap<number, MarkerSpan>,
  first: number,
  counter: StepCounter,
): Opening {
  let opener = first;
  while (kinds[opener] === 'rule' || kinds[opener] === 'blank') opener += 1;
  const span = spanAt.get(opener);
  if (span === undefined && !isQuotedMarker(lines[first] ?? '')) return { kind: 'none' };
  const why = span ? markerReason(span, lines) : `quoted history: "${clip(lines[first] ?? '')}"`;
  let after = span ? span.end : first;
  while (isMarker(kinds[after]) || isBlankLike(kinds[after]) || kinds[after] === 'rule') {
    after += 1;
  }
  const runs = answerRuns(lines, kinds, after, counter);
  const last = runs[runs.length - 1];
  if (last === undefined) {
    return { kind: 'history only', reason: `nothing written above or below the history; ${why}` };
  }
  if (runs.length === 1 && !last.followedByQuote) {
    return {
      kind: 'bottom',
      start: last.start,
      reason: `bottom-posted reply: the history above the answer cut; ${why}`,
    };
  }
  // Inline: the quoted questions stay with the answers; the opener's own lines go.
  let start = after;
  while (start < kinds.length && kinds[start] !== 'quote') start += 1;
  return {
    kind: 'inline',
    start,
    reason: `inline reply: answers between quoted lines kept; ${why}`,
  };
}

/** Decides the new text of `lines` from their kinds. */
export function cutReply(
  lines: readonly string[],
  { kinds, markers }: ClassifiedLines,
  historyFollows: boolean,
  counter: StepCounter = { steps: 0 },
): ReplyCut {
  const n = lines.length;
  const keep = new Array<boolean>(n).fill(true);
  const reasons: string[] = [];
  const cut = (from: number, to: number) => {
    for (let k = from; k < to; k++) keep[k] = false;
  };
  const spanAt = new Map(markers.map((span) => [span.start, span]));

  let first = 0;
  while (first < n && isBlankLike(kinds[first])) first += 1;
  // Nothing but blank lines and empty `>` lines: nothing written.
  if (first === n) {
    cut(0, n);
    return { keep, reasons, historyFound: false };
  }

  const opened = opening(lines, kinds, spanAt, first, counter);
  if (opened.kind === 'history only') {
    cut(0, n);
    return { keep, reasons: [opened.reason], historyFound: true };
  }
  let start = first;
  if (opened.kind !== 'none') {
    reasons.push(opened.reason);
    start = opened.start;
    cut(0, start);
  }

  // Top-posting: the person's text runs until the first marker; an inline one is cut alone.
  let end = n;
  let contentAbove = false;
  let inlineCut = false;
  for (let i = start; i < n; i++) {
    counter.steps += 1;
    const span = spanAt.get(i);
    if (span === undefined) {
      contentAbove ||= isContent(kinds[i]);
      continue;
    }
    const inline =
      span.kind === 'attribution' && answersFollow(lines, kinds, span.end, contentAbove, counter);
    const why = markerReason(span, lines);
    if (!inline) {
      reasons.push(why);
      end = i;
      break;
    }
    reasons.push(`inline reply: answers between quoted lines kept; ${why}`);
    cut(span.start, span.end);
    inlineCut = true;
    i = span.end - 1;
  }

  const tail = tailCut({ lines, kinds, keep, start, end }, historyFollows || end < n, counter);
  reasons.push(...tail.reasons);
  cut(tail.end, n);
  return {
    keep,
    reasons,
    historyFound: opened.kind !== 'none' || end < n || inlineCut || tail.quoteCut,
  };
}
