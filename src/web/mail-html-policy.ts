import type { IOptions } from 'sanitize-html';

/**
 * What the thread view lets through from an email body: an allowlist, so anything not named here
 * (script, style, iframe, object, embed, form controls, svg, math, base, meta, link, unknown and
 * Office-namespaced tags…) is dropped. Kept apart from the sanitiser so the policy reads as one list.
 */

// prettier-ignore
/** Formatting and table tags real mail uses. None of them runs code or fetches anything by itself. */
export const MAIL_TAGS: readonly string[] = [
  'p', 'div', 'span', 'br', 'hr',
  'b', 'i', 'u', 's', 'strike', 'strong', 'em', 'sub', 'sup', 'small', 'big', 'font', 'center',
  'del', 'ins', 'mark', 'abbr', 'cite', 'q', 'tt', 'address',
  'blockquote', 'pre', 'code',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup', 'col',
  'a', 'img',
];

const CELL = ['colspan', 'rowspan', 'align', 'valign', 'width', 'height', 'bgcolor', 'nowrap'];
const SECTION = ['align', 'valign', 'bgcolor'];

/**
 * Presentational attributes only. Deliberately absent: every `on*` handler; `id`, `class` and
 * `name` (they could match the page's own CSS, or clobber `document.x` for its scripts); `srcset`
 * and `background` (fetches that would bypass the remote-image rule). `target` and `rel` are listed
 * for the values the sanitiser itself puts on links; the sender's own are discarded before this.
 */
export const MAIL_ATTRIBUTES: Record<string, string[]> = {
  '*': ['dir', 'lang', 'title', 'style'],
  a: ['href', 'target', 'rel'],
  img: ['src', 'alt', 'width', 'height', 'align', 'border'],
  table: ['width', 'height', 'align', 'bgcolor', 'border', 'cellpadding', 'cellspacing'],
  thead: SECTION,
  tbody: SECTION,
  tfoot: SECTION,
  tr: [...SECTION, 'height'],
  td: CELL,
  th: CELL,
  col: ['span', 'width', 'align', 'valign'],
  colgroup: ['span', 'width', 'align', 'valign'],
  font: ['color', 'face', 'size'],
  hr: ['width', 'size', 'align', 'noshade'],
  p: ['align'],
  div: ['align'],
  h1: ['align'],
  h2: ['align'],
  h3: ['align'],
  h4: ['align'],
  h5: ['align'],
  h6: ['align'],
  ol: ['start', 'type'],
  ul: ['type'],
};

// prettier-ignore
/**
 * Tags whose text is dropped with them, not unwrapped into the body: code (`script`), CSS
 * (`style`), things no browser shows (`title`, `template`, `noscript`), and form-control text.
 */
export const DROP_WITH_CONTENT: readonly string[] = [
  'script', 'style', 'title', 'template', 'noscript', 'noembed', 'noframes', 'textarea', 'option',
  'xmp',
];

// Value grammars for inline CSS. Each is anchored and built from whitespace-separated tokens that
// never contain a backslash (CSS escapes), so `url(`, `expression(`, `image-set(` and friends cannot
// be spelled in an allowed value, whatever the property.
const NUMBER = String.raw`\d+(?:\.\d+)?`;
const COLOR = String.raw`(?:#[0-9a-f]{3,8}|[a-z]+|rgba?\([\d\s.,%/]+\)|hsla?\([\d\s.,%/deg]+\))`;
const LENGTH = `(?:${NUMBER}(?:px|em|%)|0)`; // the brief's px/em/% only
const SIZE = `(?:${NUMBER}(?:px|pt|em|rem|%|ex|ch|vw|vh)|0|auto)`;
const BORDER_TOKEN = `(?:${NUMBER}(?:px|pt|em)?|[a-z-]+|${COLOR})`;

const only = (source: string): RegExp[] => [new RegExp(`^(?:${source})$`, 'i')];
const upToFour = (token: string): RegExp[] => only(`${token}(?:\\s+${token}){0,3}`);
const words = (list: string): RegExp[] => only(list);

const spacing = (property: 'margin' | 'padding'): Record<string, RegExp[]> => {
  // No negative values: a negative margin can lift the message over the page around it (the same
  // overlay trick as `position: fixed`), and padding cannot be negative anyway.
  const token = property === 'margin' ? `(?:${LENGTH}|auto)` : LENGTH;
  const sides = ['', '-top', '-right', '-bottom', '-left'];
  return Object.fromEntries(
    sides.map((side) => [`${property}${side}`, side === '' ? upToFour(token) : only(token)]),
  );
};

const borders = (): Record<string, RegExp[]> => {
  const sides = ['', '-top', '-right', '-bottom', '-left'];
  const out: Record<string, RegExp[]> = {};
  for (const side of sides) {
    out[`border${side}`] = only(`${BORDER_TOKEN}(?:\\s+${BORDER_TOKEN}){0,3}`);
    out[`border${side}-color`] = only(COLOR);
    out[`border${side}-style`] = words(
      'none|hidden|dotted|dashed|solid|double|groove|ridge|inset|outset',
    );
    out[`border${side}-width`] = only(`${NUMBER}(?:px|pt|em)?|thin|medium|thick|0`);
  }
  out['border-collapse'] = words('collapse|separate');
  out['border-spacing'] = upToFour(`${NUMBER}(?:px|pt|em)?`);
  return out;
};

/**
 * Inline styles, per property. Anything absent is dropped, which is how `position`, `behavior`,
 * `-moz-binding`, `background-image`, `content`, `display` and `z-index` go.
 */
export const MAIL_STYLES: NonNullable<IOptions['allowedStyles']> = {
  '*': {
    color: only(COLOR),
    'background-color': only(COLOR),
    // Only the colour form of the shorthand: its image form is a remote fetch.
    background: only(COLOR),
    'font-size': only(
      `${NUMBER}(?:px|pt|em|rem|%)|xx-small|x-small|small|medium|large|x-large|xx-large|smaller|larger`,
    ),
    'font-weight': words('normal|bold|bolder|lighter|[1-9]00'),
    'font-style': words('normal|italic|oblique'),
    'font-family': only(String.raw`[a-z0-9 ,'"_.-]+`),
    'text-align': words('left|right|center|justify|start|end'),
    'text-decoration': only(
      '(?:none|underline|overline|line-through)(?:\\s+(?:underline|overline|line-through))*',
    ),
    'white-space': words('normal|nowrap|pre|pre-wrap|pre-line|break-spaces'),
    'vertical-align': only(`baseline|top|middle|bottom|sub|super|text-top|text-bottom|${LENGTH}`),
    'line-height': only(`normal|${NUMBER}(?:px|pt|em|%)?`),
    width: only(SIZE),
    height: only(SIZE),
    'max-width': only(SIZE),
    'min-width': only(SIZE),
    ...spacing('margin'),
    ...spacing('padding'),
    ...borders(),
  },
};
