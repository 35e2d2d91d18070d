import { emptyChart, svgDocument, type ChartFrame } from './svg-frame.js';
import { CHART_STYLE, drawable, escapeXml, formatValue, truncateLabel } from './svg-text.js';

export interface Bar {
  /** The category: a person, a status. Shown (shortened if long) beside its bar. */
  label: string;
  value: number;
}

export interface BarChartInput extends ChartFrame {
  bars: readonly Bar[];
  /** Names the value axis, e.g. "Overdue items held". */
  valueLabel: string;
  /** Said instead of drawing nothing, e.g. "No submittals yet". */
  emptyMessage: string;
  width?: number;
}

const ROW = 28;
const BAR = 18;
const TOP = 8;
const BOTTOM = 40;
const LABEL_CHARS = 30;

/**
 * A horizontal bar chart as an SVG string (data in, markup out — no DOM, no fonts, no script).
 * Bars are proportional to their values, each value is written beside its bar, and each bar
 * carries a `<title>` with its full label, so a shortened label loses nothing.
 */
export function renderBarChart(input: BarChartInput): string {
  if (input.bars.length === 0) return emptyChart(input, input.emptyMessage, input.width);
  const width = input.width ?? 640;
  const labelWidth = Math.round(width * 0.36);
  const valueRoom = 48;
  const span = width - labelWidth - valueRoom;
  const max = Math.max(0, ...input.bars.map((bar) => drawable(bar.value)));
  const plotHeight = input.bars.length * ROW;
  const height = TOP + plotHeight + BOTTOM;

  const rows = input.bars.map((bar, i) => {
    const value = drawable(bar.value);
    const length = max > 0 ? (value / max) * span : 0;
    const y = TOP + i * ROW;
    const middle = y + ROW / 2 + 4;
    const shown = formatValue(bar.value);
    return [
      `<g class="chart-bar">`,
      `<title>${escapeXml(`${bar.label}: ${shown}`)}</title>`,
      `<text x="${labelWidth - 8}" y="${middle}" text-anchor="end">` +
        `${escapeXml(truncateLabel(bar.label, LABEL_CHARS))}</text>`,
      `<rect x="${labelWidth}" y="${y + (ROW - BAR) / 2}" width="${round(length)}" height="${BAR}"` +
        ` fill="${CHART_STYLE.bar}"/>`,
      `<text class="chart-value" x="${round(labelWidth + length + 6)}" y="${middle}">${shown}</text>`,
      `</g>`,
    ].join('');
  });

  return svgDocument(input, width, height, [
    `<line class="chart-axis" x1="${labelWidth}" y1="${TOP}" x2="${labelWidth}"` +
      ` y2="${TOP + plotHeight}" stroke="${CHART_STYLE.muted}"/>`,
    ...rows,
    `<text class="chart-axis-label" x="${labelWidth + span / 2}" y="${height - 12}"` +
      ` text-anchor="middle" fill="${CHART_STYLE.muted}">${escapeXml(input.valueLabel)}</text>`,
  ]);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
