/**
 * Correspondence item types and their numbers: which subaddress opens which type, how an item is
 * numbered (`RFI-007`) and read back, and the subject it is filed under. Pure: no database.
 */
import { normalizeSubject } from '../mail/subject.js';

export interface ItemType {
  /** The number prefix, also the type's key in the `items` table: `RFI`. */
  prefix: string;
  /** What people call it: `Request for Information`. */
  label: string;
  /** Subaddresses that open one (`<code>+rfi@…`), lowercase; the first is the one we advertise. */
  subaddresses: readonly string[];
  /** Whether the item waits for an answer by a deadline (project `rfi_days` working days). */
  dueInWorkingDays: boolean;
}

/**
 * The fixed type map. Each type also answers to its own prefix (`+ltr`), since people who see
 * `LTR-003` in a subject will try that first. Only RFIs carry a contractual response time; the
 * others are answered when answered.
 */
export const ITEM_TYPES: readonly ItemType[] = Object.freeze([
  {
    prefix: 'RFI',
    label: 'Request for Information',
    subaddresses: ['rfi'],
    dueInWorkingDays: true,
  },
  { prefix: 'NOT', label: 'Notice', subaddresses: ['notice', 'not'], dueInWorkingDays: false },
  {
    prefix: 'COR',
    label: 'Change Order Request',
    subaddresses: ['cor'],
    dueInWorkingDays: false,
  },
  { prefix: 'LTR', label: 'Letter', subaddresses: ['letter', 'ltr'], dueInWorkingDays: false },
  { prefix: 'GEN', label: 'General', subaddresses: ['general', 'gen'], dueInWorkingDays: false },
]);

/** The type a project subaddress opens (`rfi`, `Notice`), or null when it opens none. */
export function itemTypeForSubaddress(subaddress: string): ItemType | null {
  const wanted = subaddress.trim().toLowerCase();
  return ITEM_TYPES.find((type) => type.subaddresses.includes(wanted)) ?? null;
}

/** A type by its prefix or any of its subaddresses, as a person types it on the command line. */
export function itemTypeByName(name: string): ItemType | null {
  const upper = name.trim().toUpperCase();
  return ITEM_TYPES.find((type) => type.prefix === upper) ?? itemTypeForSubaddress(name);
}

/**
 * An item's number as people write it: the prefix, a hyphen and at least three digits, so
 * `RFI-007` sorts with `RFI-012` and `RFI-1000` simply grows a digit.
 */
export function itemNumber(prefix: string, number: number): string {
  return `${prefix}-${String(number).padStart(3, '0')}`;
}

/**
 * Reads `RFI-007`, `rfi-7` or `NOT-0012` back into a known prefix and its number; null for
 * anything else, including unknown prefixes and `RFI-0`.
 */
export function parseItemNumber(text: string): { type: ItemType; number: number } | null {
  const match = /^\s*([A-Za-z]{2,5})-(\d{1,9})\s*$/.exec(text);
  const type = match ? ITEM_TYPES.find((t) => t.prefix === match[1]?.toUpperCase()) : undefined;
  const number = Number(match?.[2]);
  if (!type || !Number.isSafeInteger(number) || number < 1) return null;
  return { type, number };
}

/** A leading reply or forward word with its colon, or a bracketed tag or banner. */
const LEADER_RE =
  /^(?:\p{L}+\s*(?:\[[^\]]*\]|\(\d+\)|\^\d+)?\s*(?:[:：]\s*)+|\[[^[\]]*\]\s*|\*+[^*]*\*+\s*)/u;

/**
 * The subject an item is filed under: the sender's own wording, whitespace collapsed, with the
 * `Re:`/`Fwd:` leaders (and gateway banners such as `[EXTERNAL]`) taken off the front.
 *
 * What counts as a leader is decided by the threading rules (`normalizeSubject`), so the two never
 * disagree; we only keep the letter case they fold away. A leader is removed while removing it
 * leaves the normalised subject unchanged, so `Question: door hardware` keeps its `Question:`.
 */
export function itemSubject(subject: string): string {
  let s = subject.replace(/\s+/gu, ' ').trim();
  const base = normalizeSubject(s).normalized;
  for (let leader = LEADER_RE.exec(s); leader; leader = LEADER_RE.exec(s)) {
    const rest = s.slice(leader[0].length).trim();
    if (normalizeSubject(rest).normalized !== base) break;
    s = rest;
  }
  return s || '(no subject)';
}
