import { constants, crc32, deflateRawSync } from 'node:zlib';

/** One file of a ZIP: its bytes, or bytes already deflated with the sizes the archive claims. */
export type ZipEntry =
  | { name: string; data: Buffer | string }
  | { name: string; deflated: Buffer; size: number; crc: number };

/**
 * A ZIP archive written by hand (local headers, central directory, end record), deflated, so the
 * tests can build Office files, and hostile ones, without a library that would refuse to.
 */
export function zipArchive(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    let compressed: Buffer;
    let size: number;
    let crc: number;
    if ('data' in entry) {
      const data = Buffer.from(entry.data);
      compressed = deflateRawSync(data);
      size = data.length;
      crc = crc32(data);
    } else {
      ({ deflated: compressed, size, crc } = entry);
    }
    const fields = (signature: number, central: boolean) => {
      const header = Buffer.alloc(central ? 46 : 30);
      let at = header.writeUInt32LE(signature, 0);
      if (central) at = header.writeUInt16LE(20, at); // made by
      at = header.writeUInt16LE(20, at); // needed to extract
      at = header.writeUInt16LE(0x0800, at); // UTF-8 names
      at = header.writeUInt16LE(8, at); // deflate
      at = header.writeUInt16LE(0, at); // time
      at = header.writeUInt16LE(0x21, at); // 1980-01-01
      at = header.writeUInt32LE(crc >>> 0, at);
      at = header.writeUInt32LE(compressed.length, at);
      at = header.writeUInt32LE(size, at);
      at = header.writeUInt16LE(name.length, at);
      at = header.writeUInt16LE(0, at); // extra
      if (central) {
        at = header.writeUInt16LE(0, at); // comment
        at = header.writeUInt16LE(0, at); // disk
        at = header.writeUInt16LE(0, at); // internal attributes
        at = header.writeUInt32LE(0, at); // external attributes
        header.writeUInt32LE(offset, at);
      }
      return header;
    };
    const local = Buffer.concat([fields(0x04034b50, false), name, compressed]);
    centrals.push(Buffer.concat([fields(0x02014b50, true), name]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const CONTENT_TYPES = (main: string, type: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/${main}" ContentType="${type}"/>
</Types>`;
const RELS = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${main}"/>
</Relationships>`;

/** The start and end of a Word body, around its paragraphs. */
export const WORD_HEAD = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}"><w:body>`;
export const WORD_TAIL = '</w:body></w:document>';

/**
 * A Word document with these paragraphs, as Word writes them: each a `<w:p>` of runs, the text
 * split across two runs (as spelling marks or formatting split it), and an optional header.
 */
export function docx(paragraphs: readonly string[], header?: string): Buffer {
  const body = paragraphs
    .map((text) => {
      const cut = Math.floor(text.length / 2);
      return `<w:p><w:r><w:t xml:space="preserve">${escapeXml(text.slice(0, cut))}</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">${escapeXml(text.slice(cut))}</w:t></w:r></w:p>`;
    })
    .join('');
  return zipArchive([
    {
      name: '[Content_Types].xml',
      data: CONTENT_TYPES(
        'word/document.xml',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
      ),
    },
    { name: '_rels/.rels', data: RELS('word/document.xml') },
    { name: 'word/document.xml', data: `${WORD_HEAD}${body}${WORD_TAIL}` },
    ...(header
      ? [
          {
            name: 'word/header1.xml',
            data: `<?xml version="1.0"?><w:hdr xmlns:w="${W}"><w:p><w:r><w:t>${escapeXml(header)}</w:t></w:r></w:p></w:hdr>`,
          },
        ]
      : []),
  ]);
}

/** An Excel workbook of one sheet: strings shared, numbers inline, as Excel writes them. */
export function xlsx(rows: readonly (readonly (string | number)[])[]): Buffer {
  const strings: string[] = [];
  const cells = rows
    .map((row, r) => {
      const values = row
        .map((value, c) => {
          const ref = `${String.fromCharCode(65 + c)}${r + 1}`;
          if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`;
          strings.push(value);
          return `<c r="${ref}" t="s"><v>${strings.length - 1}</v></c>`;
        })
        .join('');
      return `<row r="${r + 1}">${values}</row>`;
    })
    .join('');
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  return zipArchive([
    {
      name: '[Content_Types].xml',
      data: CONTENT_TYPES(
        'xl/workbook.xml',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
      ),
    },
    { name: '_rels/.rels', data: RELS('xl/workbook.xml') },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0"?><workbook xmlns="${main}"><sheets><sheet name="Schedule" sheetId="1"/></sheets></workbook>`,
    },
    {
      name: 'xl/sharedStrings.xml',
      data: `<?xml version="1.0"?><sst xmlns="${main}">${strings.map((s) => `<si><t>${escapeXml(s)}</t></si>`).join('')}</sst>`,
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      data: `<?xml version="1.0"?><worksheet xmlns="${main}"><sheetData>${cells}</sheetData></worksheet>`,
    },
  ]);
}

/**
 * A zip bomb dressed as a Word document: word/document.xml inflates to `inflatedBytes` of spaces
 * inside one text run, from a few kilobytes per gigabyte. One megabyte of spaces is deflated once
 * with a sync flush (so it ends on a byte boundary and refers to nothing before it) and repeated;
 * deflate blocks simply follow one another. `claimSize` is what the archive says the part
 * inflates to: the truth, or a lie told to get past a check of the declared size.
 */
export function zipBombDocx(inflatedBytes: number, claimSize: 'honest' | 'small'): Buffer {
  const head = Buffer.from(`${WORD_HEAD}<w:p><w:r><w:t>Bomb `);
  const tail = Buffer.from(`</w:t></w:r></w:p>${WORD_TAIL}`);
  const megabyte = Buffer.alloc(1024 * 1024, ' ');
  const flush = { finishFlush: constants.Z_SYNC_FLUSH };
  const repeats = Math.ceil(inflatedBytes / megabyte.length);
  const block = deflateRawSync(megabyte, flush);
  const deflated = Buffer.concat([
    deflateRawSync(head, flush),
    ...Array.from({ length: repeats }, () => block),
    deflateRawSync(tail),
  ]);
  const size = head.length + repeats * megabyte.length + tail.length;
  return zipArchive([
    { name: '[Content_Types].xml', data: CONTENT_TYPES('word/document.xml', 'application/xml') },
    {
      name: 'word/document.xml',
      deflated,
      // A CRC is checked only at the end, which a bounded reader never reaches.
      size: claimSize === 'honest' ? Math.min(size, 0xffffffff) : 4096,
      crc: 0,
    },
  ]);
}

/** A PowerPoint deck, one slide per entry, each a text box of paragraphs. */
export function pptx(slides: readonly (readonly string[])[]): Buffer {
  const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
  const P = 'http://schemas.openxmlformats.org/presentationml/2006/main';
  return zipArchive([
    {
      name: '[Content_Types].xml',
      data: CONTENT_TYPES(
        'ppt/presentation.xml',
        'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
      ),
    },
    { name: '_rels/.rels', data: RELS('ppt/presentation.xml') },
    { name: 'ppt/presentation.xml', data: `<?xml version="1.0"?><p:presentation xmlns:p="${P}"/>` },
    // Written out of order, as a ZIP may hold them: slide 10 after slide 2, not before.
    ...slides
      .map((paragraphs, i) => ({
        name: `ppt/slides/slide${i + 1}.xml`,
        data: `<?xml version="1.0"?><p:sld xmlns:p="${P}" xmlns:a="${A}"><p:cSld><p:spTree><p:sp><p:txBody>${paragraphs
          .map((text) => `<a:p><a:r><a:t>${escapeXml(text)}</a:t></a:r></a:p>`)
          .join('')}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`,
      }))
      .reverse(),
  ]);
}
