import EmailReplyParser from 'email-reply-parser';

import { clip } from './reply-markers.js';

/**
 * email-reply-parser (crisp-oss) as a line finder. Its own `getVisibleText()` left-trims every
 * line and joins non-contiguous fragments, which would lose indentation and could drop text; we
 * only ask it where the trailing run of quoted/signature fragments starts, and cut the original
 * lines there ourselves so that reply + elided still hold every line.
 */
export interface ParserCut {
  /** First line of the elided tail; `lines.length` when nothing is elided. */
  line: number;
  reason: string | null;
}

// The parser treats `---`, `----`, `===` and `+++` lines as signature separators; in a reply they
// are far more often Markdown-ish rules or underlines, so only `--`, `-- ` and `__` count.
const WEAK_SEPARATOR = /^[-=+_]{3,4}$/;
// Device signatures ("Sent from my iPhone", "Gesendet von Outlook für Android") are short; a
// longer line that starts the same way ("Sent from my desk, is much easier…") is a sentence.
const DEVICE_LINE =
  /^(?:sent from|sent with|envoy[ée] |enviado desde|verzonden|verstuurd|gesendet|sendt fra)/i;

function notReallyASignature(first: string): boolean {
  return WEAK_SEPARATOR.test(first) || (DEVICE_LINE.test(first) && first.split(/\s+/).length > 8);
}

function firstNonBlank(content: string): string | undefined {
  return content
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
}

/** Finds the line where the fragment whose first non-blank line is `first` starts. */
function locate(lines: readonly string[], first: string, from: number): number {
  for (let i = from; i < lines.length; i++) {
    if ((lines[i] ?? '').trim() === first) return i;
  }
  // The parser joins a quote header wrapped over several lines into one; match its first part.
  for (let i = from; i < lines.length; i++) {
    const t = (lines[i] ?? '').trim();
    if (t !== '' && first.startsWith(t)) return i;
  }
  return -1;
}

// Without its optional re2 engine the parser's regexes backtrack on long lines (one 48 KB line
// took a minute). It classifies a line by how it starts, so it sees each line cut to 500
// characters; long bodies are left to our own markers. Its cost grows with the body (24 ms for
// 200 KB of plain text, on the filing path), while replies worth splitting are short.
const MAX_LINE = 500;
const MAX_LINES = 500;

/** Where email-reply-parser says the quoted history or signature at the end of `lines` starts. */
export function parserCut(all: readonly string[]): ParserCut {
  if (all.length > MAX_LINES) return { line: all.length, reason: null };
  const lines = all.map((l) => (l.length > MAX_LINE ? l.slice(0, MAX_LINE) : l));
  const fragments = new EmailReplyParser().read(lines.join('\n')).getFragments();
  const located: { line: number; hidden: boolean; quoted: boolean; first: string }[] = [];
  let from = 0;
  for (const fragment of fragments) {
    const first = firstNonBlank(fragment.getContent());
    if (first === undefined) continue;
    const line = locate(lines, first, from);
    // Could not map the parser's view back onto our lines: trust our own markers only.
    if (line < 0) return { line: lines.length, reason: null };
    const signature = fragment.isSignature() && !fragment.isQuoted();
    const hidden = fragment.isHidden() && !(signature && notReallyASignature(first));
    located.push({ line, hidden, quoted: fragment.isQuoted(), first });
    from = line + 1;
  }
  let tail = located.length;
  while (tail > 0 && located[tail - 1]?.hidden === true) tail -= 1;
  const start = located[tail];
  if (start === undefined) return { line: lines.length, reason: null };
  const reason = start.quoted
    ? `quoted text (email-reply-parser): "${clip(start.first)}"`
    : `signature (email-reply-parser): "${clip(start.first)}"`;
  return { line: start.line, reason };
}
