/**
 * Small page-layout toolkit on top of pdf-lib: measuring, wrapping and drawing text with a fallback
 * chain of fonts ({@link Typesetter}), a cursor that moves down pages and starts new ones
 * ({@link Flow}), and a table whose rows may run over several pages ({@link drawTable}).
 */
import { StandardFonts, type PDFDocument, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

import { cleanText, splitRuns, type FontFaces, type GlyphSource } from './fonts.js';

export type FaceKind = 'regular' | 'bold' | 'mono';

export interface TextStyle {
  readonly face: FaceKind;
  readonly size: number;
  readonly color: RGB;
}

/** Line advance as a multiple of the font size. */
export const LINE_SPACING = 1.22;

export function lineHeight(style: TextStyle): number {
  return style.size * LINE_SPACING;
}

interface EmbeddedFace extends GlyphSource {
  readonly font: PDFFont;
}

/** Printable ASCII: what Courier (WinAnsi) is used for; anything else falls back to the text faces. */
const ASCII: GlyphSource = { hasGlyph: (codePoint) => codePoint >= 0x20 && codePoint <= 0x7e };
const WIDE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF]/u;
/** A line may break after these (besides spaces), so file names and paths wrap at their joints. */
const BREAK_AFTER = /[\s\-_./\\,;:|+)\]}]/u;
/**
 * OpenType features fontkit would apply by default. pdf-lib keeps only each glyph's advance, never
 * GPOS offsets (kerning, mark placement), so shaping for them is wasted, and it is most of a
 * render's time. Without substitutions, widths also add up piece by piece, as wrapping assumes.
 * Text is NFC-composed before drawing, so precomposed glyphs serve accented letters.
 */
const NO_SHAPING = Object.fromEntries(
  ['ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern']
    .concat(['rvrn', 'ltra', 'ltrm', 'rtla', 'rtlm', 'frac', 'numr', 'dnom'])
    .map((tag) => [tag, false]),
);
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Measures, wraps and draws text for one document, choosing a font per character run. */
export class Typesetter {
  private readonly widths = new Map<EmbeddedFace, Map<string, number>>();

  private constructor(private readonly chains: Readonly<Record<FaceKind, EmbeddedFace[]>>) {}

  /** Embed the faces (subset: only the glyphs drawn end up in the file) plus Courier for `mono`. */
  static async create(doc: PDFDocument, faces: FontFaces): Promise<Typesetter> {
    const embed = async (kind: 'regular' | 'bold'): Promise<EmbeddedFace[]> =>
      Promise.all(
        faces[kind].map(async (face) => ({
          font: await doc.embedFont(face.bytes, { subset: true, features: NO_SHAPING }),
          hasGlyph: (codePoint: number) => face.hasGlyph(codePoint),
        })),
      );
    const [regular, bold, courier] = await Promise.all([
      embed('regular'),
      embed('bold'),
      doc.embedFont(StandardFonts.Courier),
    ]);
    const mono = [{ font: courier, hasGlyph: (c: number) => ASCII.hasGlyph(c) }, ...regular];
    return new Typesetter({ regular, bold, mono });
  }

  /** Width in points of `text` (one line) in `style`. */
  width(text: string, style: TextStyle): number {
    return this.cleanWidth(cleanText(text), style);
  }

  /** Width of text already through `cleanText` (wrapping measures thousands of pieces). */
  private cleanWidth(text: string, style: TextStyle): number {
    let width = 0;
    for (const run of splitRuns(text, this.chains[style.face])) {
      width += this.runWidth(run.source, run.text, style.size);
    }
    return width;
  }

  /** Shaping a run with fontkit is the costly part of a render, so each is measured once. */
  private runWidth(face: EmbeddedFace, text: string, size: number): number {
    let widths = this.widths.get(face);
    if (widths === undefined) this.widths.set(face, (widths = new Map<string, number>()));
    let width = widths.get(text);
    if (width === undefined) {
      width = face.font.widthOfTextAtSize(text, 1000);
      widths.set(text, width);
    }
    return (width * size) / 1000;
  }

  /** Draw one line with its baseline at `y`; returns the width drawn. */
  draw(page: PDFPage, text: string, x: number, y: number, style: TextStyle): number {
    let cursor = x;
    for (const run of splitRuns(cleanText(text), this.chains[style.face])) {
      page.drawText(run.text, {
        x: cursor,
        y,
        size: style.size,
        font: run.source.font,
        color: style.color,
      });
      cursor += this.runWidth(run.source, run.text, style.size);
    }
    return cursor - x;
  }

  /**
   * Wrap `text` into lines no wider than `maxWidth`. Line breaks in the text are kept; lines break
   * at spaces, after punctuation that joins file-name parts, and around CJK characters; a word
   * longer than the line is cut between characters. Always returns at least one line.
   */
  wrap(text: string, style: TextStyle, maxWidth: number): string[] {
    const lines: string[] = [];
    for (const paragraph of cleanText(text, true).split('\n')) {
      lines.push(...this.wrapParagraph(paragraph, style, maxWidth));
    }
    return lines;
  }

  private wrapParagraph(text: string, style: TextStyle, maxWidth: number): string[] {
    // Widths are summed piece by piece (pdf-lib itself sums glyph advances, without kerning), so
    // a long paragraph costs one measurement per piece instead of one per growing prefix.
    const lines: string[] = [];
    let line = '';
    let lineWidth = 0;
    for (const piece of breakPieces(text)) {
      if (lineWidth + this.cleanWidth(piece.trimEnd(), style) <= maxWidth) {
        line += piece;
        lineWidth += this.cleanWidth(piece, style);
        continue;
      }
      if (line.trim() !== '') lines.push(line.trimEnd());
      line = piece.trimStart();
      while (line !== '' && this.cleanWidth(line.trimEnd(), style) > maxWidth) {
        const head = this.fitGraphemes(line, style, maxWidth);
        lines.push(head);
        line = line.slice(head.length);
      }
      lineWidth = this.cleanWidth(line, style);
    }
    if (line.trim() !== '' || lines.length === 0) lines.push(line.trimEnd());
    return lines;
  }

  /** `text` on one line, cut with "..." when wider than `maxWidth`. */
  fit(text: string, style: TextStyle, maxWidth: number): string {
    const clean = cleanText(text);
    if (this.cleanWidth(clean, style) <= maxWidth) return clean;
    const room = maxWidth - this.cleanWidth('...', style);
    return `${this.fitGraphemes(clean, style, room).trimEnd()}...`;
  }

  /** The longest prefix of whole graphemes that fits (at least one, so wrapping always advances). */
  private fitGraphemes(text: string, style: TextStyle, maxWidth: number): string {
    let head = '';
    let width = 0;
    for (const { segment } of graphemes.segment(text)) {
      const next = this.cleanWidth(segment, style);
      if (head !== '' && width + next > maxWidth) break;
      head += segment;
      width += next;
    }
    return head;
  }
}

/** Split text into pieces that each end at a break opportunity. */
function breakPieces(text: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const { segment } of graphemes.segment(text)) {
    const wide = WIDE.test(segment);
    if (wide && piece !== '') {
      pieces.push(piece);
      piece = '';
    }
    piece += segment;
    if (wide || BREAK_AFTER.test(segment)) {
      pieces.push(piece);
      piece = '';
    }
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

export interface Margins {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

/** A cursor moving down the pages of a document; `y` is the next free line's top. */
export class Flow {
  page!: PDFPage;
  y = 0;
  /** Called on every new page after the first, to draw its running header and move `y` below. */
  onNewPage: (flow: Flow) => void = () => {};

  constructor(
    private readonly doc: PDFDocument,
    readonly pageSize: readonly [number, number],
    readonly margins: Margins,
  ) {
    this.addPage();
  }

  get left(): number {
    return this.margins.left;
  }
  get right(): number {
    return this.pageSize[0] - this.margins.right;
  }
  get width(): number {
    return this.right - this.left;
  }
  get top(): number {
    return this.pageSize[1] - this.margins.top;
  }
  get bottom(): number {
    return this.margins.bottom;
  }

  newPage(): void {
    this.addPage();
    this.onNewPage(this);
  }

  /** Start a new page unless `height` more points fit on this one. */
  ensure(height: number): void {
    if (this.y - height < this.bottom) this.newPage();
  }

  private addPage(): void {
    this.page = this.doc.addPage([this.pageSize[0], this.pageSize[1]]);
    this.y = this.top;
  }
}

export interface TableColumn {
  readonly width: number;
  readonly align?: 'left' | 'right';
}

export interface TableCell {
  readonly text: string;
  readonly style: TextStyle;
}

export interface TableRow {
  readonly cells: readonly TableCell[];
  /** Extra lines under the cells, spanning from column `detailColumn` to the right edge. */
  readonly detail?: readonly TableCell[];
}

export interface Table {
  readonly columns: readonly TableColumn[];
  /** Drawn at the top, and again at the top of every page the table continues on. */
  readonly header?: readonly TableCell[];
  readonly rows: readonly TableRow[];
  readonly detailColumn?: number;
  readonly padX: number;
  readonly padY: number;
  readonly ruleColor: RGB;
  readonly headerFill?: RGB;
  /** Fill for every other row. */
  readonly stripeFill?: RGB;
}

const DETAIL_GAP = 0.3;

/** One line of a row: rows are cut between strips when they run over a page. */
interface Strip {
  readonly height: number;
  draw(page: PDFPage, top: number): void;
}

/**
 * Draw a table at the flow's cursor, repeating its header at the top of every page it continues
 * on. A row up to half a page tall is kept on one page; a taller one (a huge description) fills the
 * rest of the page and continues on the next.
 */
export function drawTable(flow: Flow, ts: Typesetter, table: Table): void {
  const xs = columnStarts(flow.left, table.columns);
  const headerStrips = table.header ? rowStrips(ts, table, xs, { cells: table.header }) : [];
  let pageStart = 0; // the cursor just under the header: a row drawn since then moves it lower
  const startPage = (): void => {
    if (headerStrips.length > 0) drawSegment(flow, table, headerStrips, table.headerFill);
    pageStart = flow.y;
  };
  const breakPage = (): void => {
    flow.newPage();
    startPage();
  };
  startPage();
  table.rows.forEach((row, index) => {
    const strips = rowStrips(ts, table, xs, row);
    const fill = index % 2 === 1 ? table.stripeFill : undefined;
    const needed = stripsHeight(strips) + 2 * table.padY;
    const keepTogether = needed <= (flow.top - flow.bottom) / 2;
    if (keepTogether && flow.y - needed < flow.bottom && flow.y < pageStart) breakPage();
    let next = 0;
    while (next < strips.length) {
      const room = flow.y - flow.bottom - 2 * table.padY;
      let end = next;
      let height = 0;
      while (end < strips.length && height + strips[end]!.height <= room) {
        height += strips[end++]!.height;
      }
      if (end === next) {
        if (flow.y < pageStart) {
          breakPage();
          continue;
        }
        end = next + 1; // not one line fits on a fresh page: draw it anyway rather than loop
      }
      drawSegment(flow, table, strips.slice(next, end), fill);
      next = end;
      if (next < strips.length) breakPage();
    }
  });
}

function columnStarts(left: number, columns: readonly TableColumn[]): number[] {
  const xs: number[] = [];
  let x = left;
  for (const column of columns) {
    xs.push(x);
    x += column.width;
  }
  xs.push(x);
  return xs;
}

function stripsHeight(strips: readonly Strip[]): number {
  return strips.reduce((sum, strip) => sum + strip.height, 0);
}

function drawSegment(flow: Flow, table: Table, strips: readonly Strip[], fill?: RGB): void {
  const height = stripsHeight(strips) + 2 * table.padY;
  const bottom = flow.y - height;
  if (fill)
    flow.page.drawRectangle({ x: flow.left, y: bottom, width: flow.width, height, color: fill });
  let top = flow.y - table.padY;
  for (const strip of strips) {
    strip.draw(flow.page, top);
    top -= strip.height;
  }
  flow.page.drawLine({
    start: { x: flow.left, y: bottom },
    end: { x: flow.right, y: bottom },
    thickness: 0.5,
    color: table.ruleColor,
  });
  flow.y = bottom;
}

function rowStrips(ts: Typesetter, table: Table, xs: readonly number[], row: TableRow): Strip[] {
  const cells = row.cells.map((cell, index) => {
    const column = table.columns[index]!;
    const inner = column.width - 2 * table.padX;
    return {
      cell,
      column,
      x: xs[index]! + table.padX,
      inner,
      lines: ts.wrap(cell.text, cell.style, inner),
    };
  });
  const strips: Strip[] = [];
  const count = Math.max(0, ...cells.map((c) => c.lines.length));
  // Cells of one line share the baseline of the largest type, so a small label sits level with
  // the value beside it.
  const tallest = Math.max(0, ...cells.map((c) => c.cell.style.size));
  const height = tallest * LINE_SPACING;
  for (let i = 0; i < count; i++) {
    strips.push({
      height,
      draw: (page, top) => {
        for (const { cell, column, x, inner, lines } of cells) {
          const line = lines[i];
          if (line === undefined || line === '') continue;
          const dx = column.align === 'right' ? inner - ts.width(line, cell.style) : 0;
          ts.draw(page, line, x + dx, baseline(top, { ...cell.style, size: tallest }), cell.style);
        }
      },
    });
  }
  const detailX = xs[table.detailColumn ?? 0]! + table.padX;
  const detailWidth = xs[xs.length - 1]! - table.padX - detailX;
  for (const detail of row.detail ?? []) {
    for (const line of ts.wrap(detail.text, detail.style, detailWidth)) {
      const gap = strips.length === count ? DETAIL_GAP : 0; // a little air under the cells
      strips.push({
        height: lineHeight(detail.style) + gap,
        draw: (page, top) =>
          ts.draw(page, line, detailX, baseline(top - gap, detail.style), detail.style),
      });
    }
  }
  return strips;
}

/** Baseline for a line whose box starts at `top`: the font size plus half the leading, less descent. */
export function baseline(top: number, style: TextStyle): number {
  return top - style.size * (1 + (LINE_SPACING - 1) / 2) + style.size * 0.2;
}
