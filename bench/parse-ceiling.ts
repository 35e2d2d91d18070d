import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { simpleParser } from 'mailparser';
import type { BlobWriter, StagedBlob } from '../src/blobs/blob-store.js';
import { parseMail } from '../src/ingest/parse.js';

export interface ParseRate {
  rate: number;
  seconds: number;
}

/** The filing ceiling: mailparser's `simpleParser` with its defaults, one message after another. */
export async function measureSimpleParser(messages: Buffer[]): Promise<ParseRate> {
  const started = performance.now();
  for (const message of messages) await simpleParser(message);
  const seconds = (performance.now() - started) / 1000;
  return { rate: messages.length / seconds, seconds };
}

/**
 * A reference point, not a ceiling: Docket's own parse step (src/ingest/parse.ts, a streaming
 * MailParser with text-to-HTML off) with attachments hashed and dropped instead of stored, to show
 * what share of filing is parsing.
 */
export async function measureDocketParse(messages: Buffer[]): Promise<ParseRate> {
  const started = performance.now();
  for (const message of messages) await parseMail(Readable.from([message]), discardingBlobStore);
  const seconds = (performance.now() - started) / 1000;
  return { rate: messages.length / seconds, seconds };
}

export const discardingBlobStore: BlobWriter = {
  async put(source): Promise<StagedBlob> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of source as AsyncIterable<Buffer | string>) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { sha256: hash.digest('hex'), size };
  },
};
