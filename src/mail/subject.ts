/**
 * Subject normalisation for threading: the RFC 5256 "base subject" idea (strip reply/forward
 * leaders, list tags and `(fwd)` trailers until nothing changes), widened to the prefixes that
 * localised Outlook, Gmail and Apple Mail actually send on international building projects.
 */

export interface NormalizedSubject {
  /** Comparison key: prefixes and leading tags stripped, whitespace collapsed, lowercased. */
  normalized: string;
  /** A reply prefix (`Re:`, `AW:`, `SV:`, `回复:` …) was stripped. */
  isReply: boolean;
  /** A forward prefix (`Fwd:`, `WG:`, `TR:` …), a `[Fwd: …]` wrapper or a `(fwd)` trailer was stripped. */
  isForward: boolean;
}

type PrefixKind = 'reply' | 'forward' | 'marker';

const MAX_NORMALIZED_LENGTH = 500;

/**
 * Known prefix words, lowercased after NFKC. Only words followed by a colon count, so `Re` inside
 * `Rex: hello` or `TR-0042` is never stripped. `VS` is forward: Danish and Norwegian Outlook use
 * `SV:`/`VS:` for reply/forward (Finnish uses `VS:` for reply, but is the smaller population).
 */
const PREFIXES: ReadonlyMap<string, PrefixKind> = new Map([
  ...words('re aw antwort sv antw r rif res odp ynt réf vá atb απ σχετ השב отв', 'reply'),
  ...words('回复 答复 回覆 答覆 返信 회신', 'reply'),
  ...words('fwd fw wg vs vl i tr rv enc doorst pd tov 转发 轉寄 轉發 転送 전달', 'forward'),
  // gateway banners that say nothing about the conversation
  ...words('ext external', 'marker'),
]);

function words(list: string, kind: PrefixKind): [string, PrefixKind][] {
  return list.split(' ').map((w) => [w, kind]);
}

/**
 * A prefix word, an optional counter or list blob (`[2]`, `(3)`, `^2`, RFC 5256 `Re [list]:`),
 * then one or more colons with any spacing (`Re :`, `Re::`, `RE: :`).
 */
const PREFIX_RE = /^(\p{L}+)\s*(?:\[[^\]]*\]|\(\d+\)|\^\d+)?\s*(?::\s*)+/u;
/** Any bracketed tag at the start: `[EXTERNAL]`, `[project-list]`, `[TWR-A SUB 03 30 00-007.1]`. */
const LEADING_TAG_RE = /^\[[^[\]]*\]\s*/;
/** Banner styles that are not bracketed: `*EXTERNAL*`, `**EXT**`. */
const STARRED_MARKER_RE = /^\*+\s*(?:external|ext)\s*\*+\s*/i;
/** RFC 5256 section 2.1 step 6: a whole subject wrapped as `[Fwd: …]`. */
const FWD_WRAPPER_RE = /^\[\s*(?:fwd?|fw)\s*:\s*(.*)\]$/i;
const FWD_TRAILER_RE = /\s*\(fwd\)\s*$/i;

/**
 * Reduce a subject to the key two messages of one conversation share, and say whether it looked
 * like a reply or a forward. NFKC folds full-width forms (`Ｒｅ：`, `回复：`) into plain ones first.
 */
export function normalizeSubject(subject: string): NormalizedSubject {
  let s = collapse(subject.normalize('NFKC'));
  let isReply = false;
  let isForward = false;

  for (;;) {
    const before = s;
    if (FWD_TRAILER_RE.test(s)) {
      s = s.replace(FWD_TRAILER_RE, '');
      isForward = true;
    }
    const wrapped = FWD_WRAPPER_RE.exec(s);
    if (wrapped) {
      s = (wrapped[1] ?? '').trim();
      isForward = true;
    }
    s = s.replace(LEADING_TAG_RE, '').replace(STARRED_MARKER_RE, '');
    const prefix = PREFIX_RE.exec(s);
    const kind = prefix ? PREFIXES.get((prefix[1] ?? '').toLowerCase()) : undefined;
    if (prefix && kind) {
      s = s.slice(prefix[0].length);
      if (kind === 'reply') isReply = true;
      if (kind === 'forward') isForward = true;
    }
    s = s.trim();
    if (s === before) break;
  }

  // Capped: the key is indexed, and a btree entry cannot hold a subject of several kilobytes
  // (hostile or broken mail has them); 500 characters still tell conversations apart.
  return { normalized: s.toLowerCase().slice(0, MAX_NORMALIZED_LENGTH), isReply, isForward };
}

/** Collapses every run of whitespace (tabs, folded CRLF, NBSP, ideographic space) to one space. */
function collapse(s: string): string {
  return s.replace(/\s+/gu, ' ').trim();
}

/**
 * Normalised subjects too common to prove two messages belong together, even between the same
 * people: "question" from the architect in March and in May are different conversations.
 */
const GENERIC_SUBJECTS: ReadonlySet<string> = new Set([
  ...'hi hello hey question questions update updates test testing fyi info information'.split(' '),
  ...'thanks help urgent important followup follow-up request meeting call message'.split(' '),
  ...'document documents drawings photos pictures scan attached attachment reminder'.split(' '),
  ...'untitled invoice'.split(' '),
  'quick question',
  'thank you',
  'follow up',
  'scanned document',
  'see attached',
  'no subject',
  '(no subject)',
]);

/**
 * Whether a normalised subject is too short or too common to thread by. Anything under three
 * characters counts as generic.
 */
export function isGenericSubject(normalized: string): boolean {
  return normalized.length < 3 || GENERIC_SUBJECTS.has(normalized);
}
