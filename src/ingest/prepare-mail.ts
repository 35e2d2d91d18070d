import type { Readable } from 'node:stream';
import type { BlobWriter, StagedBlob } from '../blobs/blob-store.js';
import type { ParsedMail } from '../mail/parsed-mail.js';
import { classifyMail, type Classification } from './classify.js';
import { parseMail } from './parse.js';

/** Everything filing needs from a raw message that does not need the database. */
export interface PreparedMail {
  mail: ParsedMail;
  classification: Classification;
  /** Attachment bytes already made durable, or held for the filing transaction to record. */
  attachmentBlobs: StagedBlob[];
}

/**
 * Parses and classifies one stored message: the CPU-heavy half of filing, which worker threads
 * run so the SMTP loop never waits for it. Attachments stream into `blobs` as they are read.
 */
export async function prepareMail(
  raw: Readable,
  blobs: BlobWriter,
  envelope: { mailFrom: string | null; fromOutbox: boolean },
): Promise<PreparedMail> {
  const { mail, attachmentBlobs } = await parseMail(raw, blobs);
  const classification = classifyMail(mail, envelope.mailFrom, envelope.fromOutbox);
  return { mail, classification, attachmentBlobs };
}
