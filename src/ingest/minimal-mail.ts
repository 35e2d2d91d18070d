import mailsplit from 'mailsplit';
import type { BlobStore } from '../blobs/blob-store.js';
import { readEnvelopeHeaders } from '../mail/envelope-headers.js';
import { headerBlockOf } from '../mail/header-capture.js';
import type { ParsedMail } from '../mail/parsed-mail.js';

/**
 * The little that can be read from a message whose full processing keeps failing: its headers.
 * Filing it this way keeps the promise that every stored message reaches the log; the raw
 * message stays downloadable and the warning says why it was not processed.
 */
export async function minimalMail(
  blobs: BlobStore,
  rawSha256: string,
  reason: string,
): Promise<ParsedMail> {
  const block = headerBlockOf(await blobs.read(rawSha256));
  const headers = new mailsplit.Headers(block);
  const envelope = readEnvelopeHeaders(block);
  const map = new Map<string, string[]>();
  for (const { key, line } of headers.getList()) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    map.set(key.toLowerCase(), [...(map.get(key.toLowerCase()) ?? []), value]);
  }
  // getFirst decodes encoded words already.
  const subject = headers.getFirst('subject');
  return {
    headers: map,
    messageId: envelope.messageId,
    inReplyTo: [],
    references: [],
    subject,
    from: envelope.fromAddress ? { address: envelope.fromAddress, name: '' } : null,
    to: [],
    cc: [],
    replyTo: [],
    date: envelope.date,
    rootContentType: { value: 'application/octet-stream', params: {} },
    text: null,
    html: null,
    attachments: [],
    deliveryStatus: null,
    warnings: [`filed without processing after repeated failures: ${reason}`],
  };
}
