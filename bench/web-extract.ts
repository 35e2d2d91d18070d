import { PDFDocument, StandardFonts } from 'pdf-lib';
import { DEFAULT_EXTRACTION_LIMITS } from '../src/attachment-text/extraction-limits.js';
import { ExtractionPool } from '../src/attachment-text/extraction-pool.js';
import type { Row } from './report.js';
import { DOCUMENT_WORDS } from './web-texts.js';

export interface ExtractionShape {
  documents: number;
  pagesPerDocument: number;
}

const LINES_PER_PAGE = 45;
const WORDS_PER_LINE = 12;

/** A specification-like PDF: full pages of 12-point text, 45 lines of 12 words each. */
async function specPdf(seed: number, pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  let n = seed * 7919;
  const word = () =>
    DOCUMENT_WORDS[(n = (n * 1103515245 + 12345) % 2147483648) % DOCUMENT_WORDS.length];
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([612, 792]);
    for (let line = 0; line < LINES_PER_PAGE; line++) {
      const text = Array.from({ length: WORDS_PER_LINE }, word).join(' ');
      page.drawText(text, { x: 40, y: 760 - line * 16, size: 10, font });
    }
  }
  return doc.save();
}

/**
 * Reading throughput: `documents` generated PDFs read by the extraction pool (worker threads,
 * the limits `docket serve` uses) with one worker and with two, in pages per second, and the
 * process's peak RSS above what it held before (sampled every 20 ms; the workers are threads of
 * this process, so their memory is in it).
 */
export async function measureExtraction(
  shape: ExtractionShape,
  say: (text: string) => void,
): Promise<Row[]> {
  const files: Uint8Array[] = [];
  for (let i = 0; i < shape.documents; i++) files.push(await specPdf(i, shape.pagesPerDocument));
  const megabytes = files.reduce((sum, file) => sum + file.length, 0) / (1024 * 1024);
  say(
    `generated ${shape.documents} PDFs of ${shape.pagesPerDocument} pages (${megabytes.toFixed(1)} MB)`,
  );
  const rows: Row[] = [];
  for (const workers of [1, 2]) {
    const pool = new ExtractionPool(workers, DEFAULT_EXTRACTION_LIMITS);
    // Starting a worker loads pdf.js (about half a second); steady state is what is measured.
    const first = files[0] ?? new Uint8Array();
    await Promise.all(Array.from({ length: workers }, () => pool.extract(first.slice(), 'pdf')));
    global.gc?.();
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 20);
    const start = performance.now();
    const outcomes = await Promise.all(files.map((file) => pool.extract(file.slice(), 'pdf')));
    const seconds = (performance.now() - start) / 1000;
    clearInterval(sampler);
    await pool.close();
    const pages = outcomes.reduce(
      (sum, outcome) => sum + (outcome.state === 'extracted' ? (outcome.pages ?? 0) : 0),
      0,
    );
    const characters = outcomes.reduce(
      (sum, outcome) => sum + (outcome.state === 'extracted' ? outcome.text.length : 0),
      0,
    );
    rows.push({
      path: `read PDF text, ${workers} worker${workers === 1 ? '' : 's'}`,
      figure: `${Math.round(pages / seconds).toLocaleString('en-US')} pages/s`,
      ceiling: '-',
      ratio: `n=${pages}`,
      target: '-',
      met: pages === shape.documents * shape.pagesPerDocument ? 'yes' : 'NO',
      notes:
        `${seconds.toFixed(1)} s for ${shape.documents} PDFs (${megabytes.toFixed(1)} MB, ` +
        `${Math.round(characters / pages).toLocaleString('en-US')} characters a page); peak RSS ` +
        `${Math.round(peak / 1048576)} MB, ${Math.round((peak - before) / 1048576)} MB above idle`,
    });
    say(`read ${pages} pages with ${workers} worker(s) in ${seconds.toFixed(1)} s`);
  }
  return rows;
}
