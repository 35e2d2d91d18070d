/**
 * Message-ID handling for threading keys (RFC 5322 section 3.6.4), hardened against what real
 * mailers send: folded whitespace inside ids, comments, missing angle brackets, and the free text
 * old clients put in In-Reply-To (`Your message of "Mon, 3 Jun" <id@host>`).
 *
 * Case: an id is compared exactly on its left part and case-insensitively on its right part.
 * RFC 5322 gives ids no case rule, but the right part is conventionally a domain, and some relays
 * rewrite domain case when they copy ids into References; the left part is often base64 (Gmail,
 * Outlook), where case is significant, so lowercasing it could join unrelated messages.
 */

/** Left parts that broken generators emit for every message (`<undefined@host>`), so they prove nothing. */
const BOGUS_LEFT: ReadonlySet<string> = new Set([
  '',
  'undefined',
  'null',
  'none',
  'nil',
  'unknown',
]);
/** Longer than any real generator produces; such values are corrupt and would bloat the key index. */
const MAX_LENGTH = 500;
/** Ids without `@` are invalid but common from some gateways; short ones collide across senders. */
const MIN_LENGTH_WITHOUT_AT = 8;

/**
 * Normalise one Message-ID as written in a header or stored earlier: without angle brackets,
 * comments or whitespace, right part lowercased. Returns null for empty or obviously bogus ids
 * (`<>`, `<@host>`, `<undefined@host>`, `<1234>`), which must never become a threading key.
 * Idempotent, so already-normalised ids may be passed again.
 */
export function normalizeMessageId(raw: string): string | null {
  const open = raw.indexOf('<');
  let id: string;
  if (open >= 0) {
    const close = raw.indexOf('>', open + 1);
    // Doubled brackets (`<<id>>`) come from clients that wrap an already-bracketed id.
    id = raw.slice(open + 1, close < 0 ? undefined : close).replace(/[<>]/g, '');
  } else {
    id = stripComments(raw).trim().split(/\s+/)[0] ?? '';
  }
  // Folding and broken wrappers put whitespace inside ids; no real id contains any.
  id = id.replace(/\s+/g, '');
  if (id.length === 0 || id.length > MAX_LENGTH || /\p{Cc}/u.test(id)) return null;

  const at = id.lastIndexOf('@');
  if (at < 0) {
    return id.length >= MIN_LENGTH_WITHOUT_AT && !BOGUS_LEFT.has(id.toLowerCase()) ? id : null;
  }
  const left = id.slice(0, at);
  const right = id.slice(at + 1);
  if (BOGUS_LEFT.has(left.toLowerCase()) || right.length === 0) return null;
  return `${left}@${right.toLowerCase()}`;
}

/**
 * Every Message-ID in a References or In-Reply-To value, in order, deduplicated (first kept).
 * When the value holds any `<…>`, only bracketed ids count: text around them is prose
 * (`Your message of …`) and may contain addresses that look like ids. Without brackets, tokens
 * separated by whitespace, commas or semicolons that contain `@` are taken.
 */
export function parseMessageIdList(raw: string): string[] {
  const bracketed = [...raw.matchAll(/<([^<>]*)>/g)].map((m) => m[1] ?? '');
  const candidates =
    bracketed.length > 0
      ? bracketed
      : stripComments(stripQuoted(raw))
          .split(/[\s,;]+/)
          .filter((t) => t.includes('@'));

  const seen = new Set<string>();
  const ids: string[] = [];
  for (const candidate of candidates) {
    const id = normalizeMessageId(`<${candidate}>`);
    if (id !== null && !seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  return ids;
}

/** Removes RFC 5322 comments, innermost first so nested ones go too. */
function stripComments(s: string): string {
  let out = s;
  for (let prev = ''; prev !== out;) {
    prev = out;
    out = out.replace(/\([^()]*\)/g, ' ');
  }
  return out;
}

/** Removes quoted strings, which in In-Reply-To prose hold dates and names, never ids. */
function stripQuoted(s: string): string {
  return s.replace(/"[^"]*"/g, ' ');
}

export interface SelectedReferences {
  /** The message's own normalised id, or null when missing or bogus. */
  ownId: string | null;
  /** Ids this message refers to, oldest first: its threading keys besides its own id. */
  referenced: string[];
  /** The id it replies to: the last referenced id, never itself. */
  parent: string | null;
  /** Whether `referenced` came from References (else from In-Reply-To). */
  fromReferences: boolean;
  /** Ids set aside, with why, so the filing reasons can say so. */
  ignored: { header: 'References' | 'In-Reply-To'; id: string; why: IgnoredWhy }[];
}
export type IgnoredWhy = 'self' | 'participant-address' | 'not-in-references' | 'not-first';

/**
 * JWZ / RFC 5256 choice of references: References when it holds a usable id, else only the first
 * usable In-Reply-To id. With References present, In-Reply-To ids outside it are ignored:
 * In-Reply-To is where old clients write prose and addresses, and trusting both would let one
 * liar join two conversations. The message's own id (a loop) and the participants' addresses
 * (`Your message to <bob@x>`) are never references. Input ids may be raw or normalised.
 */
export function selectReferences(message: {
  messageId: string | null;
  references: string[];
  inReplyTo: string[];
  /** Lowercased addresses of the message's participants. */
  participants: string[];
}): SelectedReferences {
  const ownId = message.messageId === null ? null : normalizeMessageId(message.messageId);
  const addresses = new Set(message.participants.map((p) => p.toLowerCase()));
  const ignored: SelectedReferences['ignored'] = [];
  const clean = (raw: string[], header: 'References' | 'In-Reply-To'): string[] => {
    const ids = new Set<string>();
    for (const id of raw.map(normalizeMessageId)) {
      if (id === null || ids.has(id)) continue;
      if (id === ownId) ignored.push({ header, id, why: 'self' });
      else if (addresses.has(id.toLowerCase()))
        ignored.push({ header, id, why: 'participant-address' });
      else ids.add(id);
    }
    return [...ids];
  };
  const references = clean(message.references, 'References');
  const inReplyTo = clean(message.inReplyTo, 'In-Reply-To');

  if (references.length > 0) {
    for (const id of inReplyTo.filter((i) => !references.includes(i))) {
      ignored.push({ header: 'In-Reply-To', id, why: 'not-in-references' });
    }
    return {
      ownId,
      referenced: references,
      parent: references.at(-1) ?? null,
      fromReferences: true,
      ignored,
    };
  }
  const [first, ...rest] = inReplyTo;
  for (const id of rest) ignored.push({ header: 'In-Reply-To', id, why: 'not-first' });
  return {
    ownId,
    referenced: first ? [first] : [],
    parent: first ?? null,
    fromReferences: false,
    ignored,
  };
}
