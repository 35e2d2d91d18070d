/**
 * HTML side of reply splitting: find where a client's quoted history starts in the markup, and
 * render HTML crudely as text (blockquotes become `> ` lines so the text rules recognise them).
 * Crude on purpose: the text is only for reading a decision; the sanitised HTML is kept elsewhere.
 */

/** Client markers that open the quoted history (or a signature) in HTML, with a readable name. */
const HTML_MARKERS: readonly [RegExp, string][] = [
  [/<[^>]*\bclass=["']?[^"'>]*\bgmail_quote\b/i, 'Gmail quote (div.gmail_quote)'],
  [/<[^>]*\bclass=["']?[^"'>]*\bgmail_attr\b/i, 'Gmail attribution (gmail_attr)'],
  [/<[^>]*\b(?:class|data-smartmail)=["']?[^"'>]*\bgmail_signature\b/i, 'Gmail signature'],
  [/<blockquote[^>]*\btype=["']?cite\b/i, 'Apple Mail quote (blockquote type=cite)'],
  [/<[^>]*\bclass=["']?[^"'>]*\bmoz-cite-prefix\b/i, 'Thunderbird attribution (moz-cite-prefix)'],
  [/<[^>]*\bclass=["']?[^"'>]*\bmoz-signature\b/i, 'Thunderbird signature (moz-signature)'],
  [/<[^>]*\bid=["']?divRplyFwdMsg\b/i, 'Outlook reply header (divRplyFwdMsg)'],
  [/<[^>]*\bid=["']?appendonsend\b/i, 'Outlook reply header (appendonsend)'],
  [/<[^>]*\bid=["']?mail-editor-reference-message-container\b/i, 'Outlook reply header'],
  [/<[^>]*border-top:\s*solid\s+#(?:E1E1E1|B5C4DF)/i, 'Outlook reply header (border-top:solid)'],
  [/<hr[^>]*\bid=["']?stopSpelling\b/i, 'Outlook.com quote (hr#stopSpelling)'],
  [/<[^>]*\bid=["']?OLK_SRC_BODY_SECTION\b/i, 'Outlook for Mac quote (OLK_SRC_BODY_SECTION)'],
  [/<[^>]*\bclass=["']?[^"'>]*\byahoo_quoted\b/i, 'Yahoo quote (yahoo_quoted)'],
  [/<[^>]*\bclass=["']?[^"'>]*\bprotonmail_quote\b/i, 'Proton Mail quote (protonmail_quote)'],
];

/** The earliest client marker in `html`: its offset (start of its tag) and name. */
export function findHtmlMarker(html: string): { index: number; reason: string } | null {
  let best: { index: number; reason: string } | null = null;
  for (const [pattern, name] of HTML_MARKERS) {
    const match = pattern.exec(html);
    if (match && (best === null || match.index < best.index)) {
      best = { index: match.index, reason: `HTML: ${name}` };
    }
  }
  return best;
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

/** Renders HTML as plain text: block elements on their own lines, blockquotes as `> ` lines. */
export function htmlToText(html: string): string {
  const body = html.replace(/<!--[\s\S]*?-->|<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '');
  const lines: string[] = [];
  let depth = 0;
  let current = '';
  // A block holding only &nbsp; is how Outlook and Word draw an empty line; keep it as one.
  const flush = (force: boolean): void => {
    const text = current.replace(/\u00a0/g, ' ').trim();
    if (text !== '' || force || current.includes('\u00a0')) {
      lines.push(`${'> '.repeat(depth)}${text}`.trimEnd());
    }
    current = '';
  };
  for (const token of body.match(/<\/?[a-zA-Z][^>]*>|<[^>]*>|[^<]+|</g) ?? []) {
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
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
