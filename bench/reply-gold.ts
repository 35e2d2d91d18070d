/**
 * Docket's own gold tables for reply trimming (fixtures/reply-trimming/<class>/*.txt), read by the
 * pure test and by `npm run bench:trimming`. One file is one case; fixtures/reply-trimming/README.md
 * describes the format and the conventions the expected texts follow.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packagePath } from '../src/paths.js';

export const GOLD_DIR = packagePath('fixtures/reply-trimming/');

export interface GoldCase {
  /** `<class>/<name>`, e.g. `signatures/sent-from-my-iphone-sv`. */
  id: string;
  /** The folder: which class of trimming the case is about. */
  group: string;
  description: string;
  text: string | null;
  html: string | null;
  /** The new text a reader should see, compared after trimming whitespace. */
  reply: string;
  /** When given, what must be cut, compared the same way. */
  elided: string | null;
}

const SECTION = /^::: (text|html|reply|elided)$/;

/** `{U+200B}` in a table stands for the character, so invisible marks stay visible in the file. */
function decodeMarks(text: string): string {
  return text.replace(/\{U\+([0-9A-F]{4,6})\}/g, (_, hex: string) =>
    String.fromCodePoint(parseInt(hex, 16)),
  );
}

/** Parses one table file: a description, then `::: text` or `::: html`, `::: reply`, `::: elided`. */
export function parseGoldCase(id: string, source: string): GoldCase {
  const sections = new Map<string, string[]>();
  let current = 'description';
  sections.set(current, []);
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const header = SECTION.exec(line);
    if (header) {
      current = header[1] ?? '';
      if (sections.has(current)) throw new Error(`${id}: section "${current}" twice`);
      sections.set(current, []);
    } else {
      sections.get(current)?.push(line);
    }
  }
  const section = (name: string): string | null => {
    const lines = sections.get(name);
    // The newline before the next section marker belongs to the format, not to the body.
    return lines === undefined ? null : decodeMarks(lines.join('\n').replace(/\n$/, ''));
  };
  const text = section('text');
  const html = section('html');
  const reply = section('reply');
  if ((text === null && html === null) || reply === null) {
    throw new Error(`${id}: needs a "::: text" or "::: html" section and a "::: reply" section`);
  }
  return {
    id,
    group: id.split('/')[0] ?? id,
    description: (section('description') ?? '').trim(),
    text,
    html,
    reply,
    elided: section('elided'),
  };
}

/** Every case of every class, in a stable order. */
export function readGoldTables(dir = GOLD_DIR): GoldCase[] {
  const cases: GoldCase[] = [];
  for (const group of readdirSync(dir, { withFileTypes: true })) {
    if (!group.isDirectory()) continue;
    for (const file of readdirSync(path.join(dir, group.name)).sort()) {
      if (!file.endsWith('.txt')) continue;
      const id = `${group.name}/${file.slice(0, -4)}`;
      cases.push(parseGoldCase(id, readFileSync(path.join(dir, group.name, file), 'utf8')));
    }
  }
  return cases.sort((a, b) => a.id.localeCompare(b.id));
}

/** The comparison the gold tables are scored by: equal after trimming whitespace at both ends. */
export function sameText(actual: string, expected: string): boolean {
  return actual.replace(/\r\n?/g, '\n').trim() === expected.replace(/\r\n?/g, '\n').trim();
}

export interface GroupScore {
  group: string;
  total: number;
  matched: number;
}

/** Exact-match counts per group and overall, in group order. */
export function scoreByGroup(results: readonly { group: string; matched: boolean }[]): {
  groups: GroupScore[];
  overall: GroupScore;
} {
  const byGroup = new Map<string, GroupScore>();
  for (const { group, matched } of results) {
    const score = byGroup.get(group) ?? { group, total: 0, matched: 0 };
    score.total += 1;
    if (matched) score.matched += 1;
    byGroup.set(group, score);
  }
  const groups = [...byGroup.values()].sort((a, b) => a.group.localeCompare(b.group));
  const overall = {
    group: 'overall',
    total: results.length,
    matched: results.filter((r) => r.matched).length,
  };
  return { groups, overall };
}

export function percent(score: GroupScore): string {
  return score.total === 0 ? '–' : `${((100 * score.matched) / score.total).toFixed(1)}%`;
}
