/**
 * The transmittal cover sheet: the PDF that travels with (or stands for) a transmittal and lists
 * exactly what was sent, to whom, why and how, with each file's SHA-256 so a recipient can prove
 * which version they received. Data in, bytes out: no database, no clock, no I/O beyond the fonts.
 *
 * Layout (A4 or Letter portrait): a header (project, "TRANSMITTAL", number, date in the project's
 * zone), the details (from, to, cc, subject, purpose, sent via), the items table (its header
 * repeated on every page it continues on), remarks, an acknowledgement note, and "Page n of m" in
 * every footer. Characters no font has are drawn as `?` (see `fonts.ts`).
 */
import { IANAZone } from 'luxon';
import { PageSizes, PDFDocument } from 'pdf-lib';

import { DocketError } from '../errors.js';
import { cachingFontkit, loadFontFaces } from './fonts.js';
import { MUTED, ACCENT, RULE, FILL, STRIPE, style } from './palette.js';
import { baseline, drawTable, Flow, lineHeight, Typesetter, type TableRow } from './layout.js';

export interface TransmittalParty {
  readonly name: string | null;
  readonly address: string;
}

export interface TransmittalItem {
  readonly description: string;
  /** Documents, Drawings, Specifications, Samples, Shop Drawings… */
  readonly format: string;
  readonly copies: number;
  readonly fileName: string;
  /** Bytes. */
  readonly size: number;
  /** Lowercase hex, 64 characters. */
  readonly sha256: string;
}

export interface TransmittalCoverSheet {
  readonly project: { readonly code: string; readonly name: string };
  /** `TR-0042`. */
  readonly number: string;
  readonly date: Date;
  /** IANA zone the date is shown in, e.g. `Europe/London`. */
  readonly timezone: string;
  readonly subject: string;
  readonly from: TransmittalParty;
  readonly to: readonly TransmittalParty[];
  readonly cc: readonly TransmittalParty[];
  /** For Approval, For Review and Comment, For Information, For Construction, As Requested… */
  readonly purpose: string;
  /** `Email attachment` or `Under separate cover: courier`… */
  readonly sentVia: string;
  readonly items: readonly TransmittalItem[];
  readonly remarks: string;
}

export interface CoverSheetOptions {
  /** Paper size; A4 unless told. */
  readonly pageSize?: 'A4' | 'Letter';
}

const BODY = style('regular', 8.5);
const LABEL = style('bold', 7, MUTED);
const CELL = style('regular', 7);
const CELL_MUTED = style('regular', 7, MUTED);
const CELL_HEAD = style('bold', 6.5, MUTED);
const HASH = style('mono', 6, MUTED);
const SECTION = style('bold', 8, ACCENT);

/**
 * Render the cover sheet of one transmittal as a PDF. Throws `DocketError('invalid_input')` for a
 * time zone that is not an IANA zone; every other value, however long or odd, is drawn (wrapped,
 * with `?` for characters no font has).
 */
export async function renderTransmittalCoverSheet(
  input: TransmittalCoverSheet,
  options: CoverSheetOptions = {},
): Promise<Uint8Array> {
  const date = formatDate(input.date, input.timezone);
  const doc = await PDFDocument.create();
  doc.registerFontkit(cachingFontkit);
  const ts = await Typesetter.create(doc, await loadFontFaces());
  doc.setTitle(`Transmittal ${input.number}: ${input.subject}`);
  doc.setSubject(`${input.project.name} (${input.project.code})`);
  doc.setCreator('Docket');
  doc.setProducer('Docket');
  doc.setCreationDate(input.date);
  doc.setModificationDate(input.date);

  const size = options.pageSize === 'Letter' ? PageSizes.Letter : PageSizes.A4;
  const flow = new Flow(doc, [size[0], size[1]], { top: 32, right: 40, bottom: 40, left: 40 });
  drawHeader(flow, ts, input, date);
  flow.onNewPage = (f) => drawRunningHeader(f, ts, input);
  drawDetails(flow, ts, input);
  drawItems(flow, ts, input.items);
  drawRemarks(flow, ts, input.remarks);
  drawAcknowledgement(flow, ts, input);
  drawFooters(doc, ts, flow, input);
  return doc.save();
}

function formatDate(date: Date, timezone: string): string {
  if (!IANAZone.isValidZone(timezone)) {
    throw new DocketError('invalid_input', `unknown time zone "${timezone}"`);
  }
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(date);
}

function drawHeader(flow: Flow, ts: Typesetter, input: TransmittalCoverSheet, date: string): void {
  const rightWidth = 170;
  const title = style('bold', 20, ACCENT);
  const numberStyle = style('bold', 13);
  const dateStyle = style('regular', 9, MUTED);
  const nameStyle = style('bold', 14);
  const codeStyle = style('regular', 9, MUTED);
  const { page, right } = flow;
  let yRight = flow.y;
  for (const [text, s] of [
    ['TRANSMITTAL', title],
    [input.number, numberStyle],
    [date, dateStyle],
  ] as const) {
    for (const line of ts.wrap(text, s, rightWidth)) {
      ts.draw(page, line, right - ts.width(line, s), baseline(yRight, s), s);
      yRight -= lineHeight(s);
    }
  }
  let yLeft = flow.y - 3;
  const leftWidth = flow.width - rightWidth - 16;
  for (const line of ts.wrap(input.project.name, nameStyle, leftWidth)) {
    ts.draw(page, line, flow.left, baseline(yLeft, nameStyle), nameStyle);
    yLeft -= lineHeight(nameStyle);
  }
  for (const line of ts.wrap(`Project ${input.project.code}`, codeStyle, leftWidth)) {
    ts.draw(page, line, flow.left, baseline(yLeft, codeStyle), codeStyle);
    yLeft -= lineHeight(codeStyle);
  }
  flow.y = Math.min(yLeft, yRight) - 8;
  page.drawLine({
    start: { x: flow.left, y: flow.y },
    end: { x: right, y: flow.y },
    thickness: 1.5,
    color: ACCENT,
  });
  flow.y -= 12;
}

function drawRunningHeader(flow: Flow, ts: Typesetter, input: TransmittalCoverSheet): void {
  const left = style('bold', 9, ACCENT);
  const right = style('regular', 8, MUTED);
  const project = ts.fit(`${input.project.name} · ${input.project.code}`, right, flow.width / 2);
  ts.draw(
    flow.page,
    `TRANSMITTAL ${input.number} (continued)`,
    flow.left,
    baseline(flow.y, left),
    left,
  );
  ts.draw(flow.page, project, flow.right - ts.width(project, right), baseline(flow.y, left), right);
  flow.y -= lineHeight(left) + 4;
  flow.page.drawLine({
    start: { x: flow.left, y: flow.y },
    end: { x: flow.right, y: flow.y },
    thickness: 0.75,
    color: ACCENT,
  });
  flow.y -= 9;
}

function drawSectionTitle(flow: Flow, ts: Typesetter, title: string, keepWith: number): void {
  flow.ensure(lineHeight(SECTION) + 4 + keepWith);
  ts.draw(flow.page, title, flow.left, baseline(flow.y, SECTION), SECTION);
  flow.y -= lineHeight(SECTION) + 4;
}

function party(p: TransmittalParty): string {
  const name = p.name?.trim();
  return name ? `${name} <${p.address}>` : p.address;
}

function drawDetails(flow: Flow, ts: Typesetter, input: TransmittalCoverSheet): void {
  const list = (parties: readonly TransmittalParty[]): string =>
    parties.length === 0 ? '—' : parties.map(party).join('; ');
  const rows: [string, string][] = [
    ['From', party(input.from)],
    ['To', list(input.to)],
    ['Cc', list(input.cc)],
    ['Subject', input.subject],
    ['Purpose', input.purpose],
    ['Sent via', input.sentVia],
  ];
  const labelWidth = 74;
  drawTable(flow, ts, {
    columns: [{ width: labelWidth }, { width: flow.width - labelWidth }],
    rows: rows.map(([label, value]) => ({
      cells: [
        { text: label.toUpperCase(), style: LABEL },
        { text: value.trim() === '' ? '—' : value, style: BODY },
      ],
    })),
    padX: 5,
    padY: 2.2,
    ruleColor: RULE,
  });
  flow.y -= 13;
}

function drawItems(flow: Flow, ts: Typesetter, items: readonly TransmittalItem[]): void {
  const copies = items.reduce(
    (sum, item) => sum + (Number.isFinite(item.copies) ? item.copies : 0),
    0,
  );
  const count = `${items.length} ${items.length === 1 ? 'item' : 'items'}, ${copies} ${copies === 1 ? 'copy' : 'copies'}`;
  drawSectionTitle(flow, ts, `ITEMS (${count})`, 60);
  // Fixed columns fit their longest usual value ("Specifications", "COPIES", "999 MB"); the
  // description and the file name share the rest.
  const [num, format, copiesWidth, size] = [18, 64, 36, 46];
  const flexible = flow.width - num - format - copiesWidth - size;
  const columns = [
    { width: num, align: 'right' as const },
    { width: Math.round(flexible / 2) },
    { width: format },
    { width: copiesWidth, align: 'right' as const },
    { width: flexible - Math.round(flexible / 2) },
    { width: size, align: 'right' as const },
  ];
  const head = ['#', 'Description', 'Format', 'Copies', 'File name', 'Size'];
  const rows: TableRow[] = items.map((item, index) => ({
    cells: [
      { text: String(index + 1), style: CELL_MUTED },
      { text: item.description || '—', style: CELL },
      { text: item.format || '—', style: CELL },
      { text: Number.isFinite(item.copies) ? String(item.copies) : '—', style: CELL },
      { text: item.fileName || '—', style: CELL },
      { text: formatSize(item.size), style: CELL },
    ],
    detail: [{ text: `SHA-256 ${item.sha256 || '—'}`, style: HASH }],
  }));
  if (rows.length === 0) {
    rows.push({
      cells: [
        { text: '', style: CELL },
        { text: 'No items.', style: CELL_MUTED },
      ],
    });
  }
  drawTable(flow, ts, {
    columns,
    header: head.map((text) => ({ text: text.toUpperCase(), style: CELL_HEAD })),
    rows,
    detailColumn: 1,
    padX: 3.5,
    padY: 1.3,
    ruleColor: RULE,
    headerFill: FILL,
    stripeFill: STRIPE,
  });
  flow.y -= 14;
}

/** Human-readable size in SI units (1 kB = 1000 bytes), as file managers on macOS and Linux show. */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

function drawRemarks(flow: Flow, ts: Typesetter, remarks: string): void {
  const empty = remarks.trim() === '';
  const s = empty ? style('regular', 8.5, MUTED) : BODY;
  const lines = ts.wrap(empty ? 'None.' : remarks.trim(), s, flow.width);
  drawSectionTitle(flow, ts, 'REMARKS', lineHeight(s) * Math.min(lines.length, 2));
  for (const line of lines) {
    flow.ensure(lineHeight(s));
    ts.draw(flow.page, line, flow.left, baseline(flow.y, s), s);
    flow.y -= lineHeight(s);
  }
  flow.y -= 14;
}

function drawAcknowledgement(flow: Flow, ts: Typesetter, input: TransmittalCoverSheet): void {
  const s = style('regular', 7.5);
  const pad = 8;
  const text =
    `Please acknowledge receipt of transmittal ${input.number} by replying to the email that ` +
    'delivered it (or to the project inbox, quoting the number). Each recipient’s acknowledgement ' +
    'is recorded with the time it was received. A file can be checked against the SHA-256 ' +
    'fingerprint listed above: a file with a different fingerprint is not the one transmitted. ' +
    'For items sent under separate cover, sign below and return a copy.';
  const lines = ts.wrap(text, s, flow.width - 2 * pad);
  const signature = 24;
  const height = pad + lineHeight(SECTION) + 4 + lines.length * lineHeight(s) + signature + pad;
  flow.ensure(height);
  const { page } = flow;
  page.drawRectangle({
    x: flow.left,
    y: flow.y - height,
    width: flow.width,
    height,
    color: FILL,
    borderColor: RULE,
    borderWidth: 0.5,
  });
  let y = flow.y - pad;
  ts.draw(page, 'ACKNOWLEDGEMENT OF RECEIPT', flow.left + pad, baseline(y, SECTION), SECTION);
  y -= lineHeight(SECTION) + 4;
  for (const line of lines) {
    ts.draw(page, line, flow.left + pad, baseline(y, s), s);
    y -= lineHeight(s);
  }
  const fieldWidth = (flow.width - 2 * pad - 24) / 3;
  const lineY = y - signature + 10;
  ['Received by', 'Signature', 'Date'].forEach((label, i) => {
    const x = flow.left + pad + i * (fieldWidth + 12);
    page.drawLine({
      start: { x, y: lineY },
      end: { x: x + fieldWidth, y: lineY },
      thickness: 0.5,
      color: MUTED,
    });
    ts.draw(page, label, x, lineY - 9, style('regular', 7, MUTED));
  });
  flow.y -= height;
}

function drawFooters(
  doc: PDFDocument,
  ts: Typesetter,
  flow: Flow,
  input: TransmittalCoverSheet,
): void {
  const s = style('regular', 7.5, MUTED);
  const pages = doc.getPages();
  const y = flow.bottom - 20;
  const left = ts.fit(`${input.project.code} · Transmittal ${input.number}`, s, flow.width * 0.6);
  pages.forEach((page, index) => {
    page.drawLine({
      start: { x: flow.left, y: y + 11 },
      end: { x: flow.right, y: y + 11 },
      thickness: 0.5,
      color: RULE,
    });
    ts.draw(page, left, flow.left, y, s);
    const label = `Page ${index + 1} of ${pages.length}`;
    ts.draw(page, label, flow.right - ts.width(label, s), y, s);
  });
}
