/**
 * How a submittal is named in a web address: its number with hyphens for the spaces of the spec
 * section, `03-30-00-007` for `03 30 00-007` (and `03-30-00.13-002` for a fourth-level section),
 * so a link needs no percent-encoding and can be read aloud. The parser also takes the number as
 * people paste it (`03 30 00-007`, with or without a `.1` revision), because an address typed from
 * a printed register should still land.
 */
export interface SubmittalKey {
  specSection: string;
  seq: number;
}

const SLUG = /^(\d{2})[\s-](\d{2})[\s-](\d{2})(\.\d{2})?-(\d{1,6})(?:\.\d{1,4})?$/;

/** `03-30-00-007`: the address segment of a submittal (the revision is not part of it). */
export function submittalSlug(specSection: string, seq: number): string {
  return `${specSection.replace(/\s/g, '-')}-${String(seq).padStart(3, '0')}`;
}

/** The spec section and number a segment names, or null when it names none. */
export function parseSubmittalSlug(segment: string): SubmittalKey | null {
  const match = SLUG.exec(segment.trim());
  if (!match) return null;
  const [, a, b, c, level, seq] = match;
  const number = Number(seq);
  if (!Number.isSafeInteger(number) || number < 1) return null;
  return { specSection: `${a} ${b} ${c}${level ?? ''}`, seq: number };
}
