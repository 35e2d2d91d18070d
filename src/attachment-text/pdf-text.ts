import { getResolvedPDFJS } from 'unpdf';
import type { CappedText } from './capped-text.js';
import { NoTextError } from './no-text-error.js';

export interface PdfReading {
  /** Pages whose text was read. */
  pages: number;
  /** Pages the document says it has. */
  totalPages: number;
  /** Pages pdf.js could not read (skipped). */
  unreadable: number;
}

/**
 * The text of a PDF, page by page, through pdf.js (unpdf's build for servers), up to `maxPages`
 * pages or until `sink` is full. A PDF that needs a password, or that pdf.js cannot open, throws
 * `NoTextError` with the reason. Runs only inside an extraction worker: pdf.js parses
 * synchronously for as long as a page takes, and only terminating the worker stops it.
 */
export async function pdfText(
  bytes: Uint8Array,
  maxPages: number,
  sink: CappedText,
): Promise<PdfReading> {
  const { getDocument } = await getResolvedPDFJS();
  const task = getDocument({
    data: bytes,
    // No warnings on the console, no fonts loaded for display, keep going past broken objects.
    verbosity: 0,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
  });
  const pdf = await task.promise.catch(async (error: unknown) => {
    await task.destroy();
    throw openingError(error);
  });
  try {
    const totalPages = pdf.numPages;
    const last = Math.min(totalPages, maxPages);
    let pages = 0;
    let unreadable = 0;
    for (let number = 1; number <= last && !sink.full; number++) {
      pages = number;
      // One broken page (a bad content stream, a missing object) does not lose the others.
      const content = await pdf
        .getPage(number)
        .then(async (page) => {
          const text = await page.getTextContent();
          page.cleanup();
          return text;
        })
        .catch(() => null);
      if (!content) {
        unreadable++;
        continue;
      }
      for (const item of content.items) {
        if (!('str' in item)) continue;
        sink.append(item.str);
        // Items on one line that pdf.js did not join are separate words, or cells of a table.
        sink.append(item.hasEOL ? '\n' : ' ');
      }
      sink.append('\n\n');
    }
    return { pages, totalPages, unreadable };
  } finally {
    await task.destroy();
  }
}

function openingError(error: unknown): Error {
  const name = (error as { name?: unknown } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') return new NoTextError('pdf', 'the PDF needs a password');
  if (name === 'InvalidPDFException') {
    return new NoTextError('pdf', `not a readable PDF (${message})`);
  }
  return new NoTextError('pdf', `the PDF could not be opened (${message})`);
}
