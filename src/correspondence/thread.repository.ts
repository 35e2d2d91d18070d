import { sql } from 'kysely';
import type { Trx } from '../db/database.js';

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
