import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';

import { isDocketError } from '../../src/errors.js';
import { cleanText, loadFontFaces, padGlyphs, splitRuns } from '../../src/pdf/fonts.js';
import { Typesetter } from '../../src/pdf/layout.js';
import {
  formatSize,
  renderTransmittalCoverSheet,
  type TransmittalCoverSheet,
  type TransmittalItem,
} from '../../src/pdf/transmittal-cover-sheet.js';

/** A distinct, valid-looking SHA-256 per index. */
function sha(index: number): string {
  return (index.toString(16).padStart(8, '0') + 'a'.repeat(56)).slice(0, 64);
}

function item(index: number, overrides: Partial<TransmittalItem> = {}): TransmittalItem {
  return {
    description: `Drawing S-${101 + index} level ${index % 9} plan`,
    format: 'Drawings',
    copies: 1,
    fileName: `TWR-A_S-${101 + index}_Rev0.pdf`,
    size: 250_000 + index * 1000,
    sha256: sha(index),
    ...overrides,
  };
}

function transmittal(overrides: Partial<TransmittalCoverSheet> = {}): TransmittalCoverSheet {
  return {
    project: { code: 'TWR-A', name: 'Harbour Tower A' },
    number: 'TR-0042',
    // 23:30 UTC on 6 March is already 7 March in Tokyo.
    date: new Date('2026-03-06T23:30:00Z'),
    timezone: 'Asia/Tokyo',
    subject: 'Revised structural drawings, levels 3–7',
    from: { name: 'Zoë Ångström', address: 'zoe@arch.example' },
    to: [
      { name: 'Łukasz Żółć', address: 'lukasz@steel.example' },
      { name: 'Дмитрий Иванов', address: 'dmitry@eng.example' },
    ],
    cc: [
      { name: '王小明', address: 'wang@contractor.example' },
      { name: '山田太郎', address: 'yamada@owner.example' },
    ],
    purpose: 'For Approval',
    sentVia: 'Email attachment',
    items: [
      item(0, { description: 'General arrangement', size: 12_345 }),
      item(1, { format: 'Specifications', copies: 2 }),
      item(2, { format: 'Shop Drawings', copies: 3, size: 3_400_000 }),
    ],
    remarks: 'Please review the slab penetrations.\nОтвет ожидаем до пятницы.',
    ...overrides,
  };
}

/** Text of each page, read back from the PDF with pdf.js (through unpdf). */
async function readPages(pdf: Uint8Array): Promise<string[]> {
  const { text } = await extractText(pdf.slice(), { mergePages: false });
  return text.map((page) => page.normalize('NFC'));
}

const squash = (text: string): string => text.replace(/\s+/g, '');

describe('renderTransmittalCoverSheet', () => {
  it('renders a one-page cover sheet whose text reads back', async () => {
    const input = transmittal();
    const pdf = await renderTransmittalCoverSheet(input);

    expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe('%PDF-');
    const pages = await readPages(pdf);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    for (const expected of [
      'TRANSMITTAL',
      'TR-0042',
      'Harbour Tower A',
      'Project TWR-A',
      'For Approval',
      'Email attachment',
      'Revised structural drawings, levels 3–7',
      'Zoë Ångström',
      'Łukasz Żółć',
      'Дмитрий Иванов',
      '王小明',
      '山田太郎',
      '7 March 2026',
      '12.3 kB',
      '3.4 MB',
      'Ответ ожидаем до пятницы.',
      'ACKNOWLEDGEMENT OF RECEIPT',
      'Page 1 of 1',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('6 March 2026');
    for (const { fileName, sha256 } of input.items) {
      expect(squash(text)).toContain(squash(fileName));
      expect(squash(text)).toContain(sha256);
    }
  });

  it('has a glyph for every character of the names it promises', async () => {
    const faces = await loadFontFaces();
    for (const name of [
      'Zoë Ångström',
      'Łukasz Żółć',
      'Дмитрий',
      'Євгенія Їжак',
      '王小明',
      '山田太郎',
    ]) {
      const missing = [...name.replace(/\s/g, '')].filter(
        (char) => !faces.regular.some((face) => face.hasGlyph(char.codePointAt(0)!)),
      );
      expect(missing, name).toEqual([]);
    }
  });

  it('repeats the table header and numbers the pages of a 60-item transmittal', async () => {
    const input = transmittal({
      items: Array.from({ length: 60 }, (_, i) => item(i)),
      remarks: '',
    });
    const pages = await readPages(await renderTransmittalCoverSheet(input));

    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('Page 1 of 2');
    expect(pages[1]).toContain('Page 2 of 2');
    expect(pages[1]).toContain('TR-0042 (continued)');
    for (const page of pages) {
      expect(page).toContain('DESCRIPTION');
      expect(page).toContain('FILE NAME');
      expect(page).toContain('SHA-256');
    }
    const all = squash(pages.join('\n'));
    for (const { fileName, sha256 } of input.items) {
      expect(all).toContain(squash(fileName));
      expect(all).toContain(sha256);
    }
    expect(pages[1]).toContain('ACKNOWLEDGEMENT OF RECEIPT');
  });

  it('draws hostile and odd input without crashing', async () => {
    const longName = `${'Ø'.repeat(20)}${'x'.repeat(476)}.pdf`; // 500 characters, no break
    const input = transmittal({
      subject: 'Tabs\tand\u0000controls\u0007 and a bell',
      from: { name: '  ', address: 'noname@example.com' },
      to: [],
      cc: [{ name: null, address: 'plain@example.com' }],
      purpose: '',
      items: [
        item(0, { description: '🏗️ crane base 👷🏽‍♀️', fileName: longName }),
        item(1, { description: 'مخطط الطابق الأول', copies: Number.NaN, size: Number.NaN }),
        item(2, { description: 'x '.repeat(4000), sha256: 'not a hash <script>' }),
      ],
      remarks: '',
    });
    const pdf = await renderTransmittalCoverSheet(input);
    const pages = await readPages(pdf);
    const text = pages.join('\n');

    expect(pages.length).toBeGreaterThan(1); // the 8,000-character description runs over a page
    expect(pages.at(-1)).toContain(`Page ${pages.length} of ${pages.length}`);
    // The size cell sits beside the name's first line, so it reads back in between.
    expect(squash(text).replace('250kB', '')).toContain(longName);
    // No font has the emoji: each becomes one '?', variation selectors and joiners are dropped.
    expect(text).toContain('? crane base ?');
    expect(text).not.toMatch(/🏗|👷|🏽|\uFE0F|\u200D/u);
    expect(text).toContain('?????'); // Arabic is outside the fonts' coverage
    expect(text).toContain('None.');
    expect(text).toContain('noname@example.com');
    expect(text).toContain('Tabs andcontrols and a bell'); // tab → space, controls dropped
    expect(text).toContain('not a hash <script>');
  });

  it('renders an empty transmittal and Letter paper', async () => {
    const pdf = await renderTransmittalCoverSheet(transmittal({ items: [], remarks: '' }), {
      pageSize: 'Letter',
    });
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPage(0).getSize()).toEqual({ width: 612, height: 792 });
    expect((await readPages(pdf))[0]).toContain('No items.');
  });

  it('renders several documents at once from the shared fonts', async () => {
    const numbers = ['TR-0001', 'TR-0002', 'TR-0003', 'TR-0004'];
    const pdfs = await Promise.all(
      numbers.map((number, i) =>
        renderTransmittalCoverSheet(transmittal({ number, items: [item(i)] })),
      ),
    );
    for (const [i, pdf] of pdfs.entries()) {
      const [text] = await readPages(pdf);
      expect(text).toContain(numbers[i]);
      expect(text).toContain('Łukasz Żółć');
      expect(text).toContain(sha(i));
    }
  });

  it('refuses a time zone that does not exist', async () => {
    const error: unknown = await renderTransmittalCoverSheet(
      transmittal({ timezone: 'Mars/Olympus_Mons' }),
    ).catch((e: unknown) => e);
    expect(isDocketError(error, 'invalid_input')).toBe(true);
  });
});

describe('formatSize', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [12_345, '12.3 kB'],
    [999_999, '1.0 MB'],
    [250_000_000, '250 MB'],
    [3_400_000_000, '3.4 GB'],
    [Number.NaN, '—'],
    [-1, '—'],
  ])('%d bytes → %s', (bytes, expected) => {
    expect(formatSize(bytes)).toBe(expected);
  });
});

describe('text and fonts', () => {
  it('cleans text for drawing', () => {
    expect(cleanText('Zoe\u0308')).toBe('Zoë'); // composed, to meet the precomposed glyph
    expect(cleanText('🏗️')).toBe('🏗'); // variation selector dropped
    expect(cleanText('a\tb\r\nc\u200Bd')).toBe('a b cd');
    expect(cleanText('a\r\nb\nc', true)).toBe('a\nb\nc');
    expect(cleanText('lone \uD800 surrogate')).toBe('lone ? surrogate');
  });

  it('splits text into runs by the first source that has each glyph', () => {
    const ascii = { name: 'ascii', hasGlyph: (c: number) => c < 0x80 };
    const greek = { name: 'greek', hasGlyph: (c: number) => c >= 0x370 && c < 0x400 };
    const runs = splitRuns('ab αβ c🏗', [ascii, greek]);
    expect(runs.map((run) => [run.source.name, run.text])).toEqual([
      ['ascii', 'ab '],
      ['greek', 'αβ'],
      ['ascii', ' c?'],
    ]);
  });

  it('wraps within the width, breaking long words between characters', async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const ts = await Typesetter.create(doc, await loadFontFaces());
    const style = { face: 'regular' as const, size: 8, color: rgb(0, 0, 0) };
    const text = `Łukasz Żółć sent ${'TWR-A_S-101_Rev0_'.repeat(6)}final.pdf and 王小明山田太郎の図面`;
    const lines = ts.wrap(text, style, 90);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(ts.width(line, style)).toBeLessThanOrEqual(90);
    expect(squash(lines.join(''))).toBe(squash(text));
    expect(ts.wrap('', style, 90)).toEqual(['']);
    expect(ts.wrap('one\n\ntwo', style, 90)).toEqual(['one', '', 'two']);
  });

  it('pads unpadded glyphs so fontkit subsets keep every outline', async () => {
    const [face] = (await loadFontFaces()).regular;
    const font = fontkit.create(face!.bytes);
    const { offsets } = (font as unknown as { loca: { offsets: number[] } }).loca;
    expect(offsets.every((offset) => offset % 4 === 0)).toBe(true);
    expect(padGlyphs(face!.bytes)).toBe(face!.bytes); // already padded: returned as is

    // The bug this guards against: in a subset of an unpadded font, most glyphs lost their outline.
    const subset = font.createSubset();
    const drawn = font
      .layout('Harbour TRANSMITTAL Łukasz 王小明')
      .glyphs.filter((glyph) => !glyph.codePoints.includes(0x20))
      .map((glyph) => subset.includeGlyph(glyph));
    const chunks: Uint8Array[] = [];
    await new Promise<void>((resolve) => {
      subset
        .encodeStream()
        .on('data', (chunk) => chunks.push(chunk))
        .on('end', () => resolve());
    });
    const encoded = fontkit.create(Buffer.concat(chunks));
    for (const id of drawn) {
      const { bbox } = encoded.getGlyph(id).path;
      expect(bbox.maxX - bbox.minX, `glyph ${id}`).toBeGreaterThan(0);
    }
  });
});
