/** A plain reply as a mail client writes it, with optional attachment, CRLF line ends. */
export function composeReply(args: {
  from: string;
  to: string;
  subject: string;
  inReplyTo?: string | null;
  messageId: string;
  body: string;
  headers?: Record<string, string>;
  attachment?: { filename: string; content: Buffer; contentType: string };
}): string {
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
  if (!args.attachment) {
    return [...head, 'Content-Type: text/plain; charset=utf-8', '', args.body, ''].join('\r\n');
  }
  const base64 = args.attachment.content.toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    ...head,
    'Content-Type: multipart/mixed; boundary="docket-test-boundary"',
    '',
    '--docket-test-boundary',
    'Content-Type: text/plain; charset=utf-8',
    '',
    args.body,
    '--docket-test-boundary',
    `Content-Type: ${args.attachment.contentType}; name="${args.attachment.filename}"`,
    `Content-Disposition: attachment; filename="${args.attachment.filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    base64,
    '--docket-test-boundary--',
    '',
  ].join('\r\n');
}
