import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

/** Columns the database fills in on insert (identity ids, `now()` defaults). */
type Defaulted<T> = ColumnType<T, T | undefined, T>;
type Json<T> = ColumnType<T, string, string>;

export interface ProjectsTable {
  id: Generated<number>;
  code: string;
  name: string;
  timezone: Defaulted<string>;
  sender_policy: Defaulted<'anyone' | 'members'>;
  created_at: Defaulted<Date>;
}

export type MemberRole = 'manager' | 'reviewer' | 'member';

export interface MembersTable {
  project_id: number;
  email: string;
  name: string | null;
  role: Defaulted<MemberRole>;
  created_at: Defaulted<Date>;
}

export interface BlobsTable {
  sha256: string;
  size: number;
  storage: 'files' | 'database';
  data: Buffer | null;
  created_at: Defaulted<Date>;
}

export type InboundTransport = 'smtp' | 'lmtp' | 'import';

export interface InboundMessagesTable {
  project_id: number;
  id: Generated<number>;
  raw_sha256: string;
  raw_size: number;
  dedupe_key: string;
  transport: InboundTransport;
  mail_from: string | null;
  rcpt_to: string[];
  client_address: string | null;
  client_hostname: string | null;
  helo: string | null;
  smtp_session_id: string | null;
  received_at: Date;
  deliveries: Defaulted<number>;
  state: Defaulted<'received' | 'filed'>;
  attempts: Defaulted<number>;
  claimed_until: Date | null;
  last_error: string | null;
  filed_at: Date | null;
}

export interface ThreadsTable {
  project_id: number;
  id: Generated<number>;
  subject: string;
  normalized_subject: string;
  participants: Defaulted<string[]>;
  message_count: Defaulted<number>;
  first_message_at: Date;
  last_message_at: Date;
  merged_into: number | null;
}

export interface ThreadKeysTable {
  project_id: number;
  key: string;
  thread_id: number;
}

export interface StoredAddress {
  address: string;
  name: string;
}

export interface FilingReasonRecord {
  rule: string;
  detail: string;
}

export interface MessagesTable {
  project_id: number;
  id: Generated<number>;
  inbound_id: number;
  thread_id: number;
  message_id: string | null;
  parent_message_id: string | null;
  in_reply_to: string[];
  references: string[];
  thread_index: string | null;
  subject: string;
  normalized_subject: string;
  from_address: string | null;
  from_name: string | null;
  to_addresses: Json<StoredAddress[]>;
  cc_addresses: Json<StoredAddress[]>;
  reply_to_addresses: Json<StoredAddress[]>;
  sent_at: Date | null;
  received_at: Date;
  text_body: string | null;
  html_body: string | null;
  reply_text: string;
  elided_text: string;
  flags: string[];
  classification: Json<Record<string, unknown>>;
  parse_warnings: string[];
  filing_reasons: Json<FilingReasonRecord[]>;
  attachment_count: number;
  filed_at: Date;
}

export interface AttachmentsTable {
  project_id: number;
  id: Generated<number>;
  message_id: number;
  position: number;
  blob_sha256: string;
  filename: string | null;
  content_type: string;
  size: number;
  content_id: string | null;
  inline: boolean;
}

export interface Database {
  projects: ProjectsTable;
  members: MembersTable;
  blobs: BlobsTable;
  inbound_messages: InboundMessagesTable;
  threads: ThreadsTable;
  thread_keys: ThreadKeysTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;

export type Project = Selectable<ProjectsTable>;
export type Member = Selectable<MembersTable>;
export type InboundMessage = Selectable<InboundMessagesTable>;
export type NewInboundMessage = Insertable<InboundMessagesTable>;
export type Thread = Selectable<ThreadsTable>;
export type Message = Selectable<MessagesTable>;
export type Attachment = Selectable<AttachmentsTable>;
