import type { Db } from '../db/database.js';

export interface ThreadSummary {
  id: number;
  subject: string;
  messageCount: number;
  firstMessageAt: Date;
  lastMessageAt: Date;
  participants: string[];
  messages: {
    id: number;
    messageId: string | null;
    date: Date;
    from: string | null;
    subject: string;
    flags: string[];
    attachmentCount: number;
    parseWarnings: string[];
    filingReasons: { rule: string; detail: string }[];
  }[];
}

/** A project's threads with their messages, newest thread first and messages newest first. */
export async function listThreadsWithMessages(
  db: Db,
  projectId: number,
  options: { limit: number },
): Promise<ThreadSummary[]> {
  const threads = await db
    .selectFrom('threads')
    .select([
      'id',
      'subject',
      'message_count',
      'first_message_at',
      'last_message_at',
      'participants',
    ])
    .where('project_id', '=', projectId)
    .where('merged_into', 'is', null)
    .orderBy('last_message_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
  if (threads.length === 0) return [];
  const messages = await db
    .selectFrom('messages')
    .select([
      'id',
      'thread_id',
      'message_id',
      'sent_at',
      'received_at',
      'from_address',
      'subject',
      'flags',
      'attachment_count',
      'parse_warnings',
      'filing_reasons',
    ])
    .where('project_id', '=', projectId)
    .where(
      'thread_id',
      'in',
      threads.map((t) => t.id),
    )
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return threads.map((thread) => ({
    id: thread.id,
    subject: thread.subject,
    messageCount: thread.message_count,
    firstMessageAt: thread.first_message_at,
    lastMessageAt: thread.last_message_at,
    participants: thread.participants,
    messages: messages
      .filter((m) => m.thread_id === thread.id)
      .map((m) => ({
        id: m.id,
        messageId: m.message_id,
        date: m.sent_at ?? m.received_at,
        from: m.from_address,
        subject: m.subject,
        flags: m.flags,
        attachmentCount: m.attachment_count,
        parseWarnings: m.parse_warnings,
        filingReasons: m.filing_reasons,
      }))
      .sort((a, b) => b.date.getTime() - a.date.getTime() || b.id - a.id),
  }));
}
