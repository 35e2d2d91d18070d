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
  return {
    totalBytes: stat.size,
    messages: (async function* () {
      for await (const message of mboxReader(createReadStream(target))) {
        yield { content: message.content, time: message.time || null };
      }
    })(),
  };
}
