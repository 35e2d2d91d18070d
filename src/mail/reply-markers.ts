/**
 * Plain-text markers that start quoted history, found by our own rules. email-reply-parser
 * (see reply-parser-cut.ts) handles `>` quoting and most signatures; these catch what it misses:
 * attributions split over several lines, Outlook header blocks without `<address>`, localised
 * "original message" separators, forwards and Outlook's underscore separator.
 */

/** Where a marker starts (line index), why, and what kind of quoting follows it. */
export interface TextMarker {
  line: number;
  /** Index just after the marker's own lines (e.g. after a three-line attribution). */
  end: number;
  /** `attribution` is followed by `>`-quoted text; `header` and `separator` by unquoted history. */
  kind: 'attribution' | 'header' | 'separator';
  reason: string;
}

const QUOTED = /^\s*>/;

export function isQuoted(line: string): boolean {
  return QUOTED.test(line);
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** A line shortened for a reason string, so reasons stay readable in the UI and logs. */
export function clip(line: string, max = 120): string {
  const text = line.trim().replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// Attributions start with a localised "On"; requiring it (and a digit, i.e. a date) is what keeps
// content such as "In 2023 the architect wrote:" or "On the other hand…" in the reply.
const ATTRIBUTION_OPENER = /^\s*(?:On|Le|El|Il|Em|Am|Op|Den|På|W dniu|Dnia)\s/u;
const ATTRIBUTION_VERB_LAST =
  /(?:^|\s)(?:wrote|a écrit|escribió|ha scritto|escreveu|napisał\(a\)|napisał|pisze|írta|kirjoitti|написал\(а\)|написал)\s?:$/u;
const ATTRIBUTION_VERB_MIDDLE = /\s(?:schrieb|schreef|skrev)\s.*:$/u;
// Date-first attributions ("2013.02.08. 7:31 …, "Name" írta:", "26.06.2014, 14:41, "Name" <a@b>:").
const STARTS_WITH_DATE = /^\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}/;
const ENDS_WITH_ADDRESS = /<[^<>\s]+@[^<>\s]+>\s*:$/;

function endsLikeAttribution(text: string): boolean {
  return ATTRIBUTION_VERB_LAST.test(text) || ATTRIBUTION_VERB_MIDDLE.test(text);
}

/** An attribution at `i`, possibly wrapped over up to three lines: its first and end lines. */
function attributionAt(lines: readonly string[], i: number): { start: number; end: number } | null {
  const first = lines[i] ?? '';
  if (ATTRIBUTION_OPENER.test(first)) {
    let joined = '';
    for (let k = i; k < Math.min(i + 3, lines.length); k++) {
      const line = lines[k] ?? '';
      if (isBlank(line) || isQuoted(line)) break;
      joined = `${joined} ${line.trim()}`.trim();
      if (endsLikeAttribution(joined)) return /\d/.test(joined) ? { start: i, end: k + 1 } : null;
    }
    return null;
  }
  const text = first.trim();
  const verbal = endsLikeAttribution(text) && (text.includes('@') || STARTS_WITH_DATE.test(text));
  // Webmail attributions without a verb ("Thu, 26 Jun 2014 … от Name <a@b>:") only count when
  // quoted text follows, so a sentence ending in an address and a colon stays content.
  const verbless =
    ENDS_WITH_ADDRESS.test(text) && /\d/.test(text) && nextNonBlankIsQuoted(lines, i + 1);
  if (!verbal && !verbless) return null;
  // A client that wrapped the attribution inside the address ("… John Coe\n<a@b> kirjoitti:")
  // left its date and name on the line above.
  const above = lines[i - 1] ?? '';
  const wrapped =
    !isBlank(above) && !isQuoted(above) && (/^[<(]/.test(text) || /[<(]\s*$/.test(above));
  return { start: wrapped ? i - 1 : i, end: i + 1 };
}

function nextNonBlankIsQuoted(lines: readonly string[], from: number): boolean {
  for (let k = from; k < lines.length; k++) {
    const line = lines[k] ?? '';
    if (!isBlank(line)) return isQuoted(line);
  }
  return false;
}

const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Messaggio originale|Mensaje original|Oorspronkelijk bericht|Oprindelig meddelelse|Opprinnelig melding|Oprindelig besked|Ursprungligt meddelande|Alkuperäinen viesti|Wiadomość oryginalna|Mensagem original|Исходное сообщение)\s*-{2,}\s*$/iu;
const FORWARDED =
  /^\s*(?:-{2,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Message transféré|Messaggio inoltrato|Mensaje reenviado|Doorgestuurd bericht|Mensagem encaminhada|Videresendt meddelelse)\s*-{2,}|Begin forwarded message:|Anfang der weitergeleiteten Nachricht:|Début du message réexpédié :?)\s*$/iu;
// Outlook's reply separator is 32 underscores; a shorter run is more likely a signature rule.
const UNDERSCORE_SEPARATOR = /^\s*_{30,}\s*$/;
// Separators drawn above a header block (reply-html.ts renders `<hr>` as a run of dashes).
const RULE_LINE = /^\s*(?:-{4,}|_{4,}|={4,}|\*{4,})\s*$/;

/** A line drawn with dashes, underscores, equals or stars: a separator, not content. */
export function isRuleLine(line: string): boolean {
  return RULE_LINE.test(line);
}

// Header labels as Outlook and webmail write them, in the languages of our users.
const FROM_LABEL =
  /^\s*\*?(?:From|Von|De|Da|Van|Fra|Från|Od|Lähettäjä|Feladó|От)\s?\*?\s?:\s?\*?\s*\S/u;
const HEADER_LABEL =
  /^\s*\*?(?:Sent|Date|To|Cc|Subject|Reply-To|Gesendet|Datum|An|Betreff|Envoyé|À|A|Objet|Inviato|Data|Oggetto|Verzonden|Aan|Onderwerp|Sendt|Til|Emne|Skickat|Till|Ämne|Wysłano|Do|Temat|Enviado|Fecha|Para|Asunto|Assunto|Lähetetty|Vastaanottaja|Aihe|Elküldve|Címzett|Tárgy|Copie à|Sujet|Message du|Отправлено|Кому|Тема|Дата)\s?\*?\s?:/u;

/** An Outlook-style block: a From line followed by at least two other header lines. */
function headerBlockAt(lines: readonly string[], i: number): TextMarker | null {
  if (!FROM_LABEL.test(lines[i] ?? '')) return null;
  let headers = 0;
  let end = i + 1;
  for (let k = i + 1; k < Math.min(i + 7, lines.length); k++) {
    const line = lines[k] ?? '';
    if (isBlank(line)) break;
    if (HEADER_LABEL.test(line)) {
      headers += 1;
      end = k + 1;
    }
  }
  if (headers < 2) return null;
  let start = i;
  // Some clients put Subject/Date above From; a rule line above the block belongs to it too.
  while (start > 0 && HEADER_LABEL.test(lines[start - 1] ?? '')) start -= 1;
  let k = start - 1;
  while (k >= 0 && k >= start - 3 && isBlank(lines[k] ?? '')) k -= 1;
  if (k >= 0 && RULE_LINE.test(lines[k] ?? '')) start = k;
  return {
    line: start,
    end,
    kind: 'header',
    reason: `Outlook header block: "${clip(lines[i] ?? '')}"`,
  };
}

/** Every marker on an unquoted line, in line order. */
export function findTextMarkers(lines: readonly string[]): TextMarker[] {
  const markers: TextMarker[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (isBlank(line) || isQuoted(line)) continue;
    const attribution = attributionAt(lines, i);
    if (attribution !== null) {
      const { start, end } = attribution;
      const text = lines
        .slice(start, end)
        .map((l) => l.trim())
        .join(' ');
      markers.push({
        line: start,
        end,
        kind: 'attribution',
        reason: `quote header: "${clip(text)}"`,
      });
      i = end - 1;
      continue;
    }
    if (ORIGINAL_MESSAGE.test(line) || FORWARDED.test(line)) {
      const what = FORWARDED.test(line) ? 'forwarded message' : 'original message';
      markers.push({ line: i, end: i + 1, kind: 'separator', reason: `${what}: "${clip(line)}"` });
      continue;
    }
    const block = headerBlockAt(lines, i);
    if (block) {
      markers.push(block);
      i = block.end - 1;
      continue;
    }
    if (UNDERSCORE_SEPARATOR.test(line)) {
      // Outlook's separator usually sits on top of a header block; name the block, not the line.
      let next = i + 1;
      while (next < lines.length && next <= i + 3 && isBlank(lines[next] ?? '')) next += 1;
      const below = headerBlockAt(lines, next);
      if (below) {
        markers.push(below);
        i = below.end - 1;
        continue;
      }
      markers.push({ line: i, end: i + 1, kind: 'separator', reason: 'separator line "____…"' });
    }
  }
  return markers.sort((a, b) => a.line - b.line);
}

const SIGNATURE_START = /^\s*(?:--\s?|_{2,}|Sent from .+|Get Outlook for .+)\s*$/;

/**
 * True when, after `from`, a person wrote unquoted text below `>`-quoted lines: an inline or
 * bottom-posted reply. With `needBlank`, the answer must be set off by a blank line, because
 * clients that re-wrap long quoted lines leave unquoted continuation lines inside the quote.
 */
export function hasAnswerBelowQuote(
  lines: readonly string[],
  from: number,
  needBlank: boolean,
): boolean {
  let sawQuote = false;
  let blankSinceQuote = false;
  for (let k = from; k < lines.length; k++) {
    const line = lines[k] ?? '';
    if (isQuoted(line)) {
      sawQuote = true;
      blankSinceQuote = false;
    } else if (isBlank(line)) {
      blankSinceQuote = sawQuote;
    } else if (sawQuote && (blankSinceQuote || !needBlank)) {
      return !SIGNATURE_START.test(line);
    }
  }
  return false;
}
