import type { Db } from '../src/db/database.js';
import { sample, type Measured } from './web-measure.js';

/** The thread view: one thread's messages in order, then their attachments in order. */
function threadMessages(db: Db, projectId: number, threadId: number) {
  return db
    .selectFrom('messages')
    .select(['id', 'subject', 'from_address', 'from_name', 'to_addresses', 'cc_addresses'])
    .select(['sent_at', 'received_at', 'text_body', 'reply_text', 'flags', 'attachment_count'])
    .where('project_id', '=', projectId)
    .where('thread_id', '=', threadId)
    .orderBy('received_at')
    .orderBy('id');
}

export async function threadView(db: Db, projectId: number, threadId: number) {
  const messages = await threadMessages(db, projectId, threadId).execute();
  const ids = messages.filter((m) => m.attachment_count > 0).map((m) => m.id);
  const attachments =
    ids.length === 0
      ? []
      : await db
          .selectFrom('attachments')
          .select(['id', 'message_id', 'position', 'filename', 'content_type', 'size', 'inline'])
          .where('project_id', '=', projectId)
          .where('message_id', 'in', ids)
          .orderBy('message_id')
          .orderBy('position')
          .execute();
  return { messages, attachments };
}

export async function measureThreads(
  db: Db,
  projects: number[],
  threadsPerProject: number,
  repeats: number,
): Promise<Measured> {
  const timings: number[] = [];
  let last = { projectId: 1, threadId: 1, messages: 0, attachments: 0 };
  for (const projectId of projects) {
    const threads = await db
      .selectFrom('threads')
      .select('id')
      .where('project_id', '=', projectId)
      .orderBy('id')
      .limit(threadsPerProject)
      .execute();
    for (const { id } of threads) {
      timings.push(...(await sample(repeats, () => threadView(db, projectId, id))));
      const view = await threadView(db, projectId, id);
      last = {
        projectId,
        threadId: id,
        messages: view.messages.length,
        attachments: view.attachments.length,
      };
    }
  }
  return {
    name: 'thread view (messages + attachments)',
    targetMs: 50,
    timings,
    notes: `${threadsPerProject} threads/project; last: ${last.messages} msgs, ${last.attachments} attachments`,
    explain: threadMessages(db, last.projectId, last.threadId).compile(),
  };
}
