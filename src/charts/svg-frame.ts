import { CHART_STYLE, escapeXml, safeId } from './svg-text.js';

export interface ChartFrame {
  /** Read aloud first and shown as the image's name; plain text, escaped here. */
  title: string;
  /** What the chart shows and how it was counted; plain text, escaped here. */
  description: string;
  /** Prefix for the ids of `<title>` and `<desc>`, unique on a page holding several charts. */
  idPrefix?: string;
}

/**
 * The outer `<svg>` of every chart: a standalone document (it is served as image/svg+xml and will
 * travel in email) that is also valid inline in HTML, named for screen readers by its `<title>`
 * and `<desc>`. Colours are presentation attributes: the page's CSP forbids inline styles.
 */
export function svgDocument(frame: ChartFrame, width: number, height: number, body: string[]) {
  const id = safeId(frame.idPrefix ?? 'chart');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"` +
      ` width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
      ` aria-labelledby="${id}-title ${id}-desc"` +
      ` font-family="${escapeXml(CHART_STYLE.font)}" font-size="12" fill="${CHART_STYLE.ink}">`,
    `<title id="${id}-title">${escapeXml(frame.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(frame.description)}</desc>`,
    `<rect class="chart-paper" width="${width}" height="${height}" fill="${CHART_STYLE.paper}"/>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** The chart for no data: the frame with one sentence, so a linked image still says something. */
export function emptyChart(frame: ChartFrame, message: string, width = 640): string {
  const height = 80;
  return svgDocument(frame, width, height, [
    `<text class="chart-empty" x="${width / 2}" y="${height / 2 + 4}" text-anchor="middle"` +
      ` fill="${CHART_STYLE.muted}">${escapeXml(message)}</text>`,
  ]);
}
