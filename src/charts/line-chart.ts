import { emptyChart, svgDocument, type ChartFrame } from './svg-frame.js';
import { CHART_STYLE, drawable, escapeXml, formatValue } from './svg-text.js';

export interface LinePoint {
  /** The period, e.g. "Nov 2026"; written under the x axis. */
  label: string;
  /** Null where the period has no data: the line breaks there rather than dropping to zero. */
  value: number | null;
}

export interface LineChartInput extends ChartFrame {
  points: readonly LinePoint[];
  /** Names the y axis, e.g. "Median working days". */
  valueLabel: string;
  /** Names the x axis, e.g. "Month of decision". */
  periodLabel: string;
  emptyMessage: string;
  width?: number;
}

const HEIGHT = 300;
const LEFT = 64;
const RIGHT = 16;
const TOP = 24;
const BOTTOM = 64;
const TICKS = 4;

/**
 * A line chart over periods as an SVG string: a point and its value per period that has data, the
 * line broken across periods that have none, a y axis from zero with labelled grid lines, and both
 * axes named. Every period keeps its slot, so gaps are visible.
 */
export function renderLineChart(input: LineChartInput): string {
  const known = input.points.filter((p) => p.value !== null);
  if (known.length === 0) return emptyChart(input, input.emptyMessage, input.width);
  const width = input.width ?? 640;
  const plotWidth = width - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const top = niceCeiling(Math.max(...known.map((p) => drawable(p.value ?? 0))));
  const step = plotWidth / input.points.length;
  const x = (i: number) => round(LEFT + step * (i + 0.5));
  const y = (value: number) => round(TOP + plotHeight - (drawable(value) / top) * plotHeight);

  const grid = Array.from({ length: TICKS + 1 }, (_, i) => {
    const value = (top / TICKS) * i;
    return (
      `<line class="chart-grid" x1="${LEFT}" x2="${width - RIGHT}" y1="${y(value)}" y2="${y(value)}"` +
      ` stroke="${CHART_STYLE.grid}"/>` +
      `<text x="${LEFT - 8}" y="${y(value) + 4}" text-anchor="end" fill="${CHART_STYLE.muted}">` +
      `${formatValue(value)}</text>`
    );
  });
  const periods = input.points.map(
    (point, i) =>
      `<text class="chart-period" x="${x(i)}" y="${TOP + plotHeight + 18}" text-anchor="middle"` +
      ` fill="${CHART_STYLE.muted}">${escapeXml(point.label)}</text>`,
  );
  const marks = input.points.flatMap((point, i) =>
    point.value === null
      ? []
      : [
          `<g class="chart-point"><title>${escapeXml(`${point.label}: ${formatValue(point.value)}`)}</title>` +
            `<circle cx="${x(i)}" cy="${y(point.value)}" r="4" fill="${CHART_STYLE.bar}"/>` +
            `<text class="chart-value" x="${x(i)}" y="${y(point.value) - 9}" text-anchor="middle">` +
            `${formatValue(point.value)}</text></g>`,
        ],
  );

  return svgDocument(input, width, HEIGHT, [
    ...grid,
    ...segments(input.points).map(
      (run) =>
        `<polyline class="chart-line" fill="none" stroke="${CHART_STYLE.bar}" stroke-width="2"` +
        ` points="${run.map((i) => `${x(i)},${y(input.points[i]?.value ?? 0)}`).join(' ')}"/>`,
    ),
    ...marks,
    ...periods,
    `<text class="chart-axis-label" x="${LEFT + plotWidth / 2}" y="${HEIGHT - 12}"` +
      ` text-anchor="middle" fill="${CHART_STYLE.muted}">${escapeXml(input.periodLabel)}</text>`,
    `<text class="chart-axis-label" x="16" y="${TOP + plotHeight / 2}" text-anchor="middle"` +
      ` transform="rotate(-90 16 ${TOP + plotHeight / 2})" fill="${CHART_STYLE.muted}">` +
      `${escapeXml(input.valueLabel)}</text>`,
  ]);
}

/** Runs of consecutive periods with data: each becomes one polyline (a lone point needs none). */
function segments(points: readonly LinePoint[]): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  points.forEach((point, i) => {
    if (point.value === null) {
      run = [];
      return;
    }
    if (run.length === 0) runs.push(run);
    run.push(i);
  });
  return runs.filter((r) => r.length > 1);
}

/** The smallest of 1, 2, 5 × 10ⁿ (and at least 4, so ticks stay whole) at or above `max`. */
function niceCeiling(max: number): number {
  if (max <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const nice = [1, 2, 5, 10].map((m) => m * magnitude).find((n) => n >= max) ?? max;
  return nice % TICKS === 0 ? nice : Math.ceil(nice / TICKS) * TICKS;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
