import { sql } from 'kysely';
import type { Trx } from '../db/database.js';
import {
  threadKeyString,
  type ThreadCandidate,
  type ThreadKey,
  type ThreadStore,
} from '../mail/threading.js';

/** The threading rules' view of one project's threads, read inside the filing transaction. */
export function databaseThreadStore(trx: Trx, projectId: number): ThreadStore {
  return {
    async threadsForKeys(keys) {
      if (keys.length === 0) return new Map();
      const rows = await trx
        .selectFrom('thread_keys')
        .select(['key', 'thread_id'])
        .where('project_id', '=', projectId)
        .where('key', 'in', keys)
        .execute();
      return new Map(rows.map((row) => [row.key, row.thread_id]));
    },
    async hasMessageInThread(threadId, messageId) {
      const row = await trx
        .selectFrom('messages')
        .select('id')
        .where('project_id', '=', projectId)
        .where('thread_id', '=', threadId)
        .where('message_id', '=', messageId)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
    async recentThreadsBySubject(normalizedSubject, since): Promise<ThreadCandidate[]> {
      const rows = await trx
        .selectFrom('threads')
        .select(['id', 'normalized_subject', 'last_message_at', 'participants'])
        .where('project_id', '=', projectId)
        .where('normalized_subject', '=', normalizedSubject)
        .where('last_message_at', '>=', since)
        .where('merged_into', 'is', null)
        .orderBy('last_message_at', 'desc')
        .limit(20)
        .execute();
      return rows.map((row) => ({
        threadId: row.id,
        normalizedSubject: row.normalized_subject,
        lastMessageAt: row.last_message_at,
        participants: row.participants,
      }));
    },
  };
}

export async function createThread(
  trx: Trx,
  projectId: number,
  input: { subject: string; normalizedSubject: string; at: Date },
): Promise<number> {
  const row = await trx
    .insertInto('threads')
    .values({
      project_id: projectId,
      subject: input.subject,
      normalized_subject: input.normalizedSubject,
      first_message_at: input.at,
      last_message_at: input.at,
      merged_into: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Binds keys to a thread; a key already bound keeps its thread (merges move keys explicitly). */
export async function bindThreadKeys(
  trx: Trx,
  projectId: number,
  threadId: number,
  keys: ThreadKey[],
): Promise<void> {
  const unique = [...new Set(keys.map(threadKeyString))];
  if (unique.length === 0) return;
  await trx
    .insertInto('thread_keys')
    .values(unique.map((key) => ({ project_id: projectId, key, thread_id: threadId })))
    .onConflict((oc) => oc.columns(['project_id', 'key']).doNothing())
    .execute();
}

/**
 * Folds threads that one message proved to be the same conversation into `into`: their messages
 * and keys move, and each merged thread remembers where it went.
 */
export async function mergeThreads(
  trx: Trx,
  projectId: number,
  into: number,
  merged: number[],
): Promise<void> {
  if (merged.length === 0) return;
  await trx
    .updateTable('messages')
    .set({ thread_id: into })
    .where('project_id', '=', projectId)
    .where('thread_id', 'in', merged)
    .execute();
  await trx
    .updateTable('thread_keys')
    .set({ thread_id: into })
    .where('project_id', '=', projectId)
    .where('thread_id', 'in', merged)
    .execute();
  await trx
    .updateTable('threads')
    .set({ merged_into: into, message_count: 0 })
    .where('project_id', '=', projectId)
    .where('id', 'in', merged)
    .execute();
  await refreshThreadSummary(trx, projectId, into);
}

/** Recomputes a thread's counts, dates, participants and subject from its messages. */
export async function refreshThreadSummary(
  trx: Trx,
  projectId: number,
  threadId: number,
): Promise<void> {
  await sql`
    update threads t set
      message_count = s.message_count,
      first_message_at = s.first_at,
      last_message_at = s.last_at,
      participants = s.participants,
      subject = coalesce(s.first_subject, t.subject)
    from (
      select
        count(*)::int as message_count,
        min(coalesce(m.sent_at, m.received_at)) as first_at,
        max(coalesce(m.sent_at, m.received_at)) as last_at,
        (array_agg(m.subject order by coalesce(m.sent_at, m.received_at), m.id))[1] as first_subject,
        coalesce((
          select array_agg(distinct p order by p) from messages m2,
            lateral unnest(array[m2.from_address] ||
              array(select jsonb_array_elements(m2.to_addresses) ->> 'address') ||
              array(select jsonb_array_elements(m2.cc_addresses) ->> 'address')) as p
          where m2.project_id = ${projectId} and m2.thread_id = ${threadId} and p is not null and p <> ''
        ), '{}') as participants
      from messages m
      where m.project_id = ${projectId} and m.thread_id = ${threadId}
    ) s
    where t.project_id = ${projectId} and t.id = ${threadId}
  `.execute(trx);
}

/** Counts one more message into a thread without rereading the thread: the common case. */
export async function addToThreadSummary(
  trx: Trx,
  projectId: number,
  threadId: number,
  message: { at: Date; participants: string[] },
): Promise<void> {
  await trx
    .updateTable('threads')
    .set((eb) => ({
      message_count: eb('message_count', '+', 1),
      first_message_at: sql<Date>`least(first_message_at, ${message.at})`,
      last_message_at: sql<Date>`greatest(last_message_at, ${message.at})`,
      participants: sql<
        string[]
      >`array(select distinct p from unnest(participants || ${message.participants}::text[]) p order by p)`,
    }))
    .where('project_id', '=', projectId)
    .where('id', '=', threadId)
    .execute();
}
