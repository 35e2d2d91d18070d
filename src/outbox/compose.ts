import MailComposer from 'nodemailer/lib/mail-composer';

export interface OutboundMail {
  messageId: string;
  from: { name: string; address: string };
  to: string[];
  replyTo: string | null;
  subject: string;
  text: string;
  html: string | null;
  inReplyTo: string | null;
  references: string[];
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: Buffer }[];
  date: Date;
}

/** Builds the exact bytes that will be stored, filed and sent. */
export function composeMail(mail: OutboundMail): Promise<Buffer> {
  const composer = new MailComposer({
    messageId: `<${mail.messageId}>`,
    date: mail.date,
    from: mail.from,
    to: mail.to,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    ...(mail.inReplyTo ? { inReplyTo: `<${mail.inReplyTo}>` } : {}),
    ...(mail.references.length > 0 ? { references: mail.references.map((id) => `<${id}>`) } : {}),
    headers: mail.headers,
    attachments: mail.attachments,
  });
  return new Promise((resolve, reject) => {
    // Store exactly what goes on the wire: SMTP turns bare LF into CRLF, so do it first. Every
    // part is 7-bit (quoted-printable or base64), so a latin1 round trip is lossless.
    composer
      .compile()
      .build((error, message) =>
        error
          ? reject(error)
          : resolve(Buffer.from(message.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1')),
      );
  });
}
