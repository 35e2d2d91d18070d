import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { CappedText } from '../../src/attachment-text/capped-text.js';
import { documentKind } from '../../src/attachment-text/document-kind.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../../src/attachment-text/extraction-limits.js';
import { readDocument, type ExtractionOutcome } from '../../src/attachment-text/read-document.js';
import { docx, pptx, xlsx, zipArchive } from '../support/office-files.js';
import { encryptedPdf, handWrittenPdf, png, textPdf } from '../support/pdf-files.js';

const limits = DEFAULT_EXTRACTION_LIMITS;
const bytes = (text: string) => new Uint8Array(Buffer.from(text));

function textOf(outcome: ExtractionOutcome): string {
  if (outcome.state !== 'extracted') throw new Error(`no text: ${JSON.stringify(outcome)}`);
  return outcome.text;
}

describe('documentKind: the bytes decide, then the label', () => {
  const pdf = bytes('%PDF-1.7\n1 0 obj');
  const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0]);
  const cases: [string, Uint8Array, string, string | null, string][] = [
    ['a PDF labelled as a PDF', pdf, 'application/pdf', 'S-101.pdf', 'pdf'],
    ['a PDF sent as octet-stream', pdf, 'application/octet-stream', 'S-101.bin', 'pdf'],
    ['a PDF named .docx', pdf, 'application/msword', 'spec.docx', 'pdf'],
    [
      'a PDF with junk before its header',
      bytes(`\r\n\u0000junk%PDF-1.4`),
      'application/pdf',
      null,
      'pdf',
    ],
    ['a ZIP (Office) file', zip, 'application/octet-stream', 'spec.docx', 'office'],
    ['plain text', bytes('Podium slab 30 MPa'), 'text/plain', 'notes.txt', 'text'],
    ['CSV by its name', bytes('a,b\n1,2'), 'application/octet-stream', 'schedule.csv', 'text'],
    ['HTML by its type', bytes('<p>Slab</p>'), 'text/html', null, 'html'],
    ['HTML by its first tag', bytes('  <!DOCTYPE html><p>x</p>'), 'text/plain', 'page.txt', 'html'],
  ];
  it.each(cases)('%s is read', (_name, head, type, filename, reader) => {
    expect(documentKind(head, type, filename)).toEqual({ reader });
  });

  const refused: [string, Uint8Array, string, string | null, string, RegExp][] = [
    [
      'a PNG named .pdf',
      new Uint8Array(png()),
      'application/pdf',
      'plan.pdf',
      'image',
      /^a PNG image: no text to read \(it is labelled application\/pdf, named plan\.pdf\)$/,
    ],
    [
      'a JPEG photo',
      new Uint8Array([0xff, 0xd8, 0xff, 0xe0]),
      'image/jpeg',
      'site.jpg',
      'image',
      /^a JPEG image: no text to read$/,
    ],
    [
      'an old .doc (or a password-protected .docx)',
      new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      'application/msword',
      'spec.doc',
      'legacy-office',
      /older Office file/,
    ],
    ['a DWG drawing', bytes('AC1032\u0000\u0000'), 'application/acad', 'A-101.dwg', 'cad', /DWG/],
    [
      'binary labelled text',
      bytes('abc\u0000def'),
      'text/plain',
      'x.txt',
      'other',
      /not a kind of file/,
    ],
    ['an empty file', new Uint8Array(), 'application/pdf', 'x.pdf', 'empty', /empty/],
    [
      'unknown bytes',
      bytes('hello'),
      'application/octet-stream',
      'x.bin',
      'other',
      /application\/octet-stream/,
    ],
  ];
  it.each(refused)('%s is not read', (_name, head, type, filename, kind, reason) => {
    const decision = documentKind(head, type, filename);
    expect(decision.reader).toBeNull();
    if (decision.reader !== null) return;
    expect(decision.kind).toBe(kind);
    expect(decision.reason).toMatch(reason);
  });
});

describe('readDocument', () => {
  it('reads a PDF written by pdf-lib, page by page', async () => {
    const pdf = await textPdf([
      ['Podium slab concrete: 30 MPa at 28 days', 'Cover 40 mm'],
      ['Level 3 slab edge detail'],
    ]);
    const outcome = await readDocument(new Uint8Array(pdf), 'pdf', limits);
    expect(outcome).toMatchObject({ state: 'extracted', kind: 'pdf', pages: 2, detail: null });
    expect(textOf(outcome)).toMatch(
      /Podium slab concrete: 30 MPa at 28 days\s+Cover 40 mm\s+Level 3 slab edge detail/,
    );
  });

  it('reads the first pages of a long PDF and says so', async () => {
    const pdf = await textPdf(Array.from({ length: 12 }, (_, i) => [`Sheet ${i + 1}`]));
    const outcome = await readDocument(new Uint8Array(pdf), 'pdf', { ...limits, maxPages: 5 });
    expect(outcome).toMatchObject({ state: 'extracted', pages: 5, detail: 'first 5 of 12 pages' });
    expect(textOf(outcome)).toContain('Sheet 5');
    expect(textOf(outcome)).not.toContain('Sheet 6');
  });

  it('cuts the text at the character limit and says so', async () => {
    const outcome = await readDocument(bytes('word '.repeat(1000)), 'text', {
      ...limits,
      maxTextChars: 100,
    });
    expect(textOf(outcome).length).toBeLessThanOrEqual(100);
    expect(outcome).toMatchObject({ detail: 'text cut at 100 characters' });
  });

  it('finds no text in a PDF of drawings only', async () => {
    const pdf = handWrittenPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Count 1 /Kids [3 0 R] >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
      '<< /Length 13 >>\nstream\n0 0 m 9 9 l S\nendstream',
    ]);
    expect(await readDocument(new Uint8Array(pdf), 'pdf', limits)).toEqual({
      state: 'no_text',
      kind: 'pdf',
      reason: 'the PDF has no text layer (a scan, or a drawing without text)',
    });
  });

  it('refuses a PDF that needs a password, which really is encrypted', async () => {
    const pdf = encryptedPdf('Confidential bid 4200000', 'tender');
    expect(await readDocument(new Uint8Array(pdf), 'pdf', limits)).toEqual({
      state: 'no_text',
      kind: 'pdf',
      reason: 'the PDF needs a password',
    });
    // With its password pdf.js reads it: the file is a genuine encrypted PDF, not a broken one.
    const opened = await getDocumentProxy(new Uint8Array(pdf), { password: 'tender' });
    const content = await (await opened.getPage(1)).getTextContent();
    expect(content.items.map((item) => ('str' in item ? item.str : '')).join('')).toContain(
      'Confidential bid 4200000',
    );
  });

  it('says a broken PDF is not readable', async () => {
    const outcome = await readDocument(bytes('%PDF-1.4\nnothing else'), 'pdf', limits);
    expect(outcome).toMatchObject({ state: 'no_text', kind: 'pdf' });
    expect(outcome.state === 'no_text' && outcome.reason).toMatch(/^not a readable PDF/);
  });

  it('reads a Word document: runs joined, paragraphs on lines, header included', async () => {
    const file = docx(
      ['Section 03 30 00 Cast-in-place concrete', 'Podium slab: 30 MPa & air-entrained'],
      'TWR-A Specifications',
    );
    const outcome = await readDocument(new Uint8Array(file), 'office', limits);
    expect(outcome).toMatchObject({ state: 'extracted', kind: 'docx', pages: null });
    expect(textOf(outcome)).toBe(
      'Section 03 30 00 Cast-in-place concrete\nPodium slab: 30 MPa & air-entrained\n\nTWR-A Specifications',
    );
  });

  it('reads an Excel workbook: shared strings, numbers, a line per row', async () => {
    const file = xlsx([
      ['Element', 'Strength (MPa)'],
      ['Podium slab', 30],
      ['Columns', 40],
    ]);
    const outcome = await readDocument(new Uint8Array(file), 'office', limits);
    expect(outcome).toMatchObject({ state: 'extracted', kind: 'xlsx' });
    expect(textOf(outcome)).toBe('Element\tStrength (MPa)\nPodium slab\t30\nColumns\t40');
  });

  it('reads a PowerPoint deck, slides in their order', async () => {
    const slides = Array.from({ length: 10 }, (_, i) => [`Slide ${i + 1}`, 'Pour sequence']);
    const outcome = await readDocument(new Uint8Array(pptx(slides)), 'office', limits);
    expect(outcome).toMatchObject({ state: 'extracted', kind: 'pptx' });
    expect(
      textOf(outcome)
        .split('\n')
        .filter((line) => line.startsWith('Slide')),
    ).toEqual(slides.map(([title]) => title));
  });

  it('says a ZIP that is not an Office file has no text', async () => {
    const file = zipArchive([{ name: 'photos/site.txt', data: 'not a document' }]);
    expect(await readDocument(new Uint8Array(file), 'office', limits)).toEqual({
      state: 'no_text',
      kind: 'zip',
      reason: 'a ZIP archive, not a Word, Excel or PowerPoint file',
    });
  });

  it('refuses entity expansion in an Office part (no billion laughs)', async () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>`;
    const file = zipArchive([{ name: 'word/document.xml', data: laughs }]);
    const outcome = await readDocument(new Uint8Array(file), 'office', limits);
    expect(outcome).toMatchObject({ state: 'no_text', kind: 'docx' });
  });

  it('reads plain text in UTF-8, or Windows-1252 when it is not UTF-8', async () => {
    expect(textOf(await readDocument(bytes('Prüfbericht: 30 MPa'), 'text', limits))).toBe(
      'Prüfbericht: 30 MPa',
    );
    const latin = new Uint8Array(Buffer.from('Pr\u00fcfbericht', 'latin1'));
    expect(textOf(await readDocument(latin, 'text', limits))).toBe('Prüfbericht');
  });

  it('reads HTML as the text a reader sees', async () => {
    const html =
      '<html><head><style>p{}</style><script>x()</script></head><body><p>Slab &amp; deck</p><p>30&nbsp;MPa</p></body></html>';
    expect(textOf(await readDocument(bytes(html), 'html', limits))).toBe('Slab & deck\n30 MPa');
  });
});

describe('CappedText', () => {
  it('drops control characters (NUL would be refused by PostgreSQL) and tidies blank lines', () => {
    const text = new CappedText(100);
    text.append('a\u0000b\u0002c\r\n\n\n\nd  \n');
    expect(text.toString()).toBe('a b c\n\nd');
  });
});
