import { describe, expect, it } from 'vitest';

import { longLines, quotedHistory, quoteMarks } from '../../bench/reply-inputs.js';
import { splitReply } from '../../src/mail/reply-split.js';
import { splitPlainText } from '../../src/mail/reply-text-split.js';

/**
 * Trimming must stay bounded on hostile bodies: thousands of `>` lines, very long lines, runs of
 * quote headers and header-like lines. Every pass over the lines counts its steps; the count must
 * grow in proportion to the body (a tenfold body, at most about tenfold steps) and stay a small
 * multiple of the line count. Each line is matched only within a fixed window (a few hundred
 * characters), so long lines cost their length once, when they are split and copied.
 */
function steps(text: string): { steps: number; lines: number } {
  const counter = { steps: 0 };
  splitPlainText(text, false, counter);
  return { steps: counter.steps, lines: text.split('\n').length };
}

const repeat = (block: string, times: number) =>
  Array.from({ length: times }, () => block).join('\n');

const hostile: [string, (scale: number) => string][] = [
  ['lines of ">" marks', (scale) => quoteMarks(2_000 * scale)],
  ['a quoted history with a quote header per message', (scale) => quotedHistory(50_000 * scale)],
  ['lines that start like quote headers', (scale) => longLines(200 * scale, 300)],
  [
    'inline replies, one after another',
    (scale) =>
      repeat(
        'On Tue, 14 May 2024 at 09:12, P <p@example.com> wrote:\n> Is it fine?\n\nYes.\n',
        200 * scale,
      ),
  ],
  ['header-like lines with no sender', (scale) => repeat('To: Site office\nCc: Jane', 500 * scale)],
  [
    'quote headers with nothing answered between them',
    (scale) =>
      `Reply.\n${repeat('On 14/05/2024 09:12, Jane Roe wrote:\n> q\nwrapped', 300 * scale)}`,
  ],
  ['rules and card lines', (scale) => `Text.\n${repeat('-----\nTom Builder\n', 500 * scale)}`],
];

describe('reply trimming on hostile bodies', () => {
  it.each(hostile)('%s: a tenfold body takes at most about tenfold steps', (_, make) => {
    const small = steps(make(1));
    const large = steps(make(10));
    expect(large.lines).toBeGreaterThanOrEqual(9 * small.lines);
    expect(large.steps).toBeLessThanOrEqual(11 * small.steps);
    expect(large.steps).toBeLessThanOrEqual(30 * large.lines);
  });

  it('a 1 MB quoted history leaves the answer on top', () => {
    const split = splitPlainText(quotedHistory(1024 * 1024));
    expect(split.reply).toBe('Approved as noted, see markups.');
    expect(split.elided.length).toBeGreaterThan(1000 * 1000);
  });

  it('20,000 lines of ">" marks: nothing written, nothing lost', () => {
    const text = quoteMarks(20_000);
    const split = splitPlainText(text);
    expect(split.reply).toBe('');
    expect(split.elided.split('\n')).toHaveLength(20_000);
  });

  it('lines of a megabyte that start like quote headers are content', () => {
    const text = longLines(4, 1024 * 1024);
    const split = splitPlainText(text);
    expect(split.reply).toBe(text.trim());
    expect(split.elided).toBe('');
  });

  // The HTML side has no step counter; these bodies took minutes when each unclosed `<` was read
  // to the end of the body, and must finish well within the test's timeout.
  it.each([
    ['200,000 lone "<"', '<'.repeat(200_000), '<'.repeat(200_000)],
    ['20,000 unclosed tags', '<div class=x '.repeat(20_000), ''],
    ['20,000 unclosed <head> and <style>', 'Yes.<head<style'.repeat(20_000), 'Yes.'],
    ['20,000 unclosed comments', 'Yes.<!--'.repeat(20_000), 'Yes.'],
  ])('HTML with %s is read once', (_, html, reply) => {
    expect(splitReply(null, html).reply).toBe(reply);
  });

  it('blockquotes nested 10,000 deep render at most 40 quote marks a line', () => {
    const html = `<div>Yes.</div>${'<blockquote>q'.repeat(10_000)}`;
    const split = splitReply(null, html);
    expect(split.reply).toBe('Yes.');
    const deepest = Math.max(...split.elided.split('\n').map((l) => (l.match(/>/g) ?? []).length));
    expect(deepest).toBe(40);
  });
});
