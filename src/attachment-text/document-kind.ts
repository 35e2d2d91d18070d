/** How an attachment's text is read, or why it is not. */
export type DocumentKind =
  { reader: 'pdf' | 'office' | 'text' | 'html' } | { reader: null; kind: string; reason: string };

/** What the bytes start with, for the formats worth naming in a reason. */
const SIGNATURES: readonly { kind: string; label: string; test: (head: Uint8Array) => boolean }[] =
  [
    { kind: 'image', label: 'a PNG image', test: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47]) },
    { kind: 'image', label: 'a JPEG image', test: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
    { kind: 'image', label: 'a GIF image', test: (h) => ascii(h, 0, 4) === 'GIF8' },
    {
      kind: 'image',
      label: 'a TIFF image',
      test: (h) => ascii(h, 0, 4) === 'II*\u0000' || ascii(h, 0, 4) === 'MM\u0000*',
    },
    {
      kind: 'image',
      label: 'a WebP image',
      test: (h) => ascii(h, 0, 4) === 'RIFF' && ascii(h, 8, 12) === 'WEBP',
    },
    {
      kind: 'image',
      label: 'a HEIC image',
      test: (h) => ascii(h, 4, 8) === 'ftyp' && /^(heic|heix|mif1)$/.test(ascii(h, 8, 12)),
    },
    {
      kind: 'legacy-office',
      label: 'an older Office file (.doc, .xls, .ppt or .msg)',
      test: (h) => startsWith(h, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    },
    {
      kind: 'cad',
      label: 'an AutoCAD drawing (DWG)',
      test: (h) => /^AC10\d\d$/.test(ascii(h, 0, 6)),
    },
    {
      kind: 'archive',
      label: 'a compressed archive',
      test: (h) =>
        startsWith(h, [0x1f, 0x8b]) ||
        ascii(h, 0, 4) === 'Rar!' ||
        startsWith(h, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]),
    },
  ];

const TEXT_EXTENSIONS = /\.(txt|text|csv|tsv|md|log|json|xml|ics|vcf|eml)$/i;
const HTML_EXTENSIONS = /\.(html?|xhtml)$/i;
const TEXT_TYPES = /^(text\/|application\/(json|xml|csv)$)/i;

/**
 * Decides from an attachment's first bytes how to read it. The bytes are believed before the
 * label: mail programs send PDFs as `application/octet-stream`, and a file named `.pdf` may be a
 * photo. Only what is not recognised by its bytes is taken as text when its type or name says so
 * and it looks like text. `head` is the start of the file (a few kilobytes are enough).
 */
export function documentKind(
  head: Uint8Array,
  declaredType: string,
  filename: string | null,
): DocumentKind {
  const type = declaredType.toLowerCase().split(';')[0]?.trim() ?? '';
  const name = filename ?? '';
  // pdf.js, like Acrobat, accepts a header anywhere in the first kilobyte.
  if (ascii(head, 0, Math.min(head.length, 1024)).includes('%PDF-')) return { reader: 'pdf' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { reader: 'office' };
  for (const signature of SIGNATURES) {
    if (signature.test(head)) {
      const mislabel = claimsDocument(type, name)
        ? ` (it is labelled ${type || 'a document'}${name ? `, named ${name}` : ''})`
        : '';
      return {
        reader: null,
        kind: signature.kind,
        reason: `${signature.label}: no text to read${mislabel}`,
      };
    }
  }
  if (head.length === 0) return { reader: null, kind: 'empty', reason: 'the file is empty' };
  const textual = looksLikeText(head);
  if (textual && (type === 'text/html' || HTML_EXTENSIONS.test(name) || startsLikeHtml(head))) {
    return { reader: 'html' };
  }
  if (textual && (TEXT_TYPES.test(type) || TEXT_EXTENSIONS.test(name))) return { reader: 'text' };
  return {
    reader: null,
    kind: 'other',
    reason: `not a kind of file Docket reads (${type || 'no content type'})`,
  };
}

/** Whether the label promises a document whose text Docket would read. */
function claimsDocument(type: string, name: string): boolean {
  return (
    /pdf|word|excel|spreadsheet|presentation|officedocument|^text\//.test(type) ||
    /\.(pdf|docx|xlsx|pptx|txt|csv|html?)$/i.test(name)
  );
}

/** Text has no NUL bytes, except UTF-16, which says so with a byte order mark. */
function looksLikeText(head: Uint8Array): boolean {
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return true;
  return !head.subarray(0, 8192).includes(0);
}

function startsLikeHtml(head: Uint8Array): boolean {
  return /^(\xef\xbb\xbf)?\s*(<!doctype html|<html)/i.test(
    ascii(head, 0, Math.min(head.length, 256)),
  );
}

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return bytes.every((byte, i) => head[i] === byte);
}

function ascii(head: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...head.subarray(from, to));
}
