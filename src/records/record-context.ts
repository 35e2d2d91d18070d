import type { Db, Project } from '../db/database.js';
import type { ParsedMail } from '../mail/parsed-mail.js';
import type { OutboxContext } from '../outbox/enqueue.js';
import type { Classification } from '../ingest/classify.js';
import type { DNSResolver } from 'mailauth';

/** What record rules need besides the transaction: where mail goes and how replies are signed. */
export interface RecordContext {
  outbox: OutboxContext;
  /** Signs reply tokens; without it notifications carry no reply address and decisions are refused. */
  secret: string | null;
  mailDomain: string;
  /** Tests serve their own DNS records to the sender authentication; production uses the system's. */
  dnsResolver?: DNSResolver;
  /** Lets rules open a fresh read outside the transaction when they must (none do yet). */
  db?: Db;
}

export interface FiledAttachment {
  id: number;
  filename: string | null;
  contentType: string;
  size: number;
  sha256: string;
  inline: boolean;
}

/** A message just filed, as the record rules see it. */
export interface RoutedMessage {
  project: Project;
  inbound: {
    id: number;
    rcptTo: string[];
    mailFrom: string | null;
    clientAddress: string | null;
    helo: string | null;
    rawSha256: string;
    transport: string;
  };
  messageId: number;
  threadId: number;
  mail: ParsedMail;
  classification: Classification;
  attachments: FiledAttachment[];
}
