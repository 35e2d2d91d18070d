/**
 * Just enough MIME to turn a corpus .eml into the fields the pure mail rules read, so their tests
 * do not depend on the real parser (src/mail/parse.ts). Not a parser: no nested encodings, no
 * RFC 2047 words, latin-1 and UTF-8 only.
 */
import { readFileSync } from 'node:fs';

import type { ContentType, ParsedMail } from '../../src/mail/parsed-mail.js';
import { corpusDir } from '../support/fixtures.js';

export const corpus = corpusDir;

export function readCorpus(path: string): string {
  return readFileSync(new URL(path, corpus), 'utf8');
}

interface Part {
  headers: Map<string, string[]>;
  body: string;
}

function splitPart(raw: string): Part {
  const text = raw.replace(/\r\n/g, '\n');
  const at = text.indexOf('\n\n');
  const head = at < 0 ? text : text.slice(0, at);
  const headers = new Map<string, string[]>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { headers, body: at < 0 ? '' : text.slice(at + 2) };
}

function contentType(part: Part): ContentType {
  const [value = 'text/plain', ...rest] = (part.headers.get('content-type')?.[0] ?? '').split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq > 0)
      params[param.slice(0, eq).trim().toLowerCase()] = param
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, '');
  }
  return { value: value.trim().toLowerCase() || 'text/plain', params };
}

function decodeQuotedPrintable(body: string): Buffer {
  const text = body.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

function decode(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding')?.[0] ?? '').toLowerCase();
  const charset = (contentType(part).params['charset'] ?? 'utf-8').toLowerCase();
  const as = charset.includes('8859') || charset.includes('1252') ? 'latin1' : 'utf8';
  if (encoding === 'base64') return Buffer.from(part.body, 'base64').toString(as);
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body).toString(as);
  return part.body;
}

function leaves(part: Part): Part[] {
  const type = contentType(part);
  const boundary = type.params['boundary'];
  if (!type.value.startsWith('multipart/') || boundary === undefined) return [part];
  const chunks = part.body.split(`--${boundary}`).slice(1);
  return chunks
    .filter((c) => !c.startsWith('--'))
    .flatMap((c) => leaves(splitPart(c.replace(/^\n/, ''))));
}

/** The fields of ParsedMail the pure rules use, read crudely from a raw message. */
export function crudeMail(
  raw: string,
): Pick<
  ParsedMail,
  'headers' | 'subject' | 'from' | 'rootContentType' | 'text' | 'html' | 'deliveryStatus'
> {
  const root = splitPart(raw);
  const parts = leaves(root);
  const first = (type: string): string | null => {
    const part = parts.find((p) => contentType(p).value === type);
    return part ? decode(part) : null;
  };
  const statuses = parts
    .filter((p) => contentType(p).value === 'message/delivery-status')
    .map(decode);
  const fromHeader = root.headers.get('from')?.[0] ?? '';
  const address = (/<([^>]+)>/.exec(fromHeader)?.[1] ?? fromHeader).trim().toLowerCase();
  return {
    headers: root.headers,
    subject: root.headers.get('subject')?.[0] ?? '',
    from: fromHeader === '' ? null : { address, name: fromHeader.replace(/<[^>]*>/, '').trim() },
    rootContentType: contentType(root),
    text: first('text/plain'),
    html: first('text/html'),
    deliveryStatus: statuses.length > 0 ? statuses.join('\n') : null,
  };
}
