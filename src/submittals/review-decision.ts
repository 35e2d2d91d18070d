/**
 * Reading a reviewer's decision from a reply that has already been trimmed of quoted history and
 * signatures. Approvals by email are evidence, so the reader is deliberately strict: only the first
 * meaningful line counts, the response must open that line, and anything that reads like a sentence
 * or a question is not a decision. A miss costs the reviewer one more reply (we tell them what we
 * accept); a false "APPROVED" could cost a building.
 */
import { DocketError } from '../errors.js';

export const RESPONSE_CODES = [
  'APPROVED',
  'APPROVED AS NOTED',
  'REVISE AND RESUBMIT',
  'REJECTED',
  'FOR RECORD ONLY',
] as const;

export type ResponseCode = (typeof RESPONSE_CODES)[number];

/** Aliases every project accepts; a project's own aliases are added to (and may remap) these. */
export const DEFAULT_RESPONSE_ALIASES: Readonly<Record<string, ResponseCode>> = Object.freeze({
  'NO EXCEPTIONS TAKEN': 'APPROVED',
  'MAKE CORRECTIONS NOTED': 'APPROVED AS NOTED',
  AAN: 'APPROVED AS NOTED',
  'R&R': 'REVISE AND RESUBMIT',
});

export interface Decision {
  decision: ResponseCode | null;
  /** The words as the reviewer wrote them (`Approved as noted`, `R & R`), or null. */
  matched: string | null;
  /** Rest of the decision line plus every later line; the whole reply when nothing matched. */
  comment: string;
  /** One sentence saying why it matched or not, for the audit trail and the reply to the sender. */
  reason: string;
}

interface Phrase {
  words: string[];
  code: ResponseCode;
  /** The phrase as configured, for reasons and the accepted-responses list. */
  label: string;
}

interface Token {
  word: string;
  start: number;
  end: number;
}

/** Words are letters/digits; `&` is the word AND, so `R&R`, `R & R` and `R and R` are one alias. */
function tokenize(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}]+|&/gu)].map((m) => ({
    word: m[0] === '&' ? 'AND' : m[0].toUpperCase(),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/**
 * Check a project's aliases, throwing `DocketError('invalid_input')` for an alias without letters or
 * digits, one naming an unknown code, or one that would give a response code another meaning
 * (`"Approved" → REJECTED`). Call it when the project's settings are saved or loaded.
 */
export function validateResponseAliases(aliases: Readonly<Record<string, ResponseCode>>): void {
  phrases(aliases);
}

function phrases(aliases: Readonly<Record<string, ResponseCode>>): Phrase[] {
  const byKey = new Map<string, Phrase>(
    RESPONSE_CODES.map((code) => [code, { words: code.split(' '), code, label: code }]),
  );
  for (const [label, code] of Object.entries({ ...DEFAULT_RESPONSE_ALIASES, ...aliases })) {
    const words = tokenize(label.normalize('NFKC')).map((t) => t.word);
    const key = words.join(' ');
    if (!RESPONSE_CODES.includes(code)) {
      throw invalid(
        `Response alias "${label}" maps to unknown response code ${JSON.stringify(code)}`,
      );
    }
    if (words.length === 0) throw invalid(`Response alias "${label}" has no letters or digits`);
    // A response code always means itself: a project cannot turn "Approved" into REJECTED.
    if ((RESPONSE_CODES as readonly string[]).includes(key)) {
      if (key === code) continue;
      throw invalid(`Response alias "${label}" would make the response ${key} mean ${code}`);
    }
    byKey.set(key, { words, code, label });
  }
  return [...byKey.values()];
}

function invalid(message: string): DocketError {
  return new DocketError('invalid_input', message);
}

/**
 * Bullets, quote marks and Markdown emphasis may come before the response: `- **Approved**`. Not
 * `>`: a quoted line that survived trimming is someone else's words.
 */
const LEADING_DECORATION = /^[\s*_~#"'“‘([•·-]*$/u;
/** Between the words of a response: spaces, dashes, commas, emphasis — not a sentence break. */
const INNER_GAP = /^[^.!?;:\p{L}\p{N}]*$/u;
const CLOSING_DECORATION = /^[*_~"'”’)\]]+/u;
const SEPARATOR = /^\s*[.,:;!/(–—-]/u;
/** Words that point at the comments rather than start a sentence: "Approved as noted below". */
const POINTER_TEXT = /^\s+(?:please\s+|pls\s+)?(?:see|refer|per|below)\b/iu;
const GREETING =
  /^[\s*_]*(?:hi|hello|hey|hiya|dear|greetings|good\s+(?:morning|afternoon|evening|day)|morning|afternoon|evening)\b/iu;
const NAME_ONLY = /^[\p{Lu}][\p{L}'.-]*(?:\s+[\p{Lu}][\p{L}'.-]*){0,2}\s*,$/u;

/**
 * The decision on the first meaningful line of a trimmed reply.
 *
 * Rules, in order:
 * 1. Blank lines and lines without a letter or digit are skipped, and so is a greeting alone
 *    ("Hi Dana," / "Hello" / "Dear all," / "Dana,"). A greeting followed by a comma, `!` or `:` and
 *    more text ("Hi Dana, approved as noted") gives up the rest of its line as the decision line.
 * 2. That one line is read; later lines never supply a decision.
 * 3. A response code or alias must open the line (after bullets, quote marks or `**`; never after
 *    `>`), its words matched case-insensitively (NFKC, `&` = AND) with any spacing, dashes or
 *    commas between them but no `. ! ? ; :`. The longest match wins (`APPROVED AS NOTED` over
 *    `APPROVED`); if it then fails rule 4 there is no fallback to a shorter one.
 * 4. After the response comes the end of the line, punctuation (`.` `,` `:` `;` `!` `/` `-` `–` `—`
 *    `(`), or a pointer word: "see", "please see", "refer", "per", "below". Any other word makes it
 *    a sentence ("Approved by the owner last week?", "Approved with comments"), and a `?` before the
 *    first `. ! : ;` after it makes it a question ("Rejected?", "Approved, right?").
 *
 * `comment` drops the separator after the response; with no decision it is the whole reply.
 * `aliases` are the project's own, added to {@link DEFAULT_RESPONSE_ALIASES}; invalid ones throw
 * (see {@link validateResponseAliases}).
 */
export function parseDecision(
  replyText: string,
  aliases: Readonly<Record<string, ResponseCode>> = {},
): Decision {
  const text = replyText.normalize('NFKC').replace(/\r\n?/g, '\n');
  const known = phrases(aliases);
  const lines = text.split('\n');
  const none = (reason: string): Decision => ({
    decision: null,
    matched: null,
    comment: text.trim(),
    reason,
  });

  const index = lines.findIndex(
    (line) => /[\p{L}\p{N}]/u.test(line) && !isGreetingAlone(line, known),
  );
  if (index < 0) {
    return none(
      text.trim() === ''
        ? 'The reply is empty, so there is no decision to read.'
        : 'The reply holds only a greeting, so there is no decision to read.',
    );
  }
  const original = lines[index] ?? '';
  let line = original;
  const greeting = GREETING.exec(line) ? /[,!:]/.exec(line) : null;
  if (greeting) line = line.slice(greeting.index + 1);
  const following = lines.slice(index + 1).join('\n');

  const tokens = tokenize(line);
  const first = tokens[0];
  if (!first || !LEADING_DECORATION.test(line.slice(0, first.start))) {
    return none(`The first line ${quote(original)} does not start with a response.`);
  }
  let best: Phrase | undefined;
  for (const phrase of known) {
    if (phrase.words.length > (best?.words.length ?? 0) && opens(line, tokens, phrase.words)) {
      best = phrase;
    }
  }
  const last = best && tokens[best.words.length - 1];
  if (!best || !last) {
    return none(`The first line ${quote(original)} does not start with a response.`);
  }

  const matched = line.slice(first.start, last.end);
  const rest = line.slice(last.end).replace(CLOSING_DECORATION, '');
  const clause = /^[^.!:;]*/u.exec(rest)?.[0] ?? '';
  const sentence = rest.trim() !== '' && !SEPARATOR.test(rest) && !POINTER_TEXT.test(rest);
  if (sentence && !/^\s*\?/u.test(rest)) {
    return none(
      `${quote(matched)} is followed by ${quote(rest.trim())}, so the line reads as a sentence, not a decision.`,
    );
  }
  if (clause.includes('?')) {
    return none(
      `${quote(matched)} is followed by a question mark, so it reads as a question, not a decision.`,
    );
  }
  const comment = [rest.replace(/^[\s.,:;!/–—-]+/u, ''), following].join('\n').trim();
  const via = best.label === best.code ? '' : `, an alias of ${best.code}`;
  return {
    decision: best.code,
    matched,
    comment,
    reason: `The first line starts with ${quote(matched)}, read as ${best.label}${via}.`,
  };
}

function opens(line: string, tokens: Token[], words: string[]): boolean {
  return words.every((word, i) => {
    const token = tokens[i];
    const previous = tokens[i - 1];
    if (token?.word !== word) return false;
    return !previous || INNER_GAP.test(line.slice(previous.end, token.start));
  });
}

/**
 * A greeting line with nothing after it. A line holding any word of a response (or NOT/NO) is never
 * one, so "Not Approved," or "Hello approved" cannot be skipped to reach a later line.
 */
function isGreetingAlone(line: string, known: Phrase[]): boolean {
  const tokens = tokenize(line);
  const responseWords = new Set(['NOT', 'NO', ...known.flatMap((phrase) => phrase.words)]);
  if (tokens.some((token) => responseWords.has(token.word))) return false;
  if (NAME_ONLY.test(line.trim())) return true;
  if (!GREETING.test(line)) return false;
  const separator = /[,!:]/.exec(line);
  if (!separator) return tokens.length <= 3; // "Hello Dana"; anything longer is a sentence
  return !/[\p{L}\p{N}]/u.test(line.slice(separator.index + 1));
}

function quote(text: string): string {
  const short = text.trim().length > 60 ? `${text.trim().slice(0, 57)}…` : text.trim();
  return `"${short}"`;
}

/**
 * The list of accepted responses, for the "we could not read your decision" reply: one line per
 * response code with its aliases (defaults plus the project's).
 */
export function acceptedResponsesText(
  aliases: Readonly<Record<string, ResponseCode>> = {},
): string {
  const known = phrases(aliases);
  const lines = RESPONSE_CODES.map((code) => {
    const others = known.filter((p) => p.code === code && p.label !== code).map((p) => p.label);
    return others.length > 0 ? `  ${code} (or ${others.join(', ')})` : `  ${code}`;
  });
  return [
    'Start the first line of your reply with one of these responses:',
    ...lines,
    'You may add comments after it on the same line (e.g. "APPROVED AS NOTED: see markups") or below.',
  ].join('\n');
}
