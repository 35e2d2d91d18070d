/**
 * Text that goes into SVG markup. Chart labels are people's names, email addresses and statuses —
 * all typed by strangers — so every one passes through here before it meets a tag or attribute.
 */

// Characters XML 1.0 forbids outright: a standalone .svg with one of them does not open at all.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Escapes text for an SVG element's content or a double-quoted attribute value. */
export function escapeXml(text: string): string {
  return text
    .toWellFormed()
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Shortens a label to `max` characters (not UTF-16 units), ending in an ellipsis when cut. */
export function truncateLabel(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** A number for a chart label: whole numbers as they are, others to one decimal place. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** A finite, non-negative value: what a bar or point may be drawn from without NaN or overflow. */
export function drawable(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** An id safe to use in `id=` and `aria-labelledby=` (letters, digits and dashes only). */
export function safeId(text: string): string {
  return text.replace(/[^A-Za-z0-9-]/g, '-') || 'chart';
}

/** Colours and type shared by every chart; presentation attributes, so no stylesheet is needed. */
export const CHART_STYLE = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  ink: '#1d2329',
  muted: '#5a6570',
  grid: '#d5dbe1',
  bar: '#0b5cad',
  paper: '#ffffff',
} as const;
