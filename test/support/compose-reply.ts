export interface ComposedAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

/** A plain reply as a mail client writes it, with optional attachments, CRLF line ends. */
export function composeReply(args: {
  from: string;
  to: string;
  subject: string;
  inReplyTo?: string | null;
  messageId: string;
  body: string;
  headers?: Record<string, string>;
  attachment?: ComposedAttachment;
  attachments?: readonly ComposedAttachment[];
}): string {
  const attachments = [...(args.attachment ? [args.attachment] : []), ...(args.attachments ?? [])];
  const head = [
    `From: ${args.from}`,
    `To: ${args.to}`,
    `Subject: ${args.subject}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${args.messageId}>`,
    ...(args.inReplyTo
      ? [`In-Reply-To: <${args.inReplyTo}>`, `References: <${args.inReplyTo}>`]
      : []),
    ...Object.entries(args.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
  ];
  if (attachments.length === 0) {
    return [...head, 'Content-Type: text/plain; charset=utf-8', '', args.body, ''].join('\r\n');
  }
  return [
    ...head,
    'Content-Type: multipart/mixed; boundary="docket-test-boundary"',
    '',
    '--docket-test-boundary',
    'Content-Type: text/plain; charset=utf-8',
    '',
    args.body,
    ...attachments.flatMap((attachment) => [
      '--docket-test-boundary',
      `Content-Type: ${attachment.contentType}; name="${attachment.filename}"`,
      `Content-Disposition: attachment; filename="${attachment.filename}"`,
      'Content-Transfer-Encoding: base64',
      '',
      attachment.content.toString('base64').replace(/.{76}/g, '$&\r\n'),
    ]),
    '--docket-test-boundary--',
    '',
  ].join('\r\n');
}
