import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';

/** What a reader of one XML part does with its elements and text. */
export interface XmlHandler {
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  text(text: string): void;
  /** True once nothing more is wanted from this part (the text is full). */
  readonly done: boolean;
}

/**
 * Streams an inflated XML part through a SAX parser into `handler`, counting the bytes against
 * `budget`: once it is spent, or the handler wants no more, the stream is destroyed and reading
 * ends where it was. Entities are
 * only XML's own five and character references (saxes expands no DTD entities), so an entity
 * expansion bomb is an error, not a gigabyte of text.
 */
export async function readXml(
  stream: Readable,
  handler: XmlHandler,
  budget: { left: number },
): Promise<void> {
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => handler.open(tag.name, tag.attributes as Record<string, string>));
  parser.on('closetag', (tag) => handler.close(tag.name));
  parser.on('text', (text) => handler.text(text));
  parser.on('cdata', (text) => handler.text(text));
  let decoder: InstanceType<typeof TextDecoder> | null = null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (handler.done) return;
      decoder ??= new TextDecoder(chunk[0] === 0xff && chunk[1] === 0xfe ? 'utf-16le' : 'utf-8');
      const room = budget.left;
      budget.left -= chunk.length;
      if (budget.left < 0) {
        parser.write(decoder.decode(chunk.subarray(0, room)));
        return;
      }
      parser.write(decoder.decode(chunk, { stream: true }));
    }
    if (decoder) parser.write(decoder.decode());
    parser.close();
  } finally {
    stream.destroy();
  }
}
