import { describe, expect, it } from 'vitest';
import { renderBarChart } from '../../src/charts/bar-chart.js';
import { renderLineChart } from '../../src/charts/line-chart.js';
import { escapeXml, truncateLabel } from '../../src/charts/svg-text.js';
import { median, monthlyTurnaround } from '../../src/dashboard/review-turnaround.js';

const frame = { title: 'Overdue by ball in court', description: 'How many each holds.' };
const bars = (...values: [string, number][]) =>
  renderBarChart({
    ...frame,
    bars: values.map(([label, value]) => ({ label, value })),
    valueLabel: 'Overdue',
    emptyMessage: 'Nothing is overdue',
  });
/** The widths of the bars' rects, in drawing order. */
const widths = (svg: string) =>
  [...svg.matchAll(/<rect x="\d+(?:\.\d+)?" y="[\d.]+" width="([\d.]+)"/g)].map((m) =>
    Number(m[1]),
  );

describe('bar chart', () => {
  it('draws bars proportional to their values, each value written as text', () => {
    const svg = bars(['Sam', 4], ['Owen', 2], ['Lee', 1]);
    const [sam, owen, lee] = widths(svg);
    expect(sam).toBeGreaterThan(0);
    expect(owen).toBeCloseTo((sam ?? 0) / 2, 0);
    expect(lee).toBeCloseTo((sam ?? 0) / 4, 0);
    expect(svg).toMatch(/>4<\/text>/);
    expect(svg).toMatch(/>2<\/text>/);
    expect(svg).toContain('<title id="chart-title">Overdue by ball in court</title>');
    expect(svg).toContain('<desc id="chart-desc">How many each holds.</desc>');
    expect(svg).toContain('aria-labelledby="chart-title chart-desc"');
    expect(svg).toContain('role="img"');
    expect(svg).toContain('>Overdue</text>'); // the value axis is named
    expect(svg).not.toMatch(/<script|style=|href=|@import|url\(/i);
  });

  it('escapes hostile labels so they stay text', () => {
    const svg = bars(['<script>alert(1)</script>', 3], ['"><img src=x onerror=alert(2)>', 1]);
    // Escaped text holds no < or >, so every tag left is one the renderer wrote.
    const tags = [...svg.matchAll(/<\/?([a-zA-Z]+)([^<>]*)>/g)];
    expect(new Set(tags.map((t) => t[1]))).toEqual(
      new Set(['svg', 'title', 'desc', 'rect', 'line', 'g', 'text']),
    );
    const attributes = tags.flatMap((t) =>
      [...(t[2] ?? '').matchAll(/\s([\w-]+)=/g)].map((a) => a[1]),
    );
    expect(attributes.filter((name) => name?.startsWith('on'))).toEqual([]);
    expect(svg.replace(/<[^<>]*>/g, '')).not.toMatch(/[<>]/);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  });

  it('draws zero-width bars and no NaN when every value is zero or nonsense', () => {
    const svg = bars(['Sam', 0], ['Owen', Number.NaN], ['Lee', -3], ['Kim', Infinity]);
    expect(svg).not.toContain('NaN');
    expect(svg).not.toContain('Infinity');
    expect(widths(svg)).toEqual([0, 0, 0, 0]);
  });

  it('says its empty message instead of drawing an empty chart', () => {
    const svg = bars();
    expect(svg).toContain('Nothing is overdue');
    expect(svg).not.toContain('<g class="chart-bar">');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it('shortens long labels on the chart but keeps the full one in the bar title', () => {
    const name = 'Maximilian Alexander Featherstonehaugh-Worthington III';
    const svg = bars([name, 1]);
    expect(svg).toContain(`<title>${name}: 1</title>`);
    expect(svg).toContain(`>${truncateLabel(name, 30)}</text>`);
    expect(truncateLabel(name, 30)).toHaveLength(30);
  });

  it('keeps ids unique per chart on a page', () => {
    const svg = renderBarChart({
      ...frame,
      idPrefix: 'over"due',
      bars: [{ label: 'a', value: 1 }],
      valueLabel: 'n',
      emptyMessage: '',
    });
    expect(svg).toContain('<title id="over-due-title">');
  });
});

describe('line chart', () => {
  const line = (values: (number | null)[]) =>
    renderLineChart({
      title: 'Review turnaround',
      description: 'Median working days.',
      points: values.map((value, i) => ({ label: `M${i}`, value })),
      valueLabel: 'Median working days',
      periodLabel: 'Month of decision',
      emptyMessage: 'No review decisions',
    });
  const circles = (svg: string) =>
    [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);

  it('puts higher values higher, writes each value, and names both axes', () => {
    const svg = line([2, 8, 4]);
    const [a, b, c] = circles(svg);
    expect(b?.[1]).toBeLessThan(c?.[1] ?? 0); // SVG y grows downwards
    expect(c?.[1]).toBeLessThan(a?.[1] ?? 0);
    expect(svg).toMatch(/>8<\/text><\/g>/);
    expect(svg).toContain('>Median working days</text>');
    expect(svg).toContain('>Month of decision</text>');
    expect(svg).toContain('>M0</text>');
  });

  it('breaks the line at periods without data instead of drawing zero', () => {
    const svg = line([3, null, 5, 6]);
    expect(circles(svg)).toHaveLength(3);
    expect([...svg.matchAll(/<polyline/g)]).toHaveLength(1); // only 5 → 6 is joined
    expect(svg).toContain('>M1</text>'); // the gap keeps its slot
  });

  it('handles all-zero values without NaN, and no data with its message', () => {
    const zero = line([0, 0]);
    expect(zero).not.toContain('NaN');
    expect(circles(zero)).toHaveLength(2);
    const none = line([null, null]);
    expect(none).toContain('No review decisions');
    expect(none).not.toContain('<circle');
  });
});

describe('svg text', () => {
  it.each([
    ['a & b', 'a &amp; b'],
    ['<x>', '&lt;x&gt;'],
    [`it's "quoted"`, 'it&#39;s &quot;quoted&quot;'],
    ['bell\u0007 and nul\u0000', 'bell and nul'],
    ['lone \ud800 surrogate', 'lone \ufffd surrogate'],
  ])('escapes %j', (input, expected) => {
    expect(escapeXml(input)).toBe(expected);
  });
});

describe('monthly review turnaround', () => {
  const calendar = { timezone: 'America/New_York' };
  const now = new Date('2026-11-20T15:00:00Z');

  it('takes the median of working days per month of decision, twelve months, oldest first', () => {
    const periods = monthlyTurnaround(
      [
        // Mon 2 Nov → Fri 6 Nov: 4 working days.
        {
          receivedAt: new Date('2026-11-02T14:00:00Z'),
          decidedAt: new Date('2026-11-06T14:00:00Z'),
        },
        // Mon 2 Nov → Mon 16 Nov: 10 working days (two weekends skipped).
        {
          receivedAt: new Date('2026-11-02T14:00:00Z'),
          decidedAt: new Date('2026-11-16T14:00:00Z'),
        },
        // Decided 1 Oct 01:00 UTC = 30 Sep 21:00 in New York: a September decision.
        {
          receivedAt: new Date('2026-09-28T14:00:00Z'),
          decidedAt: new Date('2026-10-01T01:00:00Z'),
        },
      ],
      calendar,
      now,
    );
    expect(periods).toHaveLength(12);
    expect(periods[0]?.month).toBe('2025-12');
    expect(periods[11]).toMatchObject({
      month: '2026-11',
      label: 'Nov 2026',
      medianWorkingDays: 7,
      decided: 2,
    });
    expect(periods[9]).toMatchObject({ month: '2026-09', medianWorkingDays: 2, decided: 1 });
    expect(periods[10]).toMatchObject({ month: '2026-10', medianWorkingDays: null, decided: 0 });
  });

  it.each([
    [[], null],
    [[5], 5],
    [[9, 1, 4], 4],
    [[1, 2, 3, 10], 2.5],
  ])('median of %j is %j', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});
