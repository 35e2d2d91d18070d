import { createHash } from 'node:crypto';
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A PDF whose pages hold these lines of text, written by pdf-lib. */
export async function textPdf(pages: readonly (readonly string[])[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([612, 792]);
    lines.forEach((line, i) => page.drawText(line, { x: 54, y: 720 - i * 16, size: 11, font }));
  }
  return Buffer.from(await doc.save());
}

/**
 * A PDF written by hand from numbered objects (1 is the catalog, 2 the page tree), with a correct
 * cross-reference table, so tests can make PDFs no PDF library would write.
 */
export function handWrittenPdf(objects: readonly (string | Buffer)[], trailer = ''): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const object = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      Buffer.from(body),
      Buffer.from('\nendobj\n'),
    ]);
    parts.push(object);
    length += object.length;
  });
  const xref = [
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`),
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailer}>>\nstartxref\n${length}\n%%EOF\n`,
  ].join('');
  return Buffer.concat([...parts, Buffer.from(xref)]);
}

const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
const stream = (content: Buffer | string, dictionary = '') =>
  Buffer.concat([
    Buffer.from(`<< /Length ${Buffer.byteLength(content)} ${dictionary}>>\nstream\n`),
    Buffer.from(content),
    Buffer.from('\nendstream'),
  ]);

/**
 * A PDF of `count` pages (a hundred thousand is 10 MB), each a page object of its own sharing one
 * content stream that says `text`.
 */
export function manyPagesPdf(count: number, text: string): Buffer {
  const first = 5;
  const kids = Array.from({ length: count }, (_, i) => `${first + i} 0 R`).join(' ');
  const page = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>`;
  return handWrittenPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Count ${count} /Kids [${kids}] >>`,
    FONT,
    stream(`BT /F1 12 Tf 20 100 Td (${text}) Tj ET`),
    ...Array.from({ length: count }, () => page),
  ]);
}

/**
 * A one-page PDF whose content stream inflates to `inflatedBytes` of drawing operators from a few
 * kilobytes per gigabyte (repeated deflate blocks, as in the Word zip bomb): reading its text
 * means decoding all of it.
 */
export function endlessStreamPdf(inflatedBytes: number): Buffer {
  const chunk = Buffer.from('0 0 m 1 1 l S\n'.repeat(Math.ceil((1024 * 1024) / 14)));
  const flush = { finishFlush: constants.Z_SYNC_FLUSH };
  const block = deflateRawSync(chunk, flush);
  const repeats = Math.ceil(inflatedBytes / chunk.length);
  // FlateDecode is zlib: a two-byte header, the deflate blocks, then a checksum readers ignore.
  const content = Buffer.concat([
    Buffer.from([0x78, 0x9c]),
    deflateRawSync(Buffer.from('BT /F1 12 Tf 20 100 Td (Endless) Tj ET\n'), flush),
    ...Array.from({ length: repeats }, () => block),
    deflateRawSync(Buffer.from('\n')),
    Buffer.alloc(4),
  ]);
  return handWrittenPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Count 1 /Kids [3 0 R] >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    stream(content, '/Filter /FlateDecode '),
    FONT,
  ]);
}

// The padding string of the PDF standard security handler (ISO 32000-1, 7.6.3.3).
const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();
const padded = (password: string) =>
  Buffer.concat([Buffer.from(password, 'latin1'), PAD]).subarray(0, 32);

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i++) {
    j = (j + (s[i] ?? 0) + (key[i % key.length] ?? 0)) & 255;
    [s[i], s[j]] = [s[j] ?? 0, s[i] ?? 0];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, m = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    m = (m + (s[i] ?? 0)) & 255;
    [s[i], s[m]] = [s[m] ?? 0, s[i] ?? 0];
    out[k] = (data[k] ?? 0) ^ (s[((s[i] ?? 0) + (s[m] ?? 0)) & 255] ?? 0);
  }
  return out;
}

/**
 * A PDF encrypted for real with the standard security handler (revision 2, 40-bit RC4: the
 * simplest a reader must support), opened only with `userPassword`. Its one page says `text`.
 */
export function encryptedPdf(text: string, userPassword: string): Buffer {
  const id = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const permissions = -44;
  const ownerKey = md5(padded(`${userPassword}-owner`)).subarray(0, 5);
  const owner = rc4(ownerKey, padded(userPassword));
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  const key = md5(padded(userPassword), owner, p, id).subarray(0, 5);
  const user = rc4(key, PAD);
  // Each object's key: the file key, its number and generation, hashed, cut to 5 + 5 bytes.
  const objectKey = (number: number) =>
    md5(key, Buffer.from([number & 255, (number >> 8) & 255, (number >> 16) & 255, 0, 0])).subarray(
      0,
      10,
    );
  const content = rc4(objectKey(4), Buffer.from(`BT /F1 12 Tf 20 100 Td (${text}) Tj ET`));
  return handWrittenPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Count 1 /Kids [3 0 R] >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
      stream(content),
      FONT,
      `<< /Filter /Standard /V 1 /R 2 /O <${owner.toString('hex')}> /U <${user.toString('hex')}> /P ${permissions} >>`,
    ],
    `/Encrypt 6 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>] `,
  );
}

/** A real one-pixel PNG image. */
export function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from([0, 200, 30, 30]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
