import { textStatusOf, type AttachmentTextStatus } from '../attachment-text/text-status.js';
import { loadThreadMessages } from '../correspondence/thread-messages.js';
import type { Db, FilingReasonRecord, StoredAddress } from '../db/database.js';

export interface ApiAttachment {
  id: number;
  filename: string | null;
  contentType: string;
  size: number;
  sha256: string;
  inline: boolean;
  contentId: string | null;
  /** Whether its text was read for search; null when it was filed before Docket read attachments. */
  text: AttachmentTextStatus | null;
}

export interface ApiThreadMessage {
  id: number;
  messageId: string | null;
  subject: string;
  from: StoredAddress | null;
  to: StoredAddress[];
  cc: StoredAddress[];
  sentAt: Date | null;
  receivedAt: Date;
  /** What the sender wrote in this message: quoted history and signature cut. */
  newText: string;
  /** What was cut, kept so nothing is hidden. */
  elidedText: string;
  flags: string[];
  parseWarnings: string[];
  /** Why the message was filed in this thread. */
  filingReasons: FilingReasonRecord[];
  rawSha256: string;
  rawSize: number;
  attachments: ApiAttachment[];
}

export interface ApiThread {
  id: number;
  subject: string;
  /** The thread this one was merged into, when a later message joined them. */
  mergedInto: number | null;
  messages: ApiThreadMessage[];
}

/** One thread of a project with its messages, oldest first, and their attachments' metadata. */
export async function findThreadDetail(
  db: Db,
  projectId: number,
  threadId: number,
): Promise<ApiThread | undefined> {
  const loaded = await loadThreadMessages(db, projectId, threadId);
  if (!loaded) return undefined;
  const { thread, messages, attachments } = loaded;
  return {
    id: thread.id,
    subject: thread.subject,
    mergedInto: thread.merged_into,
    messages: messages.map((m) => ({
      id: m.id,
      messageId: m.message_id,
      subject: m.subject,
      from: m.from_address ? { address: m.from_address, name: m.from_name ?? '' } : null,
      to: m.to_addresses,
      cc: m.cc_addresses,
      sentAt: m.sent_at,
      receivedAt: m.received_at,
      newText: m.reply_text,
      elidedText: m.elided_text,
      flags: m.flags,
      parseWarnings: m.parse_warnings,
      filingReasons: m.filing_reasons,
      rawSha256: m.raw_sha256,
      rawSize: m.raw_size,
      attachments: attachments
        .filter((a) => a.message_id === m.id)
        .map((a) => ({
          id: a.id,
          filename: a.filename,
          contentType: a.content_type,
          size: a.size,
          sha256: a.blob_sha256,
          inline: a.inline,
          contentId: a.content_id,
          text: textStatusOf(a),
        })),
    })),
  };
}
