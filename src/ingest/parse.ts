import type { Readable } from 'node:stream';
import {
  MailParser,
  type AddressObject,
  type AttachmentStream,
  type EmailAddress,
  type HeaderLines,
  type MessageText,
  type StructuredHeader,
} from 'mailparser';
import type { BlobWriter, StagedBlob } from '../blobs/blob-store.js';
import { normalizeMessageId, parseMessageIdList } from '../mail/message-id.js';
import type { MailAddress, ParsedAttachment, ParsedMail } from '../mail/parsed-mail.js';

export interface ParseResult {
  mail: ParsedMail;
  /** Attachment bytes already made durable; the caller records them with the message. */
  attachmentBlobs: StagedBlob[];
}

/** Delivery reports are small; more than this is not a report we need to read whole. */
const MAX_DELIVERY_STATUS_BYTES = 64 * 1024;

/**
 * Parses a stored raw message with mailparser's streaming parser. Attachments stream straight into
 * the blob store (never held whole in memory); everything else becomes a plain `ParsedMail`.
 * A message mailparser cannot finish is still returned, with what was read and a warning.
 */
export async function parseMail(raw: Readable, blobs: BlobWriter): Promise<ParseResult> {
  const parser = new MailParser({
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    keepDeliveryStatus: true,
    checksumAlgo: false,
  });
  const warnings: string[] = [];
  const attachments: ParsedAttachment[] = [];
  const attachmentBlobs: StagedBlob[] = [];
  const deliveryStatus: string[] = [];
  let text: MessageText | null = null;
  let headerLines: HeaderLines = [];
  let pending: Promise<void> = Promise.resolve();

  parser.on('headerLines', (lines: HeaderLines) => {
    if (headerLines.length === 0) headerLines = lines;
  });
  parser.on('data', (data: AttachmentStream | MessageText) => {
    if (data.type === 'text') {
      text = data;
      return;
    }
    // Attachments are consumed one at a time: the parser waits for release() before the next.
    pending = pending.then(() =>
      storeAttachment(data, blobs, attachments, attachmentBlobs, deliveryStatus),
    );
  });

  const finished = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', (error: Error) => {
      warnings.push(
        `the MIME structure could not be fully parsed (${error.message}); the raw message is kept`,
      );
      resolve();
    });
  });
  raw.on('error', (error) => parser.destroy(error));
  raw.pipe(parser);
  await finished;
  await pending;

  const headers = headerMap(headerLines);
  const parsed = parser.headers || new Map();
  const first = (name: string) => headers.get(name)?.[0] ?? null;
  const rawDate = first('date');
  const date = parsed.get('date') instanceof Date ? (parsed.get('date') as Date) : null;
  // mailparser substitutes the current time for a Date it cannot read; that is not the sent time.
  const validDate =
    date && !Number.isNaN(date.getTime()) && rawDate && !Number.isNaN(Date.parse(rawDate))
      ? date
      : null;
  const messageId = first('message-id') ? normalizeMessageId(first('message-id') ?? '') : null;
  const from = addresses(parsed.get('from'))[0] ?? null;
  const contentType = (parsed.get('content-type') as StructuredHeader | undefined) ?? null;
  const body = text as MessageText | null;

  if (!first('message-id')) warnings.push('no Message-ID header');
  else if (!messageId) warnings.push(`unusable Message-ID ${JSON.stringify(first('message-id'))}`);
  if (!rawDate) warnings.push('no Date header');
  else if (!validDate) warnings.push(`unparseable Date header ${JSON.stringify(rawDate)}`);
  if (!from) warnings.push('no usable From address');
  if (headerLines.some((line) => /[\u0080-\uffff]/.test(line.line) && !/=\?/.test(line.line))) {
    warnings.push('raw 8-bit characters in headers (decoded as UTF-8 where possible)');
  }
  if (body?.textConversionError)
    warnings.push(`HTML could not be converted to text (${body.textConversionError.message})`);

  const mail: ParsedMail = {
    headers,
    messageId,
    inReplyTo: (headers.get('in-reply-to') ?? []).flatMap(parseMessageIdList),
    references: (headers.get('references') ?? []).flatMap(parseMessageIdList),
    subject: typeof parsed.get('subject') === 'string' ? (parsed.get('subject') as string) : '',
    from,
    to: addresses(parsed.get('to')),
    cc: addresses(parsed.get('cc')),
    replyTo: addresses(parsed.get('reply-to')),
    date: validDate,
    rootContentType: {
      value: (contentType?.value ?? 'text/plain').toLowerCase(),
      params: lowercaseKeys(contentType?.params ?? {}),
    },
    text: body?.text ?? null,
    html: typeof body?.html === 'string' ? body.html : null,
    attachments,
    deliveryStatus: deliveryStatus.length > 0 ? deliveryStatus.join('\n') : null,
    warnings,
  };
  return { mail, attachmentBlobs };
}

async function storeAttachment(
  attachment: AttachmentStream,
  blobs: BlobWriter,
  attachments: ParsedAttachment[],
  staged: StagedBlob[],
  deliveryStatus: string[],
): Promise<void> {
  const isReport = attachment.contentType === 'message/delivery-status';
  const reportChunks: Buffer[] = [];
  let reportBytes = 0;
  async function* tee(): AsyncGenerator<Buffer> {
    for await (const chunk of attachment.content as AsyncIterable<Buffer>) {
      if (isReport && reportBytes < MAX_DELIVERY_STATUS_BYTES) {
        reportChunks.push(chunk);
        reportBytes += chunk.length;
      }
      yield chunk;
    }
  }
  try {
    const blob = await blobs.put(tee());
    staged.push(blob);
    attachments.push({
      filename: attachment.filename ?? null,
      contentType: attachment.contentType,
      size: blob.size,
      sha256: blob.sha256,
      contentId: attachment.contentId ? attachment.contentId.replace(/^<|>$/g, '') : null,
      inline: attachment.contentDisposition === 'inline' || Boolean(attachment.related),
    });
    if (isReport) deliveryStatus.push(Buffer.concat(reportChunks).toString('utf8'));
  } finally {
    attachment.release?.();
  }
}

function headerMap(lines: HeaderLines): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    const value = (colon < 0 ? '' : line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, ' ').trim();
    const name = key.toLowerCase();
    map.set(name, [...(map.get(name) ?? []), value]);
  }
  return map;
}

function addresses(value: unknown): MailAddress[] {
  const objects = (Array.isArray(value) ? value : value ? [value] : []) as AddressObject[];
  const flat = (list: EmailAddress[]): EmailAddress[] =>
    list.flatMap((entry) => (entry.group ? flat(entry.group) : [entry]));
  return objects
    .flatMap((object) => flat(object.value ?? []))
    .map((entry) => ({ address: (entry.address ?? '').toLowerCase(), name: entry.name ?? '' }));
}

function lowercaseKeys(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key.toLowerCase(), value]),
  );
}
