import { createHash } from 'node:crypto';
import mailsplit from 'mailsplit';
import addressparser from 'nodemailer/lib/addressparser';
import { normalizeMessageId } from './message-id.js';

export interface EnvelopeHeaders {
  messageId: string | null;
  fromAddress: string | null;
  /** The Date header when it parses; imports keep it as the message's received time. */
  date: Date | null;
}

/**
 * The two headers the SMTP edge needs before it answers: Message-ID (to store a message once per
 * project) and the From address (for the project's sender policy). The full parse happens later.
 */
export function readEnvelopeHeaders(headerBlock: Buffer): EnvelopeHeaders {
  const headers = new mailsplit.Headers(headerBlock);
  const rawId = headers.getFirst('message-id');
  const from = addressparser(headers.getFirst('from'), { flatten: true }).find((a) => a.address);
  const date = new Date(headers.getFirst('date'));
  return {
    messageId: rawId ? normalizeMessageId(rawId) : null,
    fromAddress: from ? from.address.toLowerCase() : null,
    date: Number.isNaN(date.getTime()) ? null : date,
  };
}

/**
 * The identity under which a message is stored once per project: its Message-ID, or, when it has
 * none, its exact bytes.
 */
export function dedupeKey(messageId: string | null, rawSha256: string): string {
  return messageId
    ? `mid:${createHash('sha256').update(messageId).digest('hex')}`
    : `raw:${rawSha256}`;
}
