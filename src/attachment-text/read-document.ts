import { CappedText } from './capped-text.js';
import type { ExtractionLimits } from './extraction-limits.js';
import { NoTextError } from './no-text-error.js';
import { officeText } from './office-text.js';
import { pdfText } from './pdf-text.js';
import { htmlText, plainText } from './plain-text.js';

export type DocumentReader = 'pdf' | 'office' | 'text' | 'html';

/** What reading one attachment came to; `failed` means reading did not finish (see the pool). */
export type ExtractionOutcome =
  | { state: 'extracted'; kind: string; text: string; pages: number | null; detail: string | null }
  | { state: 'no_text'; kind: string; reason: string }
  | { state: 'failed'; kind: string | null; reason: string };

export type ReadingLimits = Pick<
  ExtractionLimits,
  'maxPages' | 'maxTextChars' | 'maxInflatedBytes'
>;

/**
 * Reads the text of one document with the reader its bytes called for. Never throws: a file with
 * no text to read comes back as `no_text` with the reason. Runs inside an extraction worker,
 * which bounds its time and memory; tests may call it directly.
 */
export async function readDocument(
  bytes: Uint8Array,
  reader: DocumentReader,
  limits: ReadingLimits,
): Promise<ExtractionOutcome> {
  const sink = new CappedText(limits.maxTextChars);
  const notes: string[] = [];
  let kind: string = reader;
  let pages: number | null = null;
  try {
    switch (reader) {
      case 'pdf': {
        const reading = await pdfText(bytes, limits.maxPages, sink);
        pages = reading.pages;
        if (reading.pages < reading.totalPages) {
          notes.push(`first ${count(reading.pages)} of ${count(reading.totalPages)} pages`);
        }
        if (reading.unreadable > 0) notes.push(`${count(reading.unreadable)} pages unreadable`);
        break;
      }
      case 'office': {
        const reading = await officeText(bytes, limits.maxInflatedBytes, sink);
        kind = reading.kind;
        if (reading.inflatedLimitReached) {
          notes.push(`stopped after ${count(limits.maxInflatedBytes / (1024 * 1024))} MB of XML`);
        }
        break;
      }
      case 'text':
        plainText(bytes, sink);
        break;
      case 'html':
        htmlText(bytes, sink);
        break;
    }
  } catch (error) {
    if (error instanceof NoTextError)
      return { state: 'no_text', kind: error.kind, reason: error.message };
    const message = error instanceof Error ? error.message : String(error);
    if (sink.length === 0)
      return { state: 'no_text', kind, reason: `could not be read (${message})` };
    notes.push(`reading stopped early (${message})`);
  }
  const text = sink.toString();
  if (text === '') {
    return {
      state: 'no_text',
      kind,
      reason: notes.length > 0 ? `no text (${notes.join('; ')})` : emptyReason(kind),
    };
  }
  if (sink.cut) notes.push(`text cut at ${count(limits.maxTextChars)} characters`);
  return {
    state: 'extracted',
    kind,
    text,
    pages,
    detail: notes.length > 0 ? notes.join('; ') : null,
  };
}

function emptyReason(kind: string): string {
  return kind === 'pdf'
    ? 'the PDF has no text layer (a scan, or a drawing without text)'
    : 'the file holds no text';
}

const count = (n: number) => Math.round(n).toLocaleString('en-US');
