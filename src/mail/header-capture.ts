import { Transform, type TransformCallback } from 'node:stream';

/** Headers beyond this are not needed to route or deduplicate a message; the bytes still pass. */
const MAX_HEADER_BYTES = 256 * 1024;

/**
 * Passes message bytes through unchanged and keeps a copy of the header block (everything before
 * the first empty line), so the SMTP edge can read Message-ID and From without buffering the body.
 */
export class HeaderCapture extends Transform {
  #chunks: Buffer[] = [];
  #captured = 0;
  #done = false;

  get headerBlock(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.#done) this.#keep(chunk);
    callback(null, chunk);
  }

  #keep(chunk: Buffer): void {
    const room = MAX_HEADER_BYTES - this.#captured;
    const slice = chunk.subarray(0, room);
    this.#chunks.push(slice);
    this.#captured += slice.length;
    // Look for the blank line across the chunk boundary too.
    const tail = Buffer.concat(this.#chunks.slice(-2));
    const end = findHeaderEnd(tail);
    if (end >= 0) {
      const all = this.headerBlock;
      this.#chunks = [all.subarray(0, findHeaderEnd(all))];
      this.#done = true;
    } else if (this.#captured >= MAX_HEADER_BYTES) {
      this.#done = true;
    }
  }
}

/** The header block of a whole message held in memory (imports). */
export function headerBlockOf(message: Buffer): Buffer {
  const end = findHeaderEnd(message.subarray(0, MAX_HEADER_BYTES));
  return message.subarray(0, end >= 0 ? end : MAX_HEADER_BYTES);
}

function findHeaderEnd(bytes: Buffer): number {
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 2;
  return lf >= 0 ? lf + 1 : -1;
}
