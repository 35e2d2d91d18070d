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
  isBlankLike,
  isContent,
  isQuotedMarker,
  type ClassifiedLines,
  type LineKind,
  type MarkerSpan,
  type StepCounter,
} from './reply-line-kinds.js';
import {
  answerRuns,
  answersFollow,
  isGreeting,
  isMarker,
  type TextAbove,
} from './reply-answers.js';
import { clip, tailCut } from './reply-tail.js';

export interface ReplyCut {
  /** `keep[i]`: line `i` is part of the new text. */
  keep: boolean[];
  reasons: string[];
  /** Quoted history was cut (not only a signature). */
  historyFound: boolean;
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
  const runs = answerRuns(lines, kinds, after, false, counter);
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
  let contentLines = 0;
  let greeting = false;
  let inlineCut = opened.kind === 'inline';
  for (let i = start; i < n; i++) {
    counter.steps += 1;
    const span = spanAt.get(i);
    if (span === undefined) {
      if (isContent(kinds[i])) {
        contentLines += 1;
        greeting = contentLines === 1 && isGreeting((lines[i] ?? '').trim());
      }
      continue;
    }
    const above: TextAbove = inlineCut
      ? 'inline'
      : contentLines === 0
        ? 'none'
        : greeting
          ? 'greeting'
          : 'text';
    const inline =
      span.kind === 'attribution' && answersFollow(lines, kinds, span.end, above, counter);
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
