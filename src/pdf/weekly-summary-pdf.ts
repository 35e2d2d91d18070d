/**
 * The weekly summary for managers as a PDF, so it opens on any phone: one A4 page per project with
 * the week's counts, the dashboard's "Overdue by ball in court" chart drawn as bars (pdf-lib cannot
 * render SVG, so the bars are drawn from the same data the SVG chart is made of), and the oldest
 * overdue items. Data in, bytes out: no database, no clock, no I/O beyond the fonts.
 */
import { DateTime, IANAZone } from 'luxon';
import { PageSizes, PDFDocument, rgb } from 'pdf-lib';

import { DocketError } from '../errors.js';
import { cachingFontkit, loadFontFaces } from './fonts.js';
import { MUTED, ACCENT, DANGER, RULE, FILL, STRIPE, style } from './palette.js';
import { baseline, drawTable, Flow, lineHeight, Typesetter } from './layout.js';

export interface WeeklySummaryProjectPage {
  readonly code: string;
  readonly name: string;
  readonly counts: {
    readonly openSubmittals: number;
    readonly overdueSubmittals: number;
    readonly openItems: number;
    readonly transmittalsAwaitingAck: number;
    readonly messagesLastWeek: number;
  };
  readonly overdueByHolder: readonly { readonly label: string; readonly value: number }[];
  readonly oldest: readonly {
    readonly number: string;
    readonly title: string;
    readonly holders: readonly string[];
    readonly daysOverdue: number;
  }[];
  readonly moreOverdue: number;
}

export interface WeeklySummaryDocument {
  /** The manager it is for: a name, else the address. */
  readonly preparedFor: string;
  /** The week's first working day, `YYYY-MM-DD`. */
  readonly weekOf: string;
  readonly generatedAt: Date;
  /** IANA zone the times are shown in. */
  readonly timezone: string;
  readonly projects: readonly WeeklySummaryProjectPage[];
}

const BAR = rgb(0.043, 0.361, 0.678); // the SVG chart's bar colour, #0b5cad

const SECTION = style('bold', 9, ACCENT);
const BODY = style('regular', 8);
const FIGURE = style('bold', 18);
const FIGURE_LATE = style('bold', 18, DANGER);
const FIGURE_LABEL = style('regular', 7, MUTED);
const CELL = style('regular', 7.5);
const CELL_BOLD = style('bold', 7.5);
const CELL_LATE = style('bold', 7.5, DANGER);
const CELL_HEAD = style('bold', 6.5, MUTED);

/** Bars drawn per chart; more holders are counted under it. */
const MAX_BARS = 15;

/** Render the summary. Throws `DocketError('invalid_input')` for a zone that is not IANA. */
export async function renderWeeklySummaryPdf(input: WeeklySummaryDocument): Promise<Uint8Array> {
  if (!IANAZone.isValidZone(input.timezone)) {
    throw new DocketError('invalid_input', `unknown time zone "${input.timezone}"`);
  }
  const weekOf = DateTime.fromISO(input.weekOf).toFormat('cccc d LLLL yyyy');
  const doc = await PDFDocument.create();
  doc.registerFontkit(cachingFontkit);
  const ts = await Typesetter.create(doc, await loadFontFaces());
  doc.setTitle(`Weekly summary, week of ${weekOf}`);
  doc.setSubject(input.projects.map((p) => `${p.name} (${p.code})`).join(', '));
  doc.setCreator('Docket');
  doc.setProducer('Docket');
  doc.setCreationDate(input.generatedAt);
  doc.setModificationDate(input.generatedAt);

  const size = PageSizes.A4;
  const margins = { top: 36, right: 40, bottom: 44, left: 40 };
  let flow: Flow | null = null;
  for (const project of input.projects) {
    if (flow) flow.newPage();
    else flow = new Flow(doc, [size[0], size[1]], margins);
    drawHeader(flow, ts, project, weekOf, input.preparedFor);
    drawCounts(flow, ts, project.counts);
    drawChart(flow, ts, project.overdueByHolder);
    drawOldest(flow, ts, project);
  }
  flow ??= new Flow(doc, [size[0], size[1]], margins);
  drawFooters(doc, ts, flow, input);
  return doc.save();
}

function drawHeader(
  flow: Flow,
  ts: Typesetter,
  project: WeeklySummaryProjectPage,
  weekOf: string,
  preparedFor: string,
): void {
  const rightWidth = 200;
  const { page, right } = flow;
  let yRight = flow.y;
  for (const [text, s] of [
    ['WEEKLY SUMMARY', style('bold', 18, ACCENT)],
    [`Week of ${weekOf}`, style('regular', 9, MUTED)],
    [`For ${preparedFor}`, style('regular', 9, MUTED)],
  ] as const) {
    const line = ts.fit(text, s, rightWidth);
    ts.draw(page, line, right - ts.width(line, s), baseline(yRight, s), s);
    yRight -= lineHeight(s);
  }
  let yLeft = flow.y - 3;
  const leftWidth = flow.width - rightWidth - 16;
  const nameStyle = style('bold', 14);
  const codeStyle = style('regular', 9, MUTED);
  for (const line of ts.wrap(project.name, nameStyle, leftWidth).slice(0, 3)) {
    ts.draw(page, line, flow.left, baseline(yLeft, nameStyle), nameStyle);
    yLeft -= lineHeight(nameStyle);
  }
  const code = ts.fit(`Project ${project.code}`, codeStyle, leftWidth);
  ts.draw(page, code, flow.left, baseline(yLeft, codeStyle), codeStyle);
  yLeft -= lineHeight(codeStyle);
  flow.y = Math.min(yLeft, yRight) - 8;
  page.drawLine({
    start: { x: flow.left, y: flow.y },
    end: { x: right, y: flow.y },
    thickness: 1.5,
    color: ACCENT,
  });
  flow.y -= 14;
}

function drawCounts(flow: Flow, ts: Typesetter, counts: WeeklySummaryProjectPage['counts']): void {
  const figures: [number, string, boolean][] = [
    [counts.openSubmittals, 'Open submittals', false],
    [counts.overdueSubmittals, 'Overdue submittals', counts.overdueSubmittals > 0],
    [counts.openItems, 'Open RFIs and items', false],
    [counts.transmittalsAwaitingAck, 'Transmittals awaiting acknowledgement', false],
    [counts.messagesLastWeek, 'Messages filed last week', false],
  ];
  const cell = flow.width / figures.length;
  const height = lineHeight(FIGURE) + 2 * lineHeight(FIGURE_LABEL) + 12;
  flow.page.drawRectangle({
    x: flow.left,
    y: flow.y - height,
    width: flow.width,
    height,
    color: FILL,
  });
  figures.forEach(([value, label, late], i) => {
    const x = flow.left + i * cell + 8;
    let y = flow.y - 6;
    const figureStyle = late ? FIGURE_LATE : FIGURE;
    ts.draw(flow.page, String(value), x, baseline(y, figureStyle), figureStyle);
    y -= lineHeight(figureStyle);
    for (const line of ts.wrap(label, FIGURE_LABEL, cell - 16).slice(0, 2)) {
      ts.draw(flow.page, line, x, baseline(y, FIGURE_LABEL), FIGURE_LABEL);
      y -= lineHeight(FIGURE_LABEL);
    }
  });
  flow.y -= height + 18;
}

/** A section's title, on a new page unless `keepWith` points of what follows fit under it. */
function sectionTitle(flow: Flow, ts: Typesetter, title: string, keepWith: number): void {
  flow.ensure(lineHeight(SECTION) + 6 + keepWith);
  ts.draw(flow.page, title, flow.left, baseline(flow.y, SECTION), SECTION);
  flow.y -= lineHeight(SECTION) + 6;
}

/** The dashboard's horizontal bar chart: a label, a bar proportional to the value, the value. */
function drawChart(
  flow: Flow,
  ts: Typesetter,
  holders: WeeklySummaryProjectPage['overdueByHolder'],
): void {
  const row = 16;
  const shown = holders.slice(0, MAX_BARS);
  // The whole chart stays on one page: its axis is one line.
  sectionTitle(flow, ts, 'Overdue by ball in court', Math.max(1, shown.length) * row + 24);
  if (holders.length === 0) {
    ts.draw(flow.page, 'Nothing is overdue.', flow.left, baseline(flow.y, BODY), BODY);
    flow.y -= lineHeight(BODY) + 16;
    return;
  }
  const labelWidth = flow.width * 0.36;
  const span = flow.width - labelWidth - 40;
  const max = Math.max(1, ...shown.map((h) => h.value));
  const top = flow.y;
  for (const holder of shown) {
    const label = ts.fit(holder.label, CELL, labelWidth - 10);
    const y = flow.y - row / 2 - CELL.size * 0.35;
    ts.draw(flow.page, label, flow.left + labelWidth - 8 - ts.width(label, CELL), y, CELL);
    const length = Math.max(1, (holder.value / max) * span);
    const barX = flow.left + labelWidth;
    flow.page.drawRectangle({
      x: barX,
      y: flow.y - row + 3,
      width: length,
      height: row - 6,
      color: BAR,
    });
    ts.draw(flow.page, String(holder.value), barX + length + 5, y, CELL_BOLD);
    flow.y -= row;
  }
  flow.page.drawLine({
    start: { x: flow.left + labelWidth, y: top },
    end: { x: flow.left + labelWidth, y: flow.y },
    thickness: 0.75,
    color: MUTED,
  });
  const hidden = holders.length - shown.length;
  const caption =
    'Overdue review steps, RFIs and items, and unacknowledged transmittals held by each person' +
    (hidden > 0 ? `; ${hidden} more not shown.` : '.');
  for (const line of ts.wrap(caption, FIGURE_LABEL, flow.width)) {
    flow.y -= 3;
    ts.draw(flow.page, line, flow.left, baseline(flow.y, FIGURE_LABEL), FIGURE_LABEL);
    flow.y -= lineHeight(FIGURE_LABEL);
  }
  flow.y -= 16;
}

function overdueText(days: number): string {
  if (days === 0) return 'past due';
  return `${days} working day${days === 1 ? '' : 's'}`;
}

function drawOldest(flow: Flow, ts: Typesetter, project: WeeklySummaryProjectPage): void {
  sectionTitle(flow, ts, 'Oldest overdue items', 40);
  if (project.oldest.length === 0) {
    ts.draw(flow.page, 'Nothing is overdue.', flow.left, baseline(flow.y, BODY), BODY);
    flow.y -= lineHeight(BODY);
    return;
  }
  const fixed = 84 + 140 + 78;
  drawTable(flow, ts, {
    columns: [
      { width: 84 },
      { width: flow.width - fixed },
      { width: 140 },
      { width: 78, align: 'right' },
    ],
    header: ['Number', 'Title', 'Ball in court', 'Overdue'].map((text) => ({
      text,
      style: CELL_HEAD,
    })),
    rows: project.oldest.map((item) => ({
      cells: [
        { text: item.number, style: CELL_BOLD },
        { text: item.title, style: CELL },
        { text: item.holders.join(', '), style: CELL },
        { text: overdueText(item.daysOverdue), style: CELL_LATE },
      ],
    })),
    padX: 4,
    padY: 3,
    ruleColor: RULE,
    headerFill: FILL,
    stripeFill: STRIPE,
  });
  if (project.moreOverdue > 0) {
    flow.y -= 4;
    const more = `and ${project.moreOverdue} more overdue item${project.moreOverdue === 1 ? '' : 's'}: see the dashboard`;
    ts.draw(flow.page, more, flow.left, baseline(flow.y, BODY), BODY);
    flow.y -= lineHeight(BODY);
  }
}

function drawFooters(doc: PDFDocument, ts: Typesetter, flow: Flow, input: WeeklySummaryDocument) {
  const s = style('regular', 7.5, MUTED);
  const generated = DateTime.fromJSDate(input.generatedAt, { zone: input.timezone }).toFormat(
    'd LLL yyyy HH:mm ZZZZ',
  );
  const left = ts.fit(`Docket weekly summary · as of ${generated}`, s, flow.width * 0.7);
  const pages = doc.getPages();
  const y = flow.bottom - 20;
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
