import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderSubmittalRegisterPdf } from '../../src/pdf/submittal-register-pdf.js';
import { registerRow } from './register-row.js';

/** Text of each page, read back with pdf.js (through unpdf), without whitespace. */
async function readPages(pdf: Uint8Array): Promise<string[]> {
  const { text } = await extractText(pdf.slice(), { mergePages: false });
  return text.map((page) => page.normalize('NFC').replace(/\s+/g, ''));
}

const project = { code: 'twr-a', name: 'Harbour Tower A — Zoë Ångström' };
const generatedAt = new Date('2026-12-01T03:00:00Z');

describe('renderSubmittalRegisterPdf', () => {
  it('runs a long register over landscape pages, the header row and page count on each', async () => {
    const rows = Array.from({ length: 90 }, (_, i) =>
      registerRow({
        id: i + 1,
        number: `03 30 00-${String(i + 1).padStart(3, '0')}.0`,
        title: i === 3 ? `Very long title ${'word '.repeat(120)}END` : `Item ${i + 1} 山田太郎`,
        overdue: i % 10 === 0,
        distribution: i === 5 ? ['pm@gc.example'] : [],
        responsibleContractor: i === 5 ? 'Łukasz Żółć Concrete' : null,
      }),
    );
    const pdf = await renderSubmittalRegisterPdf({
      project,
      generatedAt,
      timezone: 'America/New_York',
      filters: 'status open',
      rows,
    });
    const doc = await getDocumentProxy(pdf.slice());
    expect(doc.numPages).toBeGreaterThan(1);
    const first = await doc.getPage(1);
    expect(first.view[2]).toBeGreaterThan(first.view[3]!);

    const pages = await readPages(pdf);
    expect(pages).toHaveLength(doc.numPages);
    const n = pages.length;
    pages.forEach((page, index) => {
      expect(page).toContain('NUMBERTITLETYPESTATUS');
      expect(page).toContain('BALLINCOURT');
      expect(page).toContain(`Page${index + 1}of${n}`);
    });
    expect(pages[0]).toContain('SUBMITTALREGISTER');
    expect(pages[0]).toContain('HarbourTowerA—ZoëÅngström');
    // The date is the project's: still 30 November in New York.
    expect(pages[0]).toContain('2026-11-30(America/New_York)');
    expect(pages[0]).toContain('90submittals,9overdue·Filtered:statusopen');
    expect(pages[1]).toContain('SUBMITTALREGISTER(continued)');
    const all = pages.join('');
    // Each overdue row says so in words (its due cell), not in colour alone.
    expect(all.match(/OVERDUE/g)).toHaveLength(9);
    expect(all).toContain('山田太郎');
    expect(all).toContain('Responsiblecontractor:ŁukaszŻółćConcrete');
    // A very long title is cut, not allowed to run on for a page.
    expect(all).not.toContain('END');
    expect(all).toContain('...');
    for (let i = 1; i <= 90; i++) {
      expect(all).toContain(`033000-${String(i).padStart(3, '0')}.0`);
    }
  });

  it('renders an empty register, on Letter when asked', async () => {
    const pdf = await renderSubmittalRegisterPdf(
      { project, generatedAt, timezone: 'UTC', filters: null, rows: [] },
      { pageSize: 'Letter' },
    );
    const doc = await getDocumentProxy(pdf.slice());
    const page = await doc.getPage(1);
    expect(page.view.slice(2)).toEqual([792, 612]);
    const [text] = await readPages(pdf);
    expect(text).toContain('0submittals,0overdue');
    expect(text).toContain('Nosubmittals.');
    expect(text).toContain('Page1of1');
  });
});
