import { describe, expect, it } from 'vitest';

import {
  percent,
  readGoldTables,
  sameText,
  scoreByGroup,
  type GoldCase,
} from '../../bench/reply-gold.js';
import { splitReply } from '../../src/mail/reply-split.js';

/**
 * Docket's own gold tables (fixtures/reply-trimming): every case must give exactly the expected
 * new text, and the exact-match rate per class is printed. The conventions the expected texts
 * follow are in fixtures/reply-trimming/README.md.
 */
const cases = readGoldTables();
const INVISIBLE = /[\u00AD\u180E\u200B-\u200D\u2060\uFEFF\u1427]/gu;

/** Non-blank lines without invisible marks, trimmed and sorted: what "nothing lost" compares. */
function substance(text: string): string[] {
  return text
    .replace(INVISIBLE, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .sort();
}

const split = (gold: GoldCase) => splitReply(gold.text, gold.html);

describe('reply trimming gold tables', () => {
  it('cover every class in the issue, in many languages', () => {
    const groups = new Set(cases.map((c) => c.group));
    expect([...groups].sort()).toEqual([
      'embedded-headers',
      'forwarded',
      'invisible',
      'lookalikes',
      'quotes',
      'signatures',
    ]);
    for (const language of ['de', 'sv', 'ru', 'uk', 'fr', 'es', 'nl', 'pl']) {
      for (const group of ['embedded-headers', 'forwarded']) {
        expect(cases.some((c) => c.id.startsWith(`${group}/${language}-`))).toBe(true);
      }
    }
  });

  it('match at least 95% exactly overall and in every class', () => {
    const results = cases.map((gold) => ({
      group: gold.group,
      matched: sameText(split(gold).reply, gold.reply),
    }));
    const { groups, overall } = scoreByGroup(results);
    console.log(
      [...groups, overall]
        .map((g) => `${g.group}: ${percent(g)} (${g.matched}/${g.total})`)
        .join('\n'),
    );
    expect(overall.matched / overall.total).toBeGreaterThanOrEqual(0.95);
    for (const group of groups) expect(group.matched / group.total).toBeGreaterThanOrEqual(0.95);
  });

  it.each(cases.map((gold) => [gold.id, gold] as const))('%s', (_, gold) => {
    const result = split(gold);
    expect(result.reply).toBe(gold.reply.trim());
    if (gold.elided !== null) expect(result.elided).toBe(gold.elided.trim());
  });

  it.each(cases.filter((gold) => gold.text !== null).map((gold) => [gold.id, gold] as const))(
    '%s: reply and elided keep every line',
    (_, gold) => {
      const result = split(gold);
      expect(substance(`${result.reply}\n${result.elided}`)).toEqual(substance(gold.text ?? ''));
    },
  );
});
