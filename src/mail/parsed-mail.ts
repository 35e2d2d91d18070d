/**
 * The plain shape every ingest rule works on. `parse.ts` (the only importer of mailparser) builds it
 * from the stored raw message; classification, threading and filing never see a mailparser object.
 */
export interface MailAddress {
  /** Lowercased address, `local@domain`; empty when the header held only a name. */
  address: string;
  name: string;
}

export interface ParsedAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  /** Hex SHA-256 of the decoded content, also its key in the blob store. */
  sha256: string;
  contentId: string | null;
  inline: boolean;
}

export interface ContentType {
  /** Lowercased `type/subtype`, e.g. `multipart/report`. */
  value: string;
  /** Lowercased parameter names, e.g. `{ 'report-type': 'delivery-status' }`. */
  params: Record<string, string>;
}

export interface ParsedMail {
  /** Lowercased header name → raw values in message order (unfolded, encoded words left as sent). */
  headers: ReadonlyMap<string, readonly string[]>;
  /** Normalised Message-ID without angle brackets, or null when missing or unusable. */
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  /** Decoded subject, '' when missing. */
  subject: string;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  /** The Date header, null when missing or unparseable. */
  date: Date | null;
  rootContentType: ContentType;
  text: string | null;
  html: string | null;
  attachments: ParsedAttachment[];
  /** Concatenated bodies of any `message/delivery-status` parts (RFC 3464), null when none. */
  deliveryStatus: string | null;
  /** Human-readable problems found while parsing; the message is filed all the same. */
  warnings: string[];
}
