import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { CappedText } from './capped-text.js';
import { NoTextError } from './no-text-error.js';
import { sheetHandler, sharedStringsHandler, textRunHandler } from './office-xml.js';
import { readXml, type XmlHandler } from './xml-stream.js';

export type OfficeKind = 'docx' | 'xlsx' | 'pptx';

export interface OfficeReading {
  kind: OfficeKind;
  /** Set when the parts inflated past the limit and reading stopped there. */
  inflatedLimitReached: boolean;
}

/** More entries than any Office document has; a ZIP listing more is not read further. */
const MAX_ENTRIES = 10_000;

/**
 * The text of a Word, Excel or PowerPoint file (OOXML: a ZIP of XML parts). Only the parts that
 * hold text are inflated, in reading order, each streamed through an XML parser; all of them
 * together may inflate to `maxInflatedBytes` at most, whatever sizes the ZIP claims, so a zip
 * bomb costs that much and no more. Throws `NoTextError` for a ZIP that is not such a document or
 * cannot be read.
 */
export async function officeText(
  bytes: Uint8Array,
  maxInflatedBytes: number,
  sink: CappedText,
): Promise<OfficeReading> {
  const zip = await yauzl
    .fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      autoClose: false,
      // A part that inflates to more than its entry says is an error, not more text.
      validateEntrySizes: true,
      strictFileNames: false,
    })
    .catch((error: unknown) => {
      throw new NoTextError('zip', `not a readable ZIP file (${messageOf(error)})`);
    });
  let kind: OfficeKind | null = null;
  try {
    const entries = await listEntries(zip);
    kind = officeKind(entries);
    if (!kind) {
      throw new NoTextError('zip', 'a ZIP archive, not a Word, Excel or PowerPoint file');
    }
    const found = kind;
    const budget = { left: maxInflatedBytes };
    const read = async (entry: Entry, handler: XmlHandler) => {
      if (entry.isEncrypted()) throw new NoTextError(found, `the ${found} file is encrypted`);
      return readXml(await zip.openReadStreamPromise(entry), handler, budget);
    };
    if (kind === 'xlsx') {
      const strings: string[] = [];
      const shared = entries.get('xl/sharedStrings.xml');
      if (shared) await read(shared, sharedStringsHandler(strings, sink.room));
      for (const entry of partsOf(entries, /^xl\/worksheets\/sheet(\d+)\.xml$/)) {
        if (sink.full || budget.left <= 0) break;
        await read(entry, sheetHandler(strings, sink));
        sink.append('\n');
      }
    } else {
      for (const entry of textParts(kind, entries)) {
        if (sink.full || budget.left <= 0) break;
        await read(entry, textRunHandler(kind === 'docx' ? 'w' : 'a', sink));
        sink.append('\n');
      }
    }
    return { kind, inflatedLimitReached: budget.left <= 0 };
  } catch (error) {
    if (error instanceof NoTextError) throw error;
    // The text read before a broken part is still worth keeping.
    if (kind && sink.length > 0) return { kind, inflatedLimitReached: false };
    throw new NoTextError(kind ?? 'zip', `the file is broken (${messageOf(error)})`);
  } finally {
    zip.close();
  }
}

async function listEntries(zip: ZipFile): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  for await (const entry of zip.eachEntry()) {
    entries.set(entry.fileName.replace(/^\/+/, ''), entry);
    if (entries.size >= MAX_ENTRIES) break;
  }
  return entries;
}

function officeKind(entries: Map<string, Entry>): OfficeKind | null {
  if (entries.has('word/document.xml')) return 'docx';
  if (entries.has('xl/workbook.xml')) return 'xlsx';
  if (entries.has('ppt/presentation.xml')) return 'pptx';
  return null;
}

/** Word: the body, then notes, then headers and footers (title blocks live there). PowerPoint: slides in order. */
function textParts(kind: OfficeKind, entries: Map<string, Entry>): Entry[] {
  if (kind === 'pptx') return partsOf(entries, /^ppt\/slides\/slide(\d+)\.xml$/);
  const named = ['word/document.xml', 'word/footnotes.xml', 'word/endnotes.xml'].flatMap(
    (name) => entries.get(name) ?? [],
  );
  return [
    ...named,
    ...partsOf(entries, /^word\/header(\d+)\.xml$/),
    ...partsOf(entries, /^word\/footer(\d+)\.xml$/),
  ];
}

/** Entries whose names match `pattern`, ordered by the number it captures (sheet2 before sheet10). */
function partsOf(entries: Map<string, Entry>, pattern: RegExp): Entry[] {
  return [...entries]
    .map(([name, entry]) => ({ number: Number(pattern.exec(name)?.[1] ?? NaN), entry }))
    .filter((part) => !Number.isNaN(part.number))
    .sort((a, b) => a.number - b.number)
    .map((part) => part.entry);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
