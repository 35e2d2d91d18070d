import { findHtmlMarker, htmlToText } from './reply-html.js';
import { splitPlainText, type ReplySplit, type TextSplit } from './reply-text-split.js';

export type { ReplySplit } from './reply-text-split.js';

function joinParts(parts: readonly string[]): string {
  return parts
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .join('\n\n');
}

function splitHtml(html: string): ReplySplit & { markerFound: boolean } {
  const marker = findHtmlMarker(html);
  const head = marker ? html.slice(0, marker.index) : html;
  const text: TextSplit = splitPlainText(htmlToText(head), marker !== null);
  return {
    reply: text.reply,
    elided: joinParts([text.elided, marker ? htmlToText(html.slice(marker.index)) : '']),
    reasons: marker ? [marker.reason, ...text.reasons] : text.reasons,
    markerFound: marker !== null,
  };
}

/**
 * Separates the text a person wrote from quoted history and signatures, so a decision is read
 * from the new text only (conventions: fixtures/reply-trimming/README.md). The plain-text part is
 * preferred; the HTML part is used when there is no text, or when the text shows no quote but the
 * HTML carries a client's quote marker (some clients send unmarked text alternatives). Nothing is
 * dropped: every removed line is in `elided`. Inline replies keep their quoted questions.
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
  const fromText = splitPlainText(text);
  if (!fromText.historyFound && hasHtml) {
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
