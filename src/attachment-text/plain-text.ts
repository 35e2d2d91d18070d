import { htmlToText } from '../mail/reply-html.js';
import type { CappedText } from './capped-text.js';

/**
 * A text file's characters: UTF-16 when a byte order mark says so, else UTF-8, else (bytes that
 * are not UTF-8, as older Windows programs write) Windows-1252, which decodes any byte.
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** A plain text attachment (notes, CSV, a log), as it is. */
export function plainText(bytes: Uint8Array, sink: CappedText): void {
  sink.append(decodeText(bytes));
}

/** An HTML attachment as the text a reader sees: tags, scripts and styles gone, entities decoded. */
export function htmlText(bytes: Uint8Array, sink: CappedText): void {
  sink.append(htmlToText(decodeText(bytes)));
}
