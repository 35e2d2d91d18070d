/**
 * HTML side of reply splitting: find where a client's quoted history starts in the markup, and
 * render HTML crudely as text (blockquotes become `> ` lines so the text rules recognise them).
 * Crude on purpose: the text is only for reading a decision; the sanitised HTML is kept elsewhere.
 */

interface Tag {
  /** Lowercased element name. */
  name: string;
  /** Lowercased attribute names → lowercased values. */
  attrs: Map<string, string>;
}

const hasClass = (tag: Tag, name: string) =>
  (tag.attrs.get('class') ?? '').split(/\s+/).includes(name.toLowerCase());
const idStarts = (id: string) => {
  const pattern = new RegExp(`^${id}(?![\\w-])`, 'i');
  return (tag: Tag) => pattern.test(tag.attrs.get('id') ?? '');
};

const stopSpelling = idStarts('stopSpelling');

/** Client markers that open the quoted history (or a signature) in HTML, with a readable name. */
const HTML_MARKERS: readonly [(tag: Tag) => boolean, string][] = [
  [(t) => hasClass(t, 'gmail_quote'), 'Gmail quote (div.gmail_quote)'],
  [(t) => hasClass(t, 'gmail_attr'), 'Gmail attribution (gmail_attr)'],
  [
    (t) => hasClass(t, 'gmail_signature') || t.attrs.get('data-smartmail') === 'gmail_signature',
    'Gmail signature',
  ],
  [
    (t) => t.name === 'blockquote' && t.attrs.get('type') === 'cite',
    'Apple Mail quote (blockquote type=cite)',
  ],
  [(t) => hasClass(t, 'moz-cite-prefix'), 'Thunderbird attribution (moz-cite-prefix)'],
  [(t) => hasClass(t, 'moz-signature'), 'Thunderbird signature (moz-signature)'],
  [idStarts('divRplyFwdMsg'), 'Outlook reply header (divRplyFwdMsg)'],
  [idStarts('appendonsend'), 'Outlook reply header (appendonsend)'],
  [idStarts('mail-editor-reference-message-container'), 'Outlook reply header'],
  [
    (t) => /border-top:\s*solid\s+#(?:e1e1e1|b5c4df)/.test(t.attrs.get('style') ?? ''),
    'Outlook reply header (border-top:solid)',
  ],
  [(t) => t.name === 'hr' && stopSpelling(t), 'Outlook.com quote (hr#stopSpelling)'],
  [idStarts('OLK_SRC_BODY_SECTION'), 'Outlook for Mac quote (OLK_SRC_BODY_SECTION)'],
  [(t) => hasClass(t, 'yahoo_quoted'), 'Yahoo quote (yahoo_quoted)'],
  [(t) => hasClass(t, 'protonmail_quote'), 'Proton Mail quote (protonmail_quote)'],
];

// A start tag up to the next `<` or `>`, and its attributes. Both scan forward without backtracking
// over what they already read, so hostile markup (thousands of `<`, a megabyte-long attribute)
// costs its length; only the first few kilobytes of a tag are read for attributes.
const START_TAG = /<([a-zA-Z][\w:-]*)([^<>]*)/g;
const ATTRIBUTE = /(?:^|[\s"'/])([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;
const MAX_TAG = 4096;

function attributes(text: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const match of text.slice(0, MAX_TAG).matchAll(ATTRIBUTE)) {
    const value = match[2] ?? match[3] ?? match[4] ?? '';
    attrs.set((match[1] ?? '').toLowerCase(), value.toLowerCase());
  }
  return attrs;
}

/** The earliest client marker in `html`: its offset (start of its tag) and name. */
export function findHtmlMarker(html: string): { index: number; reason: string } | null {
  for (const match of html.matchAll(START_TAG)) {
    const tag = { name: (match[1] ?? '').toLowerCase(), attrs: attributes(match[2] ?? '') };
    const marker = HTML_MARKERS.find(([isMarker]) => isMarker(tag));
    if (marker) return { index: match.index, reason: `HTML: ${marker[1]}` };
  }
  return null;
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  hellip: '…',
  euro: '€',
  copy: '©',
  eacute: 'é',
  egrave: 'è',
  agrave: 'à',
  ccedil: 'ç',
  uuml: 'ü',
  ouml: 'ö',
  auml: 'ä',
  szlig: 'ß',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X'
          ? parseInt(name.slice(2), 16)
          : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'tr',
  'li',
  'ul',
  'ol',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'dl',
  'dt',
  'dd',
  'center',
  'address',
]);
// An <hr> becomes a rule line, which reply-markers.ts joins to an Outlook header block below it.
const HR_LINE = '-'.repeat(32);

// A tag, a declaration (`<!DOCTYPE …>`), text, or a lone `<`. A tag ends at its `>` or, unclosed,
// at the next `<`, so a run of unclosed tags is read once, not once per `<`.
const TOKEN = /<\/?[a-zA-Z][^<>]*>?|<[!?][^<>]*>?|[^<]+|</g;
// Nobody quotes deeper; a hostile nesting of thousands must not multiply the text it renders.
const MAX_DEPTH = 40;
const HIDDEN_START = /<!--|<(head|style|script|title)\b/gi;

/**
 * The markup without comments and the elements a reader never sees (head, style, script,
 * title). Each search starts where the last one ended; an unclosed one hides the rest, as it
 * does in a browser.
 */
function withoutHiddenParts(html: string): string {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    HIDDEN_START.lastIndex = from;
    const start = HIDDEN_START.exec(html);
    if (start === null) break;
    parts.push(html.slice(from, start.index));
    const name = start[1];
    if (name === undefined) {
      const end = html.indexOf('-->', start.index + 4);
      from = end < 0 ? html.length : end + 3;
    } else {
      const close = new RegExp(`</${name}\\s*>`, 'gi');
      close.lastIndex = start.index + name.length + 1;
      const end = close.exec(html);
      from = end === null ? html.length : end.index + end[0].length;
    }
  }
  parts.push(html.slice(from));
  return parts.join('');
}

/** Renders HTML as plain text: block elements on their own lines, blockquotes as `> ` lines. */
export function htmlToText(html: string): string {
  const body = withoutHiddenParts(html);
  const lines: string[] = [];
  let depth = 0;
  let current = '';
  // A block holding only &nbsp; is how Outlook and Word draw an empty line; keep it as one.
  const flush = (force: boolean): void => {
    const text = current.replace(/\u00a0/g, ' ').trim();
    if (text !== '' || force || current.includes('\u00a0')) {
      lines.push(`${'> '.repeat(Math.min(depth, MAX_DEPTH))}${text}`.trimEnd());
    }
    current = '';
  };
  for (const token of body.match(TOKEN) ?? []) {
    const tag = /^<(\/?)([a-zA-Z][\w:-]*)/.exec(token);
    if (!tag) {
      if (!token.startsWith('<!') && !token.startsWith('<?')) {
        current += decodeEntities(token.replace(/[ \t\r\n]+/g, ' '));
      }
      continue;
    }
    const name = (tag[2] ?? '').toLowerCase();
    if (name === 'br') flush(true);
    else if (name === 'hr') {
      flush(false);
      lines.push(HR_LINE);
    } else if (name === 'blockquote') {
      flush(false);
      depth = Math.max(0, depth + (tag[1] === '/' ? -1 : 1));
    } else if (BLOCK_TAGS.has(name)) flush(false);
  }
  flush(false);
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
