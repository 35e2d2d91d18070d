/**
 * Where the person's answers are among quoted lines: runs of their text between or after `>`
 * lines, told apart from the wrapped rest of a long quoted line, and, below a top-posted text,
 * from the signature, disclaimer or list footer a client put under the quote. reply-cut.ts uses
 * this to tell a bottom-post or an inline reply from quoted history.
 */
import { isBlankLike, isContent, type LineKind, type StepCounter } from './reply-line-kinds.js';

export const isMarker = (kind: LineKind | undefined) =>
  kind === 'attribution' || kind === 'separator' || kind === 'header';
const endsText = (kind: LineKind | undefined) => kind === 'delimiter' || kind === 'device';

// "Hi Jane,", "Hallo Herr Weber,", "Hi.", "Jane,": one short line that only opens the message.
const GREETING_LENGTH = 40;
const GREETING_WORD = new RegExp(
  `^(?:${[
    'hi',
    'hello',
    'hey',
    'dear',
    'good (?:morning|afternoon|evening|day)',
    'morning',
    'greetings',
    'hallo',
    'liebe[rs]?',
    'sehr geehrte[rs]?',
    'guten (?:morgen|tag|abend)',
    'moin',
    'servus',
    'hej',
    'hejsan',
    'bonjour',
    'bonsoir',
    'salut',
    'cher',
    'chère',
    'hola',
    'buenos días',
    'buenas',
    'estimad[oa]s?',
    'ciao',
    'buongiorno',
    'gentile',
    'beste',
    'hoi',
    'goedemorgen',
    'goedemiddag',
    'dzień dobry',
    'witam',
    'cześć',
    'szanown[ya]',
    'здравствуйте',
    'добрый (?:день|вечер)',
    'доброе утро',
    'привет',
    'уважаем\\p{L}*',
    'вітаю',
    'доброго дня',
    'добрий день',
    'привіт',
    'шановн\\p{L}*',
  ].join('|')})(?!\\p{L})`,
  'iu',
);
/** A line that only opens the message: "Hi Jane,", "Hallo Herr Weber,", "Hi.", "Jane,". */
export const isGreeting = (line: string) =>
  line.length <= GREETING_LENGTH && (GREETING_WORD.test(line) || /,$/u.test(line));

// Clients wrap quoted lines at 72–78 characters; a shorter quoted line was not wrapped, so a line
// of text straight under it is an answer, not the rest of the quote.
const WRAP_WIDTH = 60;
const QUOTE_MARKS = /^[\s>]+/;
const wrapsOnto = (line: string) =>
  line.length - (QUOTE_MARKS.exec(line)?.[0].length ?? 0) >= WRAP_WIDTH;

/** A run of the person's text among quoted lines. */
export interface Run {
  start: number;
  /** Straight under a long quoted line, with no blank line between. */
  underLongQuote: boolean;
  lines: number;
  blankInside: boolean;
  /** More quoted lines (or history) come after it. */
  followedByQuote: boolean;
  /** A signature delimiter or device line comes straight after it: the person signed it. */
  signedBelow: boolean;
}

/** One or two lines straight under a long quoted line: the rest of it, which the client wrapped. */
export const isWrappedRest = (run: Run) => run.underLongQuote && run.lines <= 2 && !run.blankInside;

/**
 * Runs of the person's text among quoted lines from `from` on, up to a signature or the end (or,
 * with `untilMarker`, the next quote header or header block). Text before the first quoted line
 * is unquoted history (an Outlook body under its header), and the wrapped rest of a quoted line
 * followed by more quoted lines is part of the quote: neither is a run.
 */
export function answerRuns(
  lines: readonly string[],
  kinds: readonly LineKind[],
  from: number,
  untilMarker: boolean,
  counter: StepCounter,
): Run[] {
  const runs: Run[] = [];
  let open: Run | null = null;
  let sawQuote = false;
  let wrapped = false;
  let blankSinceText = false;
  for (let i = from; i < kinds.length; i++) {
    counter.steps += 1;
    const kind = kinds[i];
    if (endsText(kind) || (untilMarker && isMarker(kind))) {
      if (open && isMarker(kind)) open.followedByQuote = true;
      if (open && endsText(kind)) open.signedBelow = true;
      break;
    }
    if (kind === 'quote' || isMarker(kind)) {
      if (open) open.followedByQuote = true;
      open = null;
      sawQuote ||= kind === 'quote';
      wrapped = kind === 'quote' && wrapsOnto(lines[i] ?? '');
    } else if (isBlankLike(kind)) {
      wrapped = false;
      blankSinceText = true;
    } else if (sawQuote && isContent(kind)) {
      if (open) open.blankInside ||= blankSinceText;
      else open = pushRun(runs, i, wrapped);
      open.lines += 1;
      blankSinceText = false;
    }
  }
  return runs.filter((run) => !(isWrappedRest(run) && run.followedByQuote));
}

function pushRun(runs: Run[], start: number, underLongQuote: boolean): Run {
  const run = {
    start,
    underLongQuote,
    lines: 0,
    blankInside: false,
    followedByQuote: false,
    signedBelow: false,
  };
  runs.push(run);
  return run;
}

/**
 * What the person wrote above a quote header: nothing, a greeting line ("Hi Jane,"), text, or
 * already answers between quoted lines (an inline reply under several quote headers).
 */
export type TextAbove = 'none' | 'greeting' | 'text' | 'inline';

// Below a top-posted text, a block this long after the last quoted line is taken for answers.
const LONG_ANSWER = 7;

/**
 * True when answers follow the quote header ending at `from`: quoted lines, then the person's
 * text, up to the next quote header. Below a top-posted text (more than a greeting), text between
 * quoted lines is an inline answer, but a short block after the last quoted line is more often a
 * signature, a disclaimer or a list footer the client put under the quote, unless the person
 * signed below it (`-- `, "Sent from my …").
 */
export function answersFollow(
  lines: readonly string[],
  kinds: readonly LineKind[],
  from: number,
  above: TextAbove,
  counter: StepCounter,
): boolean {
  const runs = answerRuns(lines, kinds, from, true, counter);
  const last = runs[runs.length - 1];
  if (last === undefined) return false;
  if (runs.length > 1 || last.followedByQuote) return true;
  if (isWrappedRest(last)) return above === 'none';
  return above !== 'text' || last.signedBelow || last.lines >= LONG_ANSWER;
}
