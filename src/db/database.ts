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
  working_weekdays: Defaulted<number[]>;
  holidays: Defaulted<string[]>;
  review_days: Defaulted<number>;
  rfi_days: Defaulted<number>;
  ack_days: Defaulted<number>;
  require_dmarc: Defaulted<boolean>;
  response_aliases: ColumnType<Record<string, string>, string | undefined, string>;
  rfi_manager: ColumnType<string | null, string | null | undefined, string | null>;
  /** Local 'HH:MM' the daily reminders go out on working days (migration 2026-11-27T1400). */
  digest_time: Defaulted<string>;
  escalate_after_days: Defaulted<number>;
  escalate_admin_after_days: Defaulted<number>;
}

export type MemberRole = 'manager' | 'reviewer' | 'member';

export interface MembersTable {
  project_id: number;
  id: Generated<number>;
  email: string;
  name: string | null;
  role: Defaulted<MemberRole>;
  created_at: Defaulted<Date>;
  /** Last local date (`YYYY-MM-DD`) their reminders are paused; '9999-12-31' until resumed. */
  reminders_paused_until: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface BlobsTable {
  sha256: string;
  size: number;
  storage: 'files' | 'database';
  data: Buffer | null;
  created_at: Defaulted<Date>;
}

export type InboundTransport = 'smtp' | 'lmtp' | 'import' | 'outbound';

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
  /** Derived by triggers for the correspondence log (migration 2026-11-27T1100); never written. */
  search: ColumnType<string, never, never>;
  /** To and Cc addresses and the '@domain' of each, lowercased. */
  recipients: ColumnType<string[], never, never>;
  from_domain: ColumnType<string | null, never, never>;
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

/** pending: waits to be read; no_text: the file has none to read; failed: reading did not finish. */
export type AttachmentTextState = 'pending' | 'extracted' | 'no_text' | 'failed';

/** An attachment's text and whether it was read (migration 2026-12-04T1000). */
export interface AttachmentTextsTable {
  project_id: number;
  attachment_id: number;
  message_id: number;
  blob_sha256: string;
  state: Defaulted<AttachmentTextState>;
  /** What the file turned out to be: pdf, docx, xlsx, pptx, text, html, image, … */
  kind: ColumnType<string | null, string | null | undefined, string | null>;
  /** no_text and failed: why. extracted: what was left out, if anything. */
  detail: ColumnType<string | null, string | null | undefined, string | null>;
  pages: ColumnType<number | null, number | null | undefined, number | null>;
  text: ColumnType<string | null, string | null | undefined, string | null>;
  /** Derived from `text` by a trigger; never written. */
  search: ColumnType<string | null, never, never>;
  search_bytes: ColumnType<number, never, never>;
  attempts: Defaulted<number>;
  claimed_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  queued_at: Defaulted<Date>;
  extracted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type ReviewerSteps = string[][];

export interface WorkflowsTable {
  project_id: number;
  id: Generated<number>;
  name: string;
  spec_prefix: string | null;
  steps: Json<ReviewerSteps>;
  created_at: Defaulted<Date>;
}

export type SubmittalStatus = 'draft' | 'open' | 'closed';

export interface SubmittalsTable {
  project_id: number;
  id: Generated<number>;
  spec_section: string;
  seq: number;
  title: string;
  type: Defaulted<string>;
  status: SubmittalStatus;
  decision: string | null;
  revision: Defaulted<number>;
  submitter: string;
  submitter_name: string | null;
  responsible_contractor: string | null;
  submittal_manager: string | null;
  ball_in_court: Defaulted<string[]>;
  due_at: Date | null;
  required_on_site: ColumnType<string | null, string | null, string | null>;
  lead_time_days: number | null;
  distribution: Defaulted<string[]>;
  thread_id: number | null;
  received_at: Date;
  issued_at: Date | null;
  closed_at: Date | null;
}

export interface SubmittalRevisionsTable {
  project_id: number;
  submittal_id: number;
  revision: number;
  status: 'in_review' | 'decided';
  decision: string | null;
  steps: Json<ReviewerSteps>;
  current_step: Defaulted<number>;
  message_id: number | null;
  received_at: Date;
  decided_at: Date | null;
}

export interface ReviewStepsTable {
  project_id: number;
  submittal_id: number;
  revision: number;
  step: number;
  reviewer: string;
  member_id: number | null;
  state: 'waiting' | 'pending' | 'answered';
  decision: string | null;
  comment: string | null;
  due_at: Date | null;
  notified_at: Date | null;
  answered_at: Date | null;
  answer_message_id: number | null;
}

export interface SubmittalDocumentsTable {
  project_id: number;
  submittal_id: number;
  revision: number;
  attachment_id: number;
  kind: 'document' | 'markup';
  added_by: string | null;
}

export interface TransmittalsTable {
  project_id: number;
  id: Generated<number>;
  number: number;
  subject: string;
  sender: string;
  sender_name: string | null;
  purpose: string;
  sent_via: string;
  remarks: Defaulted<string>;
  cover_sha256: string | null;
  message_id: number | null;
  thread_id: number | null;
  status: 'open' | 'closed';
  due_at: Date | null;
  created_at: Date;
  closed_at: Date | null;
}

export interface TransmittalItemsTable {
  project_id: number;
  transmittal_id: number;
  position: number;
  attachment_id: number | null;
  description: string;
  format: string;
  copies: Defaulted<number>;
  file_name: string;
  size: number;
  sha256: string;
}

export interface TransmittalRecipientsTable {
  project_id: number;
  transmittal_id: number;
  email: string;
  name: string | null;
  role: 'to' | 'cc';
  acknowledged_at: Date | null;
  ack_message_id: number | null;
}

export interface ItemsTable {
  project_id: number;
  id: Generated<number>;
  prefix: string;
  number: number;
  subject: string;
  question: string;
  asker: string;
  asker_name: string | null;
  ball_in_court: Defaulted<string[]>;
  status: 'open' | 'answered' | 'closed';
  answer: string | null;
  answered_by: string | null;
  due_at: Date | null;
  thread_id: number | null;
  message_id: number | null;
  created_at: Date;
  answered_at: Date | null;
  closed_at: Date | null;
}

export interface AuditEventsTable {
  project_id: number;
  id: Generated<number>;
  record_type: string;
  record_id: number;
  at: Date;
  actor: string | null;
  action: string;
  details: Json<Record<string, unknown>>;
}

export interface UsedReplyTokensTable {
  project_id: number;
  token_id: string;
  used_at: Date;
  message_id: number | null;
}

export type OutboxStatus = 'captured' | 'queued' | 'sent' | 'failed';

export interface OutboxAttachment {
  filename: string;
  contentType: string;
  sha256: string;
}

export interface OutboxTable {
  project_id: number;
  id: Generated<number>;
  kind: string;
  status: OutboxStatus;
  message_id: string;
  raw_sha256: string;
  envelope_from: string;
  from_address: string;
  to_addresses: string[];
  reply_to: string | null;
  subject: string;
  text_body: string;
  html_body: string | null;
  headers: Json<Record<string, string>>;
  attachments: Json<OutboxAttachment[]>;
  record_type: string | null;
  record_id: number | null;
  thread_id: number | null;
  attempts: Defaulted<number>;
  next_attempt_at: Date | null;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string | null;
  is_admin: Defaulted<boolean>;
  created_at: Defaulted<Date>;
}

export interface WebSessionsTable {
  /** SHA-256 (hex) of the cookie's token; the token itself is never stored. */
  id: string;
  user_id: number;
  csrf_secret: string;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
}

export interface LoginTokensTable {
  token_hash: string;
  email: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface LoginRequestsTable {
  id: Generated<number>;
  email: string;
  client_address: string | null;
  requested_at: Date;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: Defaulted<string>;
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  token_hash: string;
  /** The token's first characters, so a person can tell their tokens apart. */
  prefix: string;
  created_at: Defaulted<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface UndeliverableAddressesTable {
  email: string;
  reason: string;
  marked_at: Date;
  source_project_id: number | null;
  source_message_id: number | null;
}

export interface RemindersSentTable {
  job: string;
  person: string;
  local_date: string;
  project_id: number | null;
  outbox_project_id: number | null;
  outbox_id: number | null;
  item_count: number;
  created_at: Date;
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
  attachment_texts: AttachmentTextsTable;
  workflows: WorkflowsTable;
  submittals: SubmittalsTable;
  submittal_revisions: SubmittalRevisionsTable;
  review_steps: ReviewStepsTable;
  submittal_documents: SubmittalDocumentsTable;
  transmittals: TransmittalsTable;
  transmittal_items: TransmittalItemsTable;
  transmittal_recipients: TransmittalRecipientsTable;
  items: ItemsTable;
  audit_events: AuditEventsTable;
  used_reply_tokens: UsedReplyTokensTable;
  outbox: OutboxTable;
  users: UsersTable;
  web_sessions: WebSessionsTable;
  login_tokens: LoginTokensTable;
  login_requests: LoginRequestsTable;
  api_tokens: ApiTokensTable;
  undeliverable_addresses: UndeliverableAddressesTable;
  reminders_sent: RemindersSentTable;
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
export type Submittal = Selectable<SubmittalsTable>;
export type ReviewStep = Selectable<ReviewStepsTable>;
export type Transmittal = Selectable<TransmittalsTable>;
export type Item = Selectable<ItemsTable>;
export type OutboxMessage = Selectable<OutboxTable>;
export type User = Selectable<UsersTable>;
