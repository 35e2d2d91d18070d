/**
 * Marks mail clients add to a message that a reader never sees: zero-width characters, byte-order
 * marks, soft hyphens, and the `ᐧ` glyph that Gmail tracking extensions put on a line of their own
 * under the text. They are not part of what the person wrote, and left in place they keep a blank
 * line from looking blank and a quote header from matching.
 */

// Zero-width space, word joiner, byte-order mark (zero-width no-break space), soft hyphen,
// Mongolian vowel separator: invisible wherever they stand.
const ALWAYS_INVISIBLE = /[\u200B\u2060\uFEFF\u00AD\u180E]/g;
// The zero-width (non-)joiners shape the characters either side of them (emoji sequences such as
// 👷‍♀️, Persian and Indic scripts), so they stay between two visible characters and go elsewhere.
const STRAY_JOINERS = /(^|\s)[\u200C\u200D]+|[\u200C\u200D]+(?=\s|$)/g;
// U+1427 CANADIAN SYLLABICS FINAL MIDDLE DOT, alone on its line.
const TRACKING_GLYPH_LINE = /^\s*\u1427[\s\u1427]*$/;

const ANY_MARK = /[\u00AD\u180E\u200B-\u200D\u2060\uFEFF\u1427]/;

/** The line without invisible marks; a line holding nothing else becomes empty. */
export function withoutInvisibleMarks(line: string): string {
  if (!ANY_MARK.test(line)) return line;
  const visible = line.replace(ALWAYS_INVISIBLE, '').replace(STRAY_JOINERS, '$1');
  return TRACKING_GLYPH_LINE.test(visible) ? '' : visible;
}
