import { findHtmlMarker, htmlToText } from './reply-html.js';
import {
  findTextMarkers,
  hasAnswerBelowQuote,
  isBlank,
  isQuoted,
  isRuleLine,
  type TextMarker,
} from './reply-markers.js';
import { parserCut } from './reply-parser-cut.js';

/** What a person wrote (`reply`) versus what was trimmed (`elided`), and why. */
export interface ReplySplit {
  /** The new text, trimmed; '' when the message holds nothing but history or a signature. */
  reply: string;
  /** Everything taken out of the reply (quoted history, signatures), trimmed; kept for viewing. */
  elided: string;
  reasons: string[];
}

function joinParts(parts: readonly string[]): string {
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .join('\n\n');
}

function hasContentBefore(lines: readonly string[], index: number): boolean {
  return lines.slice(0, index).some((l) => !isBlank(l));
}

const EMPTY_QUOTE = /^\s*>[\s>]*$/;

/**
 * End of a history block that opens the message (attribution or Outlook header lines, then `>`
 * lines) when the person answered below it and quoted nothing further down: a plain
 * bottom-post. 0 otherwise. A stray empty `>` line after the answer does not count as a quote.
 */
function leadingQuoteEnd(lines: readonly string[], markers: readonly TextMarker[]): number {
  const skipBlank = (from: number): number => {
    let k = from;
    while (k < lines.length && isBlank(lines[k] ?? '')) k += 1;
    return k;
  };
  let i = skipBlank(0);
  for (const marker of markers) {
    if (marker.line !== i) break;
    i = skipBlank(marker.end);
  }
  const quoteStart = i;
  while (i < lines.length && (isQuoted(lines[i] ?? '') || isBlank(lines[i] ?? ''))) i += 1;
  if (!lines.slice(quoteStart, i).some(isQuoted)) return 0;
  const rest = lines.slice(i);
  const realQuote = (l: string): boolean => isQuoted(l) && !EMPTY_QUOTE.test(l);
  if (!rest.some((l) => !isBlank(l)) || rest.some(realQuote)) return 0;
  return i;
}

/** Splits plain text: our own markers first, then email-reply-parser on what is left above. */
function splitText(text: string, historyFollows = false): ReplySplit & { quoteFound: boolean } {
  const all = text.replace(/\r\n?/g, '\n').split('\n');
  const reasons: string[] = [];
  const lead = leadingQuoteEnd(all, findTextMarkers(all));
  if (lead > 0) reasons.push('bottom-posted reply: quoted text above the answer elided');
  const lines = all.slice(lead);

  let cut = lines.length;
  let quoteFound = lead > 0;
  for (const marker of findTextMarkers(lines)) {
    const before = hasContentBefore(lines, marker.line);
    // Answers between `>` lines (inline or bottom-posting) stay in the reply, quotes and all:
    // cutting at the attribution would throw the answers away with the history.
    if (marker.kind === 'attribution' && hasAnswerBelowQuote(lines, marker.end, before)) {
      reasons.push('inline reply: answers between quoted lines kept in the reply');
      continue;
    }
    cut = marker.line;
    quoteFound = true;
    reasons.push(marker.reason);
    break;
  }
  const parser = parserCut(lines.slice(0, cut));
  if (parser.line < cut && parser.reason !== null) {
    cut = parser.line;
    quoteFound ||= parser.reason.startsWith('quoted');
    reasons.push(parser.reason);
  }
  // A rule drawn above the history (Outlook's "____", an <hr>) belongs to the history.
  while (
    (cut < lines.length || historyFollows) &&
    cut > 0 &&
    (isBlank(lines[cut - 1] ?? '') || isRuleLine(lines[cut - 1] ?? ''))
  ) {
    cut -= 1;
  }
  return {
    reply: lines.slice(0, cut).join('\n').trim(),
    elided: joinParts([all.slice(0, lead).join('\n'), lines.slice(cut).join('\n')]),
    reasons,
    quoteFound,
  };
}

function splitHtml(html: string): ReplySplit & { markerFound: boolean } {
  const marker = findHtmlMarker(html);
  const head = marker ? html.slice(0, marker.index) : html;
  const text = splitText(htmlToText(head), marker !== null);
  return {
    reply: text.reply,
    elided: joinParts([text.elided, marker ? htmlToText(html.slice(marker.index)) : '']),
    reasons: marker ? [marker.reason, ...text.reasons] : text.reasons,
    markerFound: marker !== null,
  };
}

/**
 * Separates the text a person wrote from quoted history and signatures, so a decision is read
 * from the new text only. The plain-text part is preferred; the HTML part is used when there is
 * no text, or when the text shows no quote but the HTML carries a client's quote marker (some
 * clients send unmarked text alternatives). Nothing is dropped: every removed line is in
 * `elided`. Inline and bottom-posted replies with interleaved quotes are kept whole in `reply`.
 */
export function splitReply(text: string | null, html?: string | null): ReplySplit {
  const hasText = text !== null && text.trim() !== '';
  const hasHtml = html !== null && html !== undefined && html.trim() !== '';
  if (!hasText) {
    if (!hasHtml) return { reply: '', elided: '', reasons: ['empty body'] };
    const fromHtml = splitHtml(html);
    return {
      reply: fromHtml.reply,
      elided: fromHtml.elided,
      reasons: ['no text part: used HTML', ...fromHtml.reasons],
    };
  }
  const fromText = splitText(text);
  if (!fromText.quoteFound && hasHtml) {
    const fromHtml = splitHtml(html);
    if (fromHtml.markerFound) {
      return {
        reply: fromHtml.reply,
        elided: fromHtml.elided,
        reasons: ['text part shows no quote: used HTML markers', ...fromHtml.reasons],
      };
    }
  }
  return { reply: fromText.reply, elided: fromText.elided, reasons: fromText.reasons };
}
