import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { mboxReader } from 'mbox-reader';
import { DocketError } from '../errors.js';

export interface SourceMessage {
  content: Buffer;
  /** The mbox `From ` line's time, when the source has one. */
  time: Date | null;
}

export interface MailSource {
  /** Total bytes, for a progress bar. */
  totalBytes: number;
  messages: AsyncIterable<SourceMessage>;
}

/**
 * Opens what `docket import` is given: an mbox file, a single .eml file, or a folder whose
 * `.eml` files (searched recursively, in name order) are messages.
 */
export async function openMailSource(target: string): Promise<MailSource> {
  const stat = await fs.stat(target).catch((error: unknown) => {
    throw new DocketError('not_found', `cannot read ${target}: ${(error as Error).message}`);
  });
  if (stat.isDirectory()) {
    const files = (await fs.readdir(target, { recursive: true }))
      .filter((name) => name.toLowerCase().endsWith('.eml'))
      .sort()
      .map((name) => path.join(target, name));
    if (files.length === 0) throw new DocketError('invalid_input', `${target} holds no .eml files`);
    const sizes = await Promise.all(files.map(async (file) => (await fs.stat(file)).size));
    return {
      totalBytes: sizes.reduce((sum, size) => sum + size, 0),
      messages: (async function* () {
        for (const file of files) yield { content: await fs.readFile(file), time: null };
      })(),
    };
  }
  if (target.toLowerCase().endsWith('.eml')) {
    return {
      totalBytes: stat.size,
      messages: (async function* () {
        yield { content: await fs.readFile(target), time: null };
      })(),
    };
  }
  const head = await readHead(target, 1024);
  const bom = head.subarray(0, 3).equals(UTF8_BOM) ? 3 : 0;
  // An mbox starts with a `From ` separator line; anything else is one message (an .eml or .txt
  // file named otherwise), never silently read as an mbox with nothing in it.
  if (!head.subarray(bom).toString('latin1').startsWith('From ')) {
    return {
      totalBytes: stat.size,
      messages: (async function* () {
        yield { content: (await fs.readFile(target)).subarray(bom), time: null };
      })(),
    };
  }
  return {
    totalBytes: stat.size,
    messages: (async function* () {
      for await (const message of mboxReader(createReadStream(target, { start: bom }))) {
        // A separator followed by nothing (a stray unquoted "From " line) is not a message.
        if (message.content.toString('latin1').trim() === '') continue;
        yield { content: message.content, time: message.time || null };
      }
    })(),
  };
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
