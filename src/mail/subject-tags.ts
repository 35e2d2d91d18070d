/**
 * Docket record references in a subject line, as canonical keys for the `tag` thread key.
 *
 * Canonical form: uppercase type, then the number with leading zeros removed and re-padded to at
 * least three digits, so `RFI-7`, `RFI-07` and `RFI-007` are all `RFI-007` and `TR-0042` is
 * `TR-042`. Submittals are `SUB <section>-<seq>` (`SUB 03 30 00-007`); the revision (`.1`) is
 * dropped because every revision of a submittal is one conversation.
 *
 * Caution over recall: a false tag files mail into the wrong record, a missed one only falls
 * through to the later rules. So outside brackets only a short list of types is recognised, only
 * in capitals and only with a hyphen (`RFI-7`, not `rfi 7`); other `ABC-123` shapes count only
 * inside a Docket tag `[<project> … ABC-123]`.
 */

/** Record types Docket numbers as `TYPE-n` and that people quote in subjects. */
const KNOWN_TYPES = ['RFI', 'NOT', 'COR', 'LTR', 'GEN', 'TR'] as const;

/** `03 30 00-007`, `03 30 00.13-007.2`: MasterFormat section, sequence, optional revision. */
const SUBMITTAL_RE = /(?<![\d.])(\d{2} \d{2} \d{2}(?:\.\d{2})?)-(\d{1,4})(?:\.\d{1,3})?(?!\d)/g;
const KNOWN_RE = new RegExp(
  `(?<![\\p{L}\\p{N}-])(${KNOWN_TYPES.join('|')})-(\\d{1,6})(?![\\p{L}\\p{N}])`,
  'gu',
);
/** Inside a Docket tag: any 2–5 capitals, a hyphen or space, then three or more digits. */
const TAGGED_RE = /(?<![\p{L}\p{N}-])([A-Z]{2,5})[- ](\d{3,6})(?![\p{L}\p{N}])/gu;
const BRACKET_RE = /\[([^[\]]*)\]/g;

interface Found {
  at: number;
  key: string;
}

/**
 * Unique record keys referenced by a subject, in the order they appear.
 *
 * Examples: `Re: [TWR-A SUB 03 30 00-007.1] Rebar` → `['SUB 03 30 00-007']`;
 * `RFI-7 and TR-0042` → `['RFI-007', 'TR-042']`.
 */
export function subjectTags(subject: string): string[] {
  const found: Found[] = [];

  for (const m of subject.matchAll(SUBMITTAL_RE)) {
    found.push({ at: m.index, key: `SUB ${m[1] ?? ''}-${canonicalNumber(m[2] ?? '')}` });
  }
  for (const m of subject.matchAll(KNOWN_RE)) {
    found.push({ at: m.index, key: `${m[1] ?? ''}-${canonicalNumber(m[2] ?? '')}` });
  }
  for (const b of subject.matchAll(BRACKET_RE)) {
    found.push(...taggedInBracket(b[1] ?? '', b.index + 1));
  }

  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.key))];
}

/**
 * Generic `ABC-123` references inside one bracket. The first word of a Docket tag is the project
 * code (`TWR-A`, but it could be `ABC-123` too), and a bracket holding one word is as likely a
 * mailing-list tag (`[list-042]`), so only words after the first count.
 */
function taggedInBracket(inner: string, offset: number): Found[] {
  const firstWord = /^\s*\S+/.exec(inner);
  if (!firstWord || firstWord[0].length === inner.trimEnd().length) return [];
  const out: Found[] = [];
  for (const m of inner.matchAll(TAGGED_RE)) {
    if (m.index < firstWord[0].length) continue;
    out.push({ at: offset + m.index, key: `${m[1] ?? ''}-${canonicalNumber(m[2] ?? '')}` });
  }
  return out;
}

/** `0042` → `042`, `7` → `007`, `12345` → `12345`. */
function canonicalNumber(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '').padStart(3, '0');
}
