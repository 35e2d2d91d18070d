/**
 * The submittal register as a PDF for meetings and the site office: landscape A4 (or Letter), a
 * title block (project, date in the project's zone, the filters used, counts), one table row per
 * submittal whose header row repeats on every page, overdue rows marked in words as well as colour,
 * and "Page n of m" in every footer. Data in, bytes out: no database, no clock, no I/O beyond the
 * fonts. Characters no font has are drawn as `?` (see `fonts.ts`).
 */
import { IANAZone } from 'luxon';
import { PageSizes, PDFDocument } from 'pdf-lib';

import { DocketError } from '../errors.js';
import { isoDay, reviewersText, statusText, submitterText } from '../submittals/register-cells.js';
import type { RegisterRow } from '../submittals/submittal-register.js';
import { cachingFontkit, loadFontFaces } from './fonts.js';
import { MUTED, ACCENT, DANGER, RULE, FILL, STRIPE, style } from './palette.js';
import {
  baseline,
  drawTable,
  Flow,
  lineHeight,
  Typesetter,
  type TableCell,
  type TableColumn,
  type TableRow,
} from './layout.js';

export interface SubmittalRegisterDocument {
  readonly project: { readonly code: string; readonly name: string };
  readonly generatedAt: Date;
  /** IANA zone dates are shown in, e.g. `America/New_York`. */
  readonly timezone: string;
  /** The filters in words (`status open, overdue only`), or null for the whole register. */
  readonly filters: string | null;
  readonly rows: readonly RegisterRow[];
}

export interface RegisterPdfOptions {
  readonly pageSize?: 'A4' | 'Letter';
}

const CELL = style('regular', 6.5);
const CELL_BOLD = style('bold', 6.5);
const CELL_LATE = style('bold', 6.5, DANGER);
const CELL_HEAD = style('bold', 6, MUTED);
const DETAIL = style('regular', 6, MUTED);

/** Longest title or name drawn before it is cut, so one odd subject cannot fill a page. */
const MAX_CELL_CHARS = 200;

/** Columns of the table: header, width in points (the title takes what is left), a cell. */
const COLUMNS: readonly {
  head: string;
  width: number;
  cell: (row: RegisterRow, timezone: string) => TableCell;
  align?: 'right';
}[] = [
  { head: 'Number', width: 66, cell: (r) => ({ text: r.number, style: CELL_BOLD }) },
  { head: 'Title', width: 0, cell: (r) => ({ text: cut(r.title), style: CELL }) },
  { head: 'Type', width: 48, cell: (r) => ({ text: r.type, style: CELL }) },
  { head: 'Status', width: 64, cell: (r) => ({ text: statusText(r), style: CELL }) },
  { head: 'Submitter', width: 78, cell: (r) => ({ text: cut(submitterText(r)), style: CELL }) },
  {
    head: 'Ball in court',
    width: 86,
    cell: (r) => ({
      text: r.ballInCourt.length > 0 ? cut(r.ballInCourt.join(', ')) : '—',
      style: r.overdue ? CELL_LATE : CELL_BOLD,
    }),
  },
  {
    head: 'Reviewers',
    width: 96,
    cell: (r) => ({ text: cut(reviewersText(r.reviewers)) || '—', style: CELL }),
  },
  {
    head: 'Due',
    width: 46,
    cell: (r, tz) =>
      r.overdue
        ? { text: `${isoDay(r.dueAt, tz)} OVERDUE`, style: CELL_LATE }
        : { text: isoDay(r.dueAt, tz) || '—', style: CELL },
  },
  {
    head: 'Received',
    width: 44,
    cell: (r, tz) => ({ text: isoDay(r.receivedAt, tz), style: CELL }),
  },
  {
    head: 'Issued',
    width: 44,
    cell: (r, tz) => ({ text: isoDay(r.issuedAt, tz) || '—', style: CELL }),
  },
  {
    head: 'On site',
    width: 44,
    cell: (r) => ({ text: r.requiredOnSite ?? '—', style: CELL }),
  },
  {
    head: 'Docs',
    width: 24,
    align: 'right',
    cell: (r) => ({ text: String(r.documentCount), style: CELL }),
  },
];

function cut(text: string): string {
  const chars = [...text];
  return chars.length <= MAX_CELL_CHARS ? text : `${chars.slice(0, MAX_CELL_CHARS).join('')}...`;
}

/** What the register's narrow columns leave out, under the row: only the fields recorded. */
function detailOf(row: RegisterRow): TableCell[] {
  const parts = [
    row.responsibleContractor ? `Responsible contractor: ${row.responsibleContractor}` : null,
    row.submittalManager ? `Submittal manager: ${row.submittalManager}` : null,
    row.leadTimeDays !== null ? `Lead time: ${row.leadTimeDays} days` : null,
    row.distribution.length > 0 ? `Distribution: ${row.distribution.join(', ')}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? [{ text: cut(parts.join(' · ')), style: DETAIL }] : [];
}

/**
 * Render the register. Throws `DocketError('invalid_input')` for a time zone that is not an IANA
 * zone; every other value, however long or odd, is drawn (wrapped, long ones cut with "...").
 */
export async function renderSubmittalRegisterPdf(
  input: SubmittalRegisterDocument,
  options: RegisterPdfOptions = {},
): Promise<Uint8Array> {
  if (!IANAZone.isValidZone(input.timezone)) {
    throw new DocketError('invalid_input', `unknown time zone "${input.timezone}"`);
  }
  const doc = await PDFDocument.create();
  doc.registerFontkit(cachingFontkit);
  const ts = await Typesetter.create(doc, await loadFontFaces());
  doc.setTitle(`Submittal register: ${input.project.name}`);
  doc.setSubject(`${input.project.name} (${input.project.code})`);
  doc.setCreator('Docket');
  doc.setProducer('Docket');
  doc.setCreationDate(input.generatedAt);
  doc.setModificationDate(input.generatedAt);

  const portrait = options.pageSize === 'Letter' ? PageSizes.Letter : PageSizes.A4;
  const flow = new Flow(doc, [portrait[1], portrait[0]], {
    top: 28,
    right: 28,
    bottom: 36,
    left: 28,
  });
  drawTitleBlock(flow, ts, input);
  flow.onNewPage = (f) => drawRunningHeader(f, ts, input);
  drawRegister(flow, ts, input);
  drawFooters(doc, ts, flow, input);
  return doc.save();
}

function drawTitleBlock(flow: Flow, ts: Typesetter, input: SubmittalRegisterDocument): void {
  const title = style('bold', 16, ACCENT);
  const name = style('bold', 12);
  const small = style('regular', 8, MUTED);
  const late = input.rows.filter((r) => r.overdue).length;
  const date = isoDay(input.generatedAt, input.timezone);
  const { page } = flow;
  ts.draw(page, 'SUBMITTAL REGISTER', flow.left, baseline(flow.y, title), title);
  const when = `${date} (${input.timezone})`;
  ts.draw(page, when, flow.right - ts.width(when, small), baseline(flow.y, title), small);
  flow.y -= lineHeight(title);
  const project = ts.fit(`${input.project.name} · ${input.project.code}`, name, flow.width);
  ts.draw(page, project, flow.left, baseline(flow.y, name), name);
  flow.y -= lineHeight(name);
  const counts = `${input.rows.length} ${input.rows.length === 1 ? 'submittal' : 'submittals'}, ${late} overdue`;
  const summary = input.filters ? `${counts} · Filtered: ${input.filters}` : counts;
  for (const line of ts.wrap(summary, small, flow.width)) {
    ts.draw(page, line, flow.left, baseline(flow.y, small), small);
    flow.y -= lineHeight(small);
  }
  flow.y -= 4;
  page.drawLine({
    start: { x: flow.left, y: flow.y },
    end: { x: flow.right, y: flow.y },
    thickness: 1.5,
    color: ACCENT,
  });
  flow.y -= 8;
}

function drawRunningHeader(flow: Flow, ts: Typesetter, input: SubmittalRegisterDocument): void {
  const left = style('bold', 9, ACCENT);
  const right = style('regular', 8, MUTED);
  const project = ts.fit(`${input.project.name} · ${input.project.code}`, right, flow.width / 2);
  ts.draw(flow.page, 'SUBMITTAL REGISTER (continued)', flow.left, baseline(flow.y, left), left);
  ts.draw(flow.page, project, flow.right - ts.width(project, right), baseline(flow.y, left), right);
  flow.y -= lineHeight(left) + 4;
  flow.page.drawLine({
    start: { x: flow.left, y: flow.y },
    end: { x: flow.right, y: flow.y },
    thickness: 0.75,
    color: ACCENT,
  });
  flow.y -= 6;
}

function drawRegister(flow: Flow, ts: Typesetter, input: SubmittalRegisterDocument): void {
  const fixed = COLUMNS.reduce((sum, c) => sum + c.width, 0);
  const columns: TableColumn[] = COLUMNS.map((c) => ({
    width: c.width === 0 ? flow.width - fixed : c.width,
    ...(c.align ? { align: c.align } : {}),
  }));
  const rows: TableRow[] = input.rows.map((row) => ({
    cells: COLUMNS.map((c) => c.cell(row, input.timezone)),
    detail: detailOf(row),
  }));
  if (rows.length === 0) {
    rows.push({
      cells: [
        { text: '', style: CELL },
        { text: 'No submittals.', style: DETAIL },
      ],
    });
  }
  drawTable(flow, ts, {
    columns,
    header: COLUMNS.map((c) => ({ text: c.head.toUpperCase(), style: CELL_HEAD })),
    rows,
    detailColumn: 1,
    padX: 3,
    padY: 1.6,
    ruleColor: RULE,
    headerFill: FILL,
    stripeFill: STRIPE,
  });
}

function drawFooters(
  doc: PDFDocument,
  ts: Typesetter,
  flow: Flow,
  input: SubmittalRegisterDocument,
): void {
  const s = style('regular', 7.5, MUTED);
  const pages = doc.getPages();
  const y = flow.bottom - 18;
  const left = ts.fit(
    `${input.project.code} · Submittal register · ${isoDay(input.generatedAt, input.timezone)}`,
    s,
    flow.width * 0.6,
  );
  pages.forEach((page, index) => {
    page.drawLine({
      start: { x: flow.left, y: y + 10 },
      end: { x: flow.right, y: y + 10 },
      thickness: 0.5,
      color: RULE,
    });
    ts.draw(page, left, flow.left, y, s);
    const label = `Page ${index + 1} of ${pages.length}`;
    ts.draw(page, label, flow.right - ts.width(label, s), y, s);
  });
}
