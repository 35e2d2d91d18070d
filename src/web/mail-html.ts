import sanitizeHtml from 'sanitize-html';
import type { Attributes, Tag, Transformer } from 'sanitize-html';

import { DROP_WITH_CONTENT, MAIL_ATTRIBUTES, MAIL_STYLES, MAIL_TAGS } from './mail-html-policy.js';

/** A kind of thing the sanitiser took out, for the thread view's "this message was cleaned" note. */
export type RemovedKind =
  | 'script' // <script>
  | 'style-element' // <style> (and its CSS)
  | 'event-handler' // on* attributes
  | 'javascript-url' // javascript: or vbscript: in any URL attribute
  | 'data-url' // data: in any URL attribute, images included
  | 'unsafe-url' // a link or image URL that is relative, of another scheme, or unparsable
  | 'embedded-content' // iframe, frame, object, embed, applet
  | 'form' // form and its controls
  | 'svg'
  | 'math'
  | 'meta-refresh' // <meta http-equiv="refresh">
  | 'base-element' // <base href>
  | 'link-element' // <link>, e.g. an external stylesheet
  | 'css-url' // url() (or image-set()) in an inline style
  | 'css-expression' // IE expression()
  | 'css-binding' // behavior: / -moz-binding:
  | 'css-position' // position: fixed / absolute / sticky
  | 'remote-image' // an http(s) image not loaded because remote images are off
  | 'missing-inline-image'; // a cid: image whose part the caller could not resolve

export interface MailHtmlOptions {
  /** Load http(s) images. Off by default in the view: a remote image tells the sender it was read. */
  allowRemoteImages: boolean;
  /** The URL serving the message part with this Content-ID (no `cid:`, no angle brackets), or null. */
  cidUrl: (contentId: string) => string | null;
}

export interface SanitizedMailHtml {
  html: string;
  blockedRemoteImages: number;
  /** Each kind once, in the order first met. */
  removed: RemovedKind[];
}

const TAG_KINDS = new Map<string, RemovedKind>([
  ['script', 'script'],
  ['style', 'style-element'],
  ...['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal'].map(
    (tag) => [tag, 'embedded-content'] as const,
  ),
  ...['form', 'input', 'button', 'select', 'textarea', 'keygen'].map(
    (tag) => [tag, 'form'] as const,
  ),
  ['svg', 'svg'],
  ['math', 'math'],
  ['base', 'base-element'],
  ['link', 'link-element'],
]);

/** Attributes a browser reads as a URL, whichever tag carries them. Only for naming what went. */
const URL_ATTRIBUTES = new Set([
  ...sanitizeHtml.defaults.allowedSchemesAppliedToAttributes,
  'srcset',
  'imagesrcset',
]);

const LINK_REL = 'noopener noreferrer nofollow';
const BLOCKED_IMAGE_CLASS = 'blocked-image';
/** Not in the allowlist, so an image renamed to it leaves nothing behind. */
const DROPPED_TAG = 'docket-dropped-image';
const MAX_ALT_LENGTH = 200;

type MailUrl =
  | { kind: 'web'; href: string }
  | { kind: 'mailto'; href: string }
  | { kind: 'cid'; contentId: string }
  | { kind: 'script' }
  | { kind: 'data' }
  | { kind: 'relative' }
  | { kind: 'other' }
  | { kind: 'empty' };

/**
 * Sanitises an email's HTML body for display inside Docket's own pages.
 *
 * Hostile mail is expected, so this is an allowlist (see `mail-html-policy.ts`): formatting and
 * table tags with presentational attributes and a narrow set of inline CSS survive; everything
 * else is dropped — script and style elements with their text, embedded content, forms, svg/math,
 * comments (Outlook's conditional comments included), `id`/`class`, event handlers. Output is
 * re-serialised from the parse, so it is well-formed whatever came in.
 *
 * - Links keep only http(s) and mailto targets, rewritten to the URL parser's canonical form, and
 *   open in a new tab with `rel="noopener noreferrer nofollow"`. A protocol-relative `//host` link
 *   is taken as `https://host`, which is what the https-served view would resolve it to anyway.
 * - `cid:` images point at `options.cidUrl(contentId)`; an unresolved one is dropped.
 * - http(s) images — protocol-relative ones included — load only with `allowRemoteImages`;
 *   otherwise each becomes `<span class="blocked-image">[image: alt]</span>` and is counted.
 * - `data:` images are dropped too: real mail clients send inline images as `cid:` parts, while
 *   a `data:` URI is an unbounded inline payload (`image/svg+xml` can carry script if opened
 *   on its own) that would also force the view's CSP to allow `img-src data:`.
 * - Relative URLs are dropped: an email has no base, so they would resolve against Docket itself
 *   and turn an `<img>` into a request to our own routes with the reader's cookies.
 *
 * `removed` names what kinds of thing went (see {@link RemovedKind}); benign clean-up such as
 * unwrapping `<o:p>` or dropping `class` is not listed, so the note does not show on every message.
 */
export function sanitizeMailHtml(html: string, options: MailHtmlOptions): SanitizedMailHtml {
  const removed = new Set<RemovedKind>();
  let blockedRemoteImages = 0;

  // Sees every start tag the parser meets, before any filtering, with entities already decoded:
  // the one place to notice what the allowlist is about to drop.
  const noteOpenTag = (name: string, attribs: Attributes): void => {
    const tagKind = TAG_KINDS.get(name);
    if (tagKind !== undefined) removed.add(tagKind);
    if (name === 'meta' && attribs['http-equiv']?.trim().toLowerCase() === 'refresh') {
      removed.add('meta-refresh');
    }
    for (const [attribute, value] of Object.entries(attribs)) {
      if (/^on[a-z]/.test(attribute)) {
        removed.add('event-handler');
      } else if (attribute === 'style') {
        for (const kind of cssRisks(value)) removed.add(kind);
      } else if (URL_ATTRIBUTES.has(attribute)) {
        const url = classifyUrl(value);
        if (url.kind === 'script') removed.add('javascript-url');
        if (url.kind === 'data') removed.add('data-url');
      }
    }
  };

  // The sender's own target/rel go: ours are the only ones a link may carry.
  const link: Transformer = (_tagName, attribs) => {
    const { href, target: _target, rel: _rel, ...rest } = attribs;
    if (href === undefined) return { tagName: 'a', attribs: rest };
    const url = classifyUrl(href);
    switch (url.kind) {
      case 'web':
      case 'mailto':
        return {
          tagName: 'a',
          attribs: { ...rest, href: url.href, target: '_blank', rel: LINK_REL },
        };
      case 'relative':
      case 'other':
      case 'cid':
        removed.add('unsafe-url');
        return { tagName: 'a', attribs: rest };
      case 'script': // already named by noteOpenTag
      case 'data':
      case 'empty':
        return { tagName: 'a', attribs: rest };
    }
  };

  const image: Transformer = (_tagName, attribs) => {
    const { src, ...rest } = attribs;
    const url = src === undefined ? ({ kind: 'empty' } as const) : classifyUrl(src);
    switch (url.kind) {
      case 'cid': {
        const resolved = url.contentId === '' ? null : options.cidUrl(url.contentId);
        if (resolved === null) {
          removed.add('missing-inline-image');
          return dropped();
        }
        return { tagName: 'img', attribs: { ...rest, src: resolved } };
      }
      case 'web':
        if (options.allowRemoteImages) {
          return { tagName: 'img', attribs: { ...rest, src: url.href } };
        }
        blockedRemoteImages += 1;
        removed.add('remote-image');
        return blockedImagePlaceholder(rest.alt);
      case 'mailto':
      case 'relative':
      case 'other':
        removed.add('unsafe-url');
        return dropped();
      case 'script': // already named by noteOpenTag
      case 'data':
      case 'empty':
        return dropped();
    }
  };

  const clean = sanitizeHtml(html, {
    allowedTags: [...MAIL_TAGS],
    allowedAttributes: MAIL_ATTRIBUTES,
    allowedClasses: { span: [BLOCKED_IMAGE_CLASS] },
    allowedStyles: MAIL_STYLES,
    // The transforms above already decided every href and src; these repeat the rule so that a
    // URL reaching the output by another path (a caller's cidUrl, a future tag) is still checked.
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: [...DROP_WITH_CONTENT],
    // Deeper than any real mail nests; keeps hostile nesting from costing the browser.
    nestingLimit: 200,
    transformTags: { a: link, img: image },
    onOpenTag: noteOpenTag,
  });

  return { html: clean, blockedRemoteImages, removed: [...removed] };
}

function dropped(): Tag {
  return { tagName: DROPPED_TAG, attribs: {} };
}

function blockedImagePlaceholder(alt: string | undefined): Tag {
  const label = (alt ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_ALT_LENGTH);
  return {
    tagName: 'span',
    attribs: { class: BLOCKED_IMAGE_CLASS, title: 'Remote image blocked' },
    // Emitted as text, so sanitize-html escapes it.
    text: label === '' ? '[image]' : `[image: ${label}]`,
  };
}

/**
 * Reads a URL attribute the way a browser would. Entities are already decoded by the parser; the
 * URL Standard then drops tab/CR/LF anywhere and C0 controls and spaces at the ends, which is how
 * `java\nscript:` still runs — so those are removed before the scheme is read.
 */
function classifyUrl(raw: string): MailUrl {
  // eslint-disable-next-line no-control-regex
  const value = raw.replace(/[\t\n\r]/g, '').replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '');
  if (value === '') return { kind: 'empty' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  switch (scheme) {
    case undefined:
      // `//host` and `/\host` are network paths: the browser goes to another host.
      return /^[/\\]{2}/.test(value) ? parsed(`https:${value}`) : { kind: 'relative' };
    case 'http':
    case 'https':
    case 'mailto':
      return parsed(value);
    case 'cid':
      return { kind: 'cid', contentId: contentIdOf(value.slice('cid:'.length)) };
    case 'javascript':
    case 'vbscript':
    case 'livescript':
      return { kind: 'script' };
    case 'data':
      return { kind: 'data' };
    default:
      return { kind: 'other' };
  }
}

/** The URL parser's own serialisation, so the href we emit is the one the browser will follow. */
function parsed(value: string): MailUrl {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { kind: 'other' };
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'web', href: url.href };
  if (url.protocol === 'mailto:') return { kind: 'mailto', href: url.href };
  return { kind: 'other' };
}

/** A `cid:` URL holds the Content-ID percent-encoded and without its angle brackets (RFC 2392). */
function contentIdOf(encoded: string): string {
  let id = encoded;
  try {
    id = decodeURIComponent(encoded);
  } catch {
    // A stray `%` is more likely a literal than an error; keep it as written.
  }
  return id.trim().replace(/^<(.*)>$/, '$1');
}

/**
 * Names the dangerous CSS in a style attribute. Only for the report: the allowlist in
 * MAIL_STYLES removes these whatever their spelling, so an escape this misses is still dropped.
 */
function cssRisks(style: string): RemovedKind[] {
  const css = style
    .replace(/\/\*[\s\S]*?(?:\*\/|$)/g, '')
    .replace(/\\([0-9a-f]{1,6})\s?/gi, (_match, hex: string) => codePoint(parseInt(hex, 16)))
    .replace(/\\(.)/g, '$1')
    .toLowerCase();
  const kinds: RemovedKind[] = [];
  if (/\b(?:url|image-set|image|cross-fade)\s*\(/.test(css)) kinds.push('css-url');
  if (/expression\s*\(/.test(css)) kinds.push('css-expression');
  if (/(?:^|[;{\s])(?:behavior|-moz-binding)\s*:/.test(css)) kinds.push('css-binding');
  if (/(?:^|[;{\s])position\s*:\s*(?:fixed|absolute|sticky)/.test(css)) kinds.push('css-position');
  return kinds;
}

function codePoint(value: number): string {
  return value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : '\ufffd';
}
