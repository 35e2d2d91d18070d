/**
 * Attributions: the line a mail client writes above the message it quotes ("On Tue, 14 May 2024
 * at 09:12, Jane Roe <jane@example.com> wrote:"), in the forms Gmail, Outlook, Apple Mail,
 * Thunderbird and webmail write in the languages of our users, possibly wrapped over up to four
 * lines. Recognised by shape rather than by a list of client strings: a date, time or address,
 * and a "wrote" verb in the right place, so that "In 2023 the architect wrote:" stays content.
 */

/** Lines longer than this are never an attribution (the longest real ones are about 250). */
export const MAX_ATTRIBUTION_LENGTH = 400;
const MAX_ATTRIBUTION_LINES = 4;

// "wrote" in the languages mail clients are set to, as the last word before the colon.
const VERB =
  'wrote|writes|a écrit|a ecrit|escribió|escribio|ha scritto|scrisse|escreveu|schrieb|hat geschrieben|schreef|het volgende geschreven|geschreven|skrev|kirjoitti|napisał\\(a\\)|napisała|napisał|pisze|napsal\\(a\\)|napsala|napsal|napísal|написал\\(а\\)|написала|написал|пишет|написав\\(ла\\)|написав|пише|писав|írta|yazdı';
// Chinese, Korean and Japanese verbs follow the time with no space.
const CJK_VERB = '写道|寫道|작성|のメッセージ';
// Anything after the verb: a colon, Zoho's dashes, Hungarian's "(időpont: …)".
const VERB_LAST = new RegExp(
  `(?:(?:^|[\\s,)>"'])(?:${VERB})|${CJK_VERB})(?:\\s*\\([^()]{0,80}\\))?\\s*[:：]?[\\s-]*$`,
  'iu',
);
// Forms that put the verb before the name: "Am 14.05.2024 um 09:12 schrieb Klaus Weber:",
// "tis 14 maj 2024 kl 09:12 skrev Lars <…>:", "Jane wrote on 14/05/2024 09:12:".
const VERB_MIDDLE =
  /(?:^|\s)(?:schrieb|schreef|skrev|wrote|a écrit|napisał\(a\)|napisał|написал\(а\)|написал)\s.{1,200}[:：]\s*$/iu;
// Thunderbird's "<name> wrote on <date>:" and its translations.
const WROTE_ON =
  /^[^:：]{1,80}\s(?:wrote on|schrieb am|a écrit le|escribió el|schreef op|skrev den|skrev)\s.{1,80}[:：]\s*$/iu;
// Webmail attributions with no verb end with the sender's address and a colon:
// "вт, 14 мая 2024 г. в 09:12, Ольга <o@example.com>:", "30.09.2017, 18.30, "J" <j@example.com>:".
const ENDS_WITH_ADDRESS = /[<(\s][^\s<>()@]+@[^\s<>()@]+[>)]?\s*[:：]\s*$/u;
const ENDS_WITH_ADDRESS_NO_COLON = /<[^\s<>@]+@[^\s<>@]+>\s*$/u;
// Gmail's old form, sometimes with the address stripped: "2016-03-03 17:21 GMT+01:00 Some One".
const ISO_DATE_GMT_NAME = /^\s*\d{4}-\d{2}-\d{2} \d{1,2}:\d{2} GMT[+-]\d{1,2}:?\d{2}\s+\S/u;
// "codinghorror via Discourse Meta wrote:"
const VIA_WROTE = /^[^:]{1,80}\svia\s[^:]{1,80}\s(?:wrote|schrieb)\s*:?\s*$/iu;

const EMAIL = /[^\s<>()"'@]+@[^\s<>()"'@.]+(?:\.[^\s<>()"'@.]+)+/u;
const TIME = /(?:^|\D)\d{1,2}[:.h]\d{2}(?:\D|$)/u;
const NUMERIC_DATE = /\d{1,4}[./-]\s?\d{1,2}[./-]\s?\d{2,4}/u;
const CJK_DATE = /\d{4}\s?[年년]\s?\d{1,2}\s?[月월]/u;
// A day number beside a word (a month, in any language): "Dec 9", "14 May", "14. mai", "21 de".
const DAY_AND_WORD = /(?:^|[\s,(])(?:\d{1,2}\.?\s+\p{L}{3,}|\p{L}{3,}\.?\s+\d{1,2}(?!\d))/u;

// What a wrapped attribution starts with: a localised "On", a date or weekday, an address.
const OPENER =
  /^(?:On|At|Le|El|Il|Il giorno|In data|Em|Am|Op|Den|På|W dniu|Dnia|Dňa|Dne|Dana|Pada|Vào|In message)\s/u;
const STARTS_LIKE_ATTRIBUTION = new RegExp(
  [
    OPENER.source,
    '^\\d', // a date or time first
    '^\\p{L}{1,4}\\.?,?\\s+\\d', // a weekday abbreviation: "tis 14", "вт, 14", "wt., 14", "út 14."
    '^\\p{Lu}\\p{Ll}+,\\s+\\d', // a weekday: "Wednesday, 17 November", "Вторник, 14 мая"
    '^-{2,}\\s*(?:On|Le|Am|El)\\s', // Zoho, Yahoo: "---- On …"
  ].join('|'),
  'u',
);

function hasStrongEvidence(text: string): boolean {
  return EMAIL.test(text) || TIME.test(text) || NUMERIC_DATE.test(text) || CJK_DATE.test(text);
}

/** True when `text` (one line, or wrapped lines joined) is a complete attribution. */
export function isAttribution(text: string): boolean {
  const line = text.trim().replace(/^-{2,}\s*/, '');
  if (line.length < 8 || line.length > MAX_ATTRIBUTION_LENGTH) return false;
  if (ISO_DATE_GMT_NAME.test(line)) return true;
  if (VIA_WROTE.test(line)) return true;
  const opener = OPENER.test(line);
  if (VERB_LAST.test(line)) {
    if (hasStrongEvidence(line)) return true;
    // "On Wed, Dec 9, Mister Example wrote:" has no year or time, but an opener and a day.
    return opener && DAY_AND_WORD.test(line);
  }
  if (VERB_MIDDLE.test(line)) {
    if (!hasStrongEvidence(line)) return false;
    return (
      opener ||
      EMAIL.test(line) ||
      (WROTE_ON.test(line) && (TIME.test(line) || NUMERIC_DATE.test(line)))
    );
  }
  if (ENDS_WITH_ADDRESS.test(line)) return TIME.test(line) || NUMERIC_DATE.test(line);
  // "2013/10/2 Jane Roe <jane@example.com>" with no colon: only when it starts with the date.
  return /^\d/.test(line) && NUMERIC_DATE.test(line) && ENDS_WITH_ADDRESS_NO_COLON.test(line);
}

/** How a wrapped line continues the one above: no space inside an address or after `<`. */
function joinWrapped(joined: string, next: string): string {
  const piece = next.trim();
  return /[<(]$/.test(joined) || /^[>@)]/.test(piece) ? `${joined}${piece}` : `${joined} ${piece}`;
}

const QUOTED = /^\s*>/;
// A client that wrapped the attribution just before its closing ">:" leaves that on its own line,
// where it reads like an empty quote line.
const CLOSING_BRACKET_LINE = /^\s*>\s*[:：]\s*$/;

/**
 * The attribution starting at line `start`, if any: the index just past its last line. It may be
 * wrapped over up to four lines; a wrapped one must start like one (a localised "On", a date, a
 * weekday or an address) and its inner lines must not end a sentence, so a line of content above
 * an attribution is never taken into it.
 */
export function attributionEnd(
  lines: readonly string[],
  start: number,
  counter: { steps: number } = { steps: 0 },
): number {
  const first = (lines[start] ?? '').trim();
  if (first === '' || QUOTED.test(first) || first.length > MAX_ATTRIBUTION_LENGTH) return -1;
  if (isAttribution(first)) return start + 1;
  const wrapped = STARTS_LIKE_ATTRIBUTION.test(first) || /[<@]/.test(first);
  if (!wrapped) return -1;
  let joined = first;
  for (let k = start + 1; k < Math.min(start + MAX_ATTRIBUTION_LINES, lines.length); k++) {
    counter.steps += 1;
    const previous = (lines[k - 1] ?? '').trim();
    const line = lines[k] ?? '';
    if (line.trim() === '' || /[.!?]$/.test(previous)) return -1;
    if (QUOTED.test(line) && !CLOSING_BRACKET_LINE.test(line)) return -1;
    // A new attribution starting on the next line is not the end of this one.
    if (OPENER.test(line.trim())) return -1;
    joined = joinWrapped(joined, line);
    if (joined.length > MAX_ATTRIBUTION_LENGTH) return -1;
    if (isAttribution(joined)) return k + 1;
  }
  return -1;
}
