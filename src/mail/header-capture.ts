/** Headers beyond this are not needed to route or deduplicate a message; the bytes still pass. */
const MAX_HEADER_BYTES = 256 * 1024;

/**
 * Keeps a copy of a message's header block (everything before the first empty line) while its
 * bytes stream past, so the SMTP edge can read Message-ID and From without buffering the body.
 * Only the header's bytes are copied, once, when its end is seen.
 */
export class HeaderCapture {
  #held: Buffer[] = [];
  #seen = 0;
  #block: Buffer | null = null;

  get headerBlock(): Buffer {
    return this.#block ?? Buffer.concat(this.#held);
  }

  keep(chunk: Buffer): void {
    if (this.#block) return;
    const piece = chunk.subarray(0, MAX_HEADER_BYTES - this.#seen);
    const end = this.#endIn(piece);
    this.#held.push(piece);
    if (end !== null) {
      this.#block = Buffer.concat(this.#held, this.#seen + end);
      this.#held = [];
    } else if (this.#seen + piece.length >= MAX_HEADER_BYTES) {
      this.#block = Buffer.concat(this.#held);
      this.#held = [];
    }
    this.#seen += piece.length;
  }

  /**
   * Where the header ends, counted from the start of `piece` (below 0 when its last line break
   * came at the end of the bytes before), or null: the blank line may straddle two pieces.
   */
  #endIn(piece: Buffer): number | null {
    const before = this.#held.length > 0 ? lastBytes(this.#held, 3) : Buffer.alloc(0);
    const seam = findHeaderEnd(Buffer.concat([before, piece.subarray(0, 3)]));
    if (seam >= 0) return seam - before.length;
    const end = findHeaderEnd(piece);
    return end >= 0 ? end : null;
  }
}

/** Passes chunks through unchanged, showing each to `capture` on the way. */
export async function* capturingHeaders(
  source: AsyncIterable<Buffer>,
  capture: HeaderCapture,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    capture.keep(chunk);
    yield chunk;
  }
}

/** The header block of a whole message held in memory (imports). */
export function headerBlockOf(message: Buffer): Buffer {
  const end = findHeaderEnd(message.subarray(0, MAX_HEADER_BYTES));
  return message.subarray(0, end >= 0 ? end : MAX_HEADER_BYTES);
}

function lastBytes(chunks: Buffer[], count: number): Buffer {
  const last = chunks[chunks.length - 1] ?? Buffer.alloc(0);
  if (last.length >= count || chunks.length === 1) return last.subarray(-count);
  return Buffer.concat(chunks.slice(-count)).subarray(-count);
}

/** The offset just past the header's last line break (CRLF or bare LF), or -1. */
function findHeaderEnd(bytes: Buffer): number {
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 2;
  return lf >= 0 ? lf + 1 : -1;
}
