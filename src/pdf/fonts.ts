/**
 * Fonts for the PDFs Docket renders, and which of them draws each character.
 *
 * The faces come from an npm package and are read from node_modules at run time, once per process;
 * no font file lives in this repository. M PLUS 1p (the M+ project, SIL OFL 1.1) is used because one
 * small file (1.7 MB a weight) covers what project correspondence carries: Latin with every European
 * accent (Polish Ł, Czech ř, Turkish ğ, Vietnamese), Greek, Cyrillic (Russian and Ukrainian), all
 * with proportional widths, plus Japanese kana and about 5,000 kanji, so "Zoë Ångström", "Łukasz
 * Żółć", "Дмитрий", "王小明" and "山田太郎" all render. The CJK fonts on npm (Noto Sans SC/JP,
 * Source Han Sans) lack Latin Extended-A altogether, which would turn Polish and Czech names into
 * question marks; BIZ UDPGothic has more kanji but full-width Cyrillic. What M PLUS 1p lacks:
 * Simplified-Chinese-only hanzi (张, 刘, 陈…), rarer kanji and Hangul. To cover those, append a face
 * to {@link SOURCES} (for example Noto Sans SC's TTF): each character is drawn with the first face
 * in the list that has its glyph.
 *
 * Characters no face has are drawn as `?`; invisible format characters (variation selectors, zero
 * width joiners, soft hyphens, tag characters) are dropped, so `🏗️` becomes one `?`, not two.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

import fontkit, { type Font } from '@pdf-lib/fontkit';
import type { PDFDocument } from 'pdf-lib';

export type FontWeight = 'regular' | 'bold';

export interface GlyphSource {
  /** True when this source can draw the code point. */
  hasGlyph(codePoint: number): boolean;
}

export interface FontFace extends GlyphSource {
  /** Family and weight, e.g. `M PLUS 1p Bold`. */
  readonly name: string;
  /** The TTF/OTF bytes, shared by every document (pdf-lib only reads them). */
  readonly bytes: Uint8Array;
}

/** Per weight, faces in fallback order. */
export type FontFaces = Readonly<Record<FontWeight, readonly FontFace[]>>;

/** Module paths of the faces, per weight, in fallback order. */
const SOURCES: Readonly<Record<FontWeight, readonly string[]>> = {
  regular: ['@expo-google-fonts/m-plus-1p/400Regular/MPLUS1p_400Regular.ttf'],
  bold: ['@expo-google-fonts/m-plus-1p/700Bold/MPLUS1p_700Bold.ttf'],
};

/** What a character no face has is drawn as. */
export const REPLACEMENT_CHARACTER = '?';

const requireFromHere = createRequire(import.meta.url);
let loading: Promise<FontFaces> | undefined;
/** Parsed fonts by their bytes, so every document reuses one parse and fontkit's glyph caches. */
const parsed = new WeakMap<Uint8Array, Font>();

/**
 * The fontkit to register on each PDFDocument. pdf-lib parses the bytes of every embedded font
 * anew; this hands it the font parsed at load instead, which roughly halves the time of a small
 * render. Sharing is safe: pdf-lib makes a new subset per document, and fontkit reads synchronously.
 */
export const cachingFontkit: Parameters<PDFDocument['registerFontkit']>[0] = {
  create: (bytes, postscriptName) => parsed.get(bytes) ?? fontkit.create(bytes, postscriptName),
};

/**
 * The faces, read and parsed on first use and cached for the life of the process (about 3.5 MB of
 * font bytes). A failed load is not cached, so a later call retries.
 */
export function loadFontFaces(): Promise<FontFaces> {
  loading ??= loadAll().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function loadAll(): Promise<FontFaces> {
  const [regular, bold] = await Promise.all([
    Promise.all(SOURCES.regular.map(loadFace)),
    Promise.all(SOURCES.bold.map(loadFace)),
  ]);
  return Object.freeze({ regular, bold });
}

async function loadFace(modulePath: string): Promise<FontFace> {
  let path: string;
  try {
    path = requireFromHere.resolve(modulePath);
  } catch (error) {
    throw new Error(`font ${modulePath} is not installed; run npm install`, { cause: error });
  }
  const bytes = padGlyphs(new Uint8Array(await readFile(path)));
  const font = fontkit.create(bytes);
  parsed.set(bytes, font);
  const name = `${font.familyName} ${font.subfamilyName}`;
  const cache = new Map<number, boolean>();
  return Object.freeze({
    name,
    bytes,
    hasGlyph(codePoint: number): boolean {
      let known = cache.get(codePoint);
      if (known === undefined) {
        known = font.hasGlyphForCodePoint(codePoint);
        cache.set(codePoint, known);
      }
      return known;
    },
  });
}

interface TableRecord {
  readonly tag: string;
  readonly offset: number;
  readonly length: number;
}

/**
 * Pad every TrueType glyph to a multiple of 4 bytes. fontkit's subsetter (used by pdf-lib) copies
 * glyphs byte for byte and then writes a short `loca` table, which stores offsets halved, whenever
 * the subset is small; a glyph of odd length then shifts every glyph after it, and they render blank
 * or garbled. Some fonts (M PLUS 1p among them) store glyphs unpadded. Returns the bytes
 * unchanged when they need nothing (CFF fonts, padded fonts) or do not parse as expected.
 */
export function padGlyphs(font: Uint8Array): Uint8Array {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const records: TableRecord[] = [];
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const at = 12 + 16 * i;
    const tag = String.fromCharCode(...font.subarray(at, at + 4));
    records.push({ tag, offset: view.getUint32(at + 8), length: view.getUint32(at + 12) });
  }
  const table = (tag: string) => records.find((record) => record.tag === tag);
  const [head, maxp, loca, glyf] = [table('head'), table('maxp'), table('loca'), table('glyf')];
  if (!head || !maxp || !loca || !glyf) return font;
  const longLoca = view.getInt16(head.offset + 50) === 1;
  const numGlyphs = view.getUint16(maxp.offset + 4);
  const offsetOf = (i: number): number =>
    longLoca ? view.getUint32(loca.offset + 4 * i) : view.getUint16(loca.offset + 2 * i) * 2;
  let unpadded = false;
  for (let i = 0; i <= numGlyphs; i++) {
    const offset = offsetOf(i);
    if (offset > glyf.length || (i > 0 && offset < offsetOf(i - 1))) return font;
    if (offset % 4 !== 0) unpadded = true;
  }
  if (!unpadded) return font;

  const newLoca = new Uint8Array(4 * (numGlyphs + 1));
  const locaView = new DataView(newLoca.buffer);
  let size = 0;
  for (let i = 0; i < numGlyphs; i++) {
    locaView.setUint32(4 * i, size);
    size += align4(offsetOf(i + 1) - offsetOf(i));
  }
  locaView.setUint32(4 * numGlyphs, size);
  const newGlyf = new Uint8Array(size);
  for (let i = 0; i < numGlyphs; i++) {
    const start = glyf.offset + offsetOf(i);
    newGlyf.set(font.subarray(start, glyf.offset + offsetOf(i + 1)), locaView.getUint32(4 * i));
  }
  const newHead = font.slice(head.offset, head.offset + head.length);
  new DataView(newHead.buffer).setInt16(50, 1); // indexToLocFormat: long offsets

  const contents = records.map((record) => {
    if (record === glyf) return newGlyf;
    if (record === loca) return newLoca;
    if (record === head) return newHead;
    return font.subarray(record.offset, record.offset + record.length);
  });
  const headerLength = 12 + 16 * numTables;
  const out = new Uint8Array(
    contents.reduce((sum, data) => sum + align4(data.length), headerLength),
  );
  const outView = new DataView(out.buffer);
  out.set(font.subarray(0, 12));
  let offset = headerLength;
  records.forEach((record, i) => {
    const data = contents[i]!;
    const at = 12 + 16 * i;
    out.set(font.subarray(at, at + 4), at);
    out.set(data, offset);
    outView.setUint32(at + 4, checksum(out.subarray(offset, offset + align4(data.length))));
    outView.setUint32(at + 8, offset);
    outView.setUint32(at + 12, data.length);
    offset += align4(data.length);
  });
  return out;
}

function align4(length: number): number {
  return (length + 3) & ~3;
}

function checksum(data: Uint8Array): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let sum = 0;
  for (let i = 0; i + 4 <= data.length; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  return sum;
}

/** Zero-width format characters: drawing them would only produce a `?` where nothing shows. */
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class -- joiners and selectors are the point
  /[\u00AD\u034F\u061C\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFE00-\uFE0F\uFEFF\u{E0000}-\u{E0FFF}]/gu;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * Text as it can be drawn: NFC-composed (so `e` + combining diaeresis meets the `ë` glyph), without
 * invisible format or control characters, tabs as spaces, line breaks as `\n` when `multiline`
 * and as a space otherwise. Lone surrogates become the replacement character.
 */
export function cleanText(text: string, multiline = false): string {
  const wellFormed = text.toWellFormed().replaceAll('\uFFFD', REPLACEMENT_CHARACTER);
  return wellFormed
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/\r\n?|[\n\u2028\u2029\u0085]/g, multiline ? '\n' : ' ')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '');
}

export interface Run<T> {
  readonly source: T;
  readonly text: string;
}

/**
 * Split clean text into runs, each drawn by one source: the first in `chain` that has the glyph.
 * A character none has becomes {@link REPLACEMENT_CHARACTER}, drawn by the first source that has
 * that (the chain must contain one).
 */
export function splitRuns<T extends GlyphSource>(text: string, chain: readonly T[]): Run<T>[] {
  const fallback = chain.find((source) => source.hasGlyph(REPLACEMENT_CHARACTER.codePointAt(0)!));
  if (fallback === undefined) throw new Error('no font in the chain can draw the replacement');
  const runs: Run<T>[] = [];
  let current: T | undefined;
  let buffer = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    let source = chain.find((candidate) => candidate.hasGlyph(codePoint));
    let drawn = char;
    if (source === undefined) {
      source = fallback;
      drawn = REPLACEMENT_CHARACTER;
    }
    if (source !== current && buffer !== '') {
      runs.push({ source: current!, text: buffer });
      buffer = '';
    }
    current = source;
    buffer += drawn;
  }
  if (buffer !== '') runs.push({ source: current!, text: buffer });
  return runs;
}
