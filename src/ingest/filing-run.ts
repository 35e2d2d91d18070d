import { sql } from 'kysely';
import { insertBlobRows } from '../blobs/blob-store.js';
import { mergeThreads } from '../correspondence/thread.repository.js';
import type { Trx } from '../db/database.js';
import { normalizeSubject } from '../mail/subject.js';
import {
  decideThread,
  DEFAULT_SUBJECT_WINDOW_DAYS,
  threadKeysOf,
  type ThreadDecision,
  type ThreadingInput,
} from '../mail/threading.js';
import { threadFromReplyToken } from '../records/token-thread.js';
import { markHardBounces } from '../reminders/mark-hard-bounces.js';
import { BatchThreadStore } from './batch-thread-store.js';
import type { FiledMessage, FilingContext, InboundForFiling } from './file-message.js';
import type { PreparedMail } from './prepare-mail.js';
import { routeInTransaction } from './route-in-transaction.js';

/** A stored message with its parse and classification, ready to be written. */
export interface FilingItem {
  inbound: InboundForFiling;
  prepared: PreparedMail;
  /** Filed from its headers alone after repeated failures: never acts on records. */
  degraded: boolean;
}

interface Decided {
  item: FilingItem;
  input: ThreadingInput;
  decision: ThreadDecision;
  /** The thread as decided (a merge later in the run may move it, as it would in the database). */
  threadId: number;
  createdThread: boolean;
  boundKeys: string[];
}

const DAY_MS = 86_400_000;
/**
 * Rows per insert: a statement carries at most 65,535 parameters, and one hostile message can
 * name thousands of references or attachments.
 */
const ROWS_PER_STATEMENT = 2000;

/**
 * Writes a run of one project's messages inside the filing transaction (the caller holds the
 * project's advisory lock): decides every thread in memory over what the database held, then
 * inserts the new threads, keys, messages and attachments and advances the thread summaries with
 * a few multi-row statements, applying each merge where it falls in the order. The rows end
 * exactly as filing the messages one at a time would leave them. A `routed` run holds one message
 * for the record rules, which then run on it.
 */
export async function writeFilingRun(
  trx: Trx,
  context: FilingContext,
  projectId: number,
  items: FilingItem[],
  routed: boolean,
  now: Date,
): Promise<FiledMessage[]> {
  const inputs = items.map((item) => threadingInput(item, context.mailDomain));
  const store = await seedThreadStore(trx, projectId, inputs);
  const project =
    routed && context.records
      ? await trx
          .selectFrom('projects')
          .select(['id', 'code'])
          .where('id', '=', projectId)
          .executeTakeFirstOrThrow()
      : null;

  const decided: Decided[] = [];
  for (const [index, item] of items.entries()) {
    const input = inputs[index] as ThreadingInput;
    const decision = await decideThread(input, store);
    if (project && context.records) {
      // A reply to one of our notifications joins its record's thread unless its own references
      // already placed it; a subject guess gives way to the token.
      const token = await threadFromReplyToken(
        trx,
        context.records,
        project,
        item.inbound.rcpt_to,
        now,
      );
      if (
        token &&
        (decision.threadId === null || decision.reasons.some((r) => r.rule === 'subject'))
      ) {
        decision.threadId = token.threadId;
        decision.mergeThreadIds = [];
        decision.reasons.push({
          rule: 'reply-token',
          detail: `sent to a reply address of ours (${token.record})`,
        });
      }
    }
    const applied = store.apply(decision, {
      messageId: input.messageId,
      participants: input.participants,
      at: input.date,
    });
    decided.push({
      item,
      input,
      decision,
      threadId: applied.threadId,
      createdThread: applied.created,
      boundKeys: applied.boundKeys,
    });
  }

  const realId = await createThreads(trx, projectId, decided);
  const real = (threadId: number) => realId.get(threadId) ?? threadId;
  for (const entry of decided) {
    entry.threadId = real(entry.threadId);
    entry.decision.mergeThreadIds = entry.decision.mergeThreadIds.map(real);
    entry.decision.reasons = entry.decision.reasons.map((reason) => ({
      rule: reason.rule,
      detail: reason.detail.replace(/\b\d{16}\b/g, (id) => String(realId.get(Number(id)) ?? id)),
    }));
  }

  // Written in segments that end at a message that merges threads, so every merge recounts its
  // thread from exactly the messages filing one at a time would have had there.
  const messageIds: number[] = [];
  const attachmentIds: number[][] = [];
  for (let start = 0; start < decided.length;) {
    let end = start;
    while (end < decided.length - 1 && (decided[end]?.decision.mergeThreadIds.length ?? 0) === 0) {
      end++;
    }
    const segment = decided.slice(start, end + 1);
    const ids = await writeSegment(trx, projectId, segment, now);
    messageIds.push(...ids.messageIds);
    attachmentIds.push(...ids.attachmentIds);
    start = end + 1;
  }

  if (routed && context.records) {
    for (const [index, { item, decision }] of decided.entries()) {
      if (item.degraded) continue;
      const messageId = messageIds[index] as number;
      const routing = await routeInTransaction(trx, context.records, {
        projectId,
        inboundId: item.inbound.id,
        messageId,
        threadId: decided[index]?.threadId as number,
        mail: item.prepared.mail,
        classification: item.prepared.classification,
        attachmentIds: attachmentIds[index] ?? [],
        raw: () => context.blobs.read(item.inbound.raw_sha256, trx),
        now,
      });
      if (routing.length > 0) {
        await trx
          .updateTable('messages')
          .set({
            filing_reasons: JSON.stringify([
              ...decision.reasons,
              ...item.prepared.classification.reasons,
              ...routing,
            ]),
          })
          .where('project_id', '=', projectId)
          .where('id', '=', messageId)
          .execute();
      }
    }
  }

  return decided.map(({ threadId }, index) => ({
    messageId: messageIds[index] as number,
    threadId,
    alreadyFiled: false,
  }));
}

/**
 * Writes messages that, but for the last one, merge nothing: their keys, rows and attachments,
 * the bounces they report, the summaries of the threads they join; then the last one's merge.
 */
async function writeSegment(
  trx: Trx,
  projectId: number,
  segment: Decided[],
  now: Date,
): Promise<{ messageIds: number[]; attachmentIds: number[][] }> {
  const keys = segment.flatMap(({ boundKeys, threadId }) =>
    boundKeys.map((key) => ({ project_id: projectId, key, thread_id: threadId })),
  );
  for (const chunk of chunked(keys, ROWS_PER_STATEMENT)) {
    await trx
      .insertInto('thread_keys')
      .values(chunk)
      .onConflict((oc) => oc.columns(['project_id', 'key']).doNothing())
      .execute();
  }
  const messageIds = await insertMessages(trx, projectId, segment, now);
  const attachmentIds = await insertAttachments(trx, projectId, segment, messageIds);
  for (const [index, { item }] of segment.entries()) {
    const { flags, details } = item.prepared.classification;
    // A hard bounce of our mail marks the address undeliverable: reminders skip it.
    if (flags.includes('bounce')) {
      const messageId = messageIds[index] as number;
      await markHardBounces(trx, { projectId, messageId, details }, now);
    }
  }
  const last = segment[segment.length - 1];
  const merging = last && last.decision.mergeThreadIds.length > 0 ? last : null;
  await advanceThreadSummaries(trx, projectId, merging ? segment.slice(0, -1) : segment);
  // The merge recounts its surviving thread from its messages, this one included.
  if (merging)
    await mergeThreads(trx, projectId, merging.threadId, merging.decision.mergeThreadIds);
  return { messageIds, attachmentIds };
}

function threadingInput(item: FilingItem, mailDomain: string): ThreadingInput {
  const { mail } = item.prepared;
  const isOurs = (address: string) => address.endsWith(`@${mailDomain}`);
  const participants = [
    ...new Set([mail.from, ...mail.to, ...mail.cc].flatMap((a) => (a?.address ? [a.address] : []))),
  ].filter((address) => !isOurs(address));
  return {
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    threadIndex: mail.headers.get('thread-index')?.[0] ?? null,
    subject: mail.subject,
    participants,
    date: mail.date ?? item.inbound.received_at,
  };
}

/**
 * Reads, in three statements for the whole run, every key its messages name, the threads those
 * keys are bound to, and the recent threads whose subject one of them might match.
 */
async function seedThreadStore(
  trx: Trx,
  projectId: number,
  inputs: ThreadingInput[],
): Promise<BatchThreadStore> {
  const keyStrings = [...new Set(inputs.flatMap(threadKeysOf))];
  const keyRows =
    keyStrings.length === 0
      ? []
      : await trx
          .selectFrom('thread_keys')
          .select(['key', 'thread_id'])
          .where('project_id', '=', projectId)
          .where(sql<boolean>`key = any(${keyStrings}::text[])`)
          .execute();
  const keys = new Map(keyRows.map((row) => [row.key, row.thread_id]));
  const subjects = [...new Set(inputs.map((input) => normalizeSubject(input.subject).normalized))];
  const earliest = Math.min(...inputs.map((input) => input.date.getTime()));
  const since = new Date(earliest - DEFAULT_SUBJECT_WINDOW_DAYS * DAY_MS);
  const threadIds = [...new Set(keys.values())];
  const threads = await trx
    .selectFrom('threads')
    .select(['id', 'normalized_subject', 'last_message_at', 'participants'])
    .where('project_id', '=', projectId)
    .where('merged_into', 'is', null)
    .where((eb) =>
      eb.or([
        ...(threadIds.length > 0 ? [eb('id', 'in', threadIds)] : []),
        eb.and([eb('normalized_subject', 'in', subjects), eb('last_message_at', '>=', since)]),
      ]),
    )
    .execute();
  return new BatchThreadStore({
    keys,
    threads: threads.map((row) => ({
      threadId: row.id,
      normalizedSubject: row.normalized_subject,
      lastMessageAt: row.last_message_at,
      participants: row.participants,
    })),
    async hasMessageInThreads(ids, messageId) {
      const row = await trx
        .selectFrom('messages')
        .select('id')
        .where('project_id', '=', projectId)
        .where('thread_id', 'in', ids)
        .where('message_id', '=', messageId)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
  });
}

/**
 * Inserts the run's new threads under ids drawn from the threads' own sequence, in the order the
 * threads were created, and returns provisional id → real id.
 */
async function createThreads(
  trx: Trx,
  projectId: number,
  decided: Decided[],
): Promise<Map<number, number>> {
  const created = decided.filter((entry) => entry.createdThread);
  const realId = new Map<number, number>();
  if (created.length === 0) return realId;
  const drawn = await sql<{ id: number }>`
    select nextval(pg_get_serial_sequence('threads', 'id'))::bigint as id
    from generate_series(1, ${created.length}::int)
  `.execute(trx);
  const ids = drawn.rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  created.forEach((entry, index) => realId.set(entry.threadId, ids[index] as number));
  const rows = created.map(
    (
      entry,
    ) => sql`(${projectId}::bigint, ${realId.get(entry.threadId)}::bigint, ${entry.input.subject},
      ${entry.decision.normalizedSubject}, ${entry.input.date}::timestamptz, ${entry.input.date}::timestamptz)`,
  );
  // Kysely has no OVERRIDING SYSTEM VALUE; the ids come from the identity's own sequence.
  await sql`
    insert into threads (project_id, id, subject, normalized_subject, first_message_at, last_message_at)
    overriding system value values ${sql.join(rows)}
  `.execute(trx);
  return realId;
}

async function insertMessages(
  trx: Trx,
  projectId: number,
  decided: Decided[],
  now: Date,
): Promise<number[]> {
  const rows = await trx
    .insertInto('messages')
    .values(
      decided.map(({ item, decision, threadId }) => {
        const { mail, classification } = item.prepared;
        return {
          project_id: projectId,
          inbound_id: item.inbound.id,
          thread_id: threadId,
          message_id: mail.messageId,
          parent_message_id: decision.parentMessageId,
          in_reply_to: mail.inReplyTo,
          references: mail.references,
          thread_index: mail.headers.get('thread-index')?.[0] ?? null,
          subject: mail.subject,
          normalized_subject: decision.normalizedSubject,
          from_address: mail.from?.address || null,
          from_name: mail.from?.name || null,
          to_addresses: JSON.stringify(mail.to),
          cc_addresses: JSON.stringify(mail.cc),
          reply_to_addresses: JSON.stringify(mail.replyTo),
          sent_at: mail.date,
          received_at: item.inbound.received_at,
          text_body: stripNul(mail.text),
          html_body: stripNul(mail.html),
          reply_text: stripNul(classification.reply) ?? '',
          elided_text: stripNul(classification.elided) ?? '',
          flags: classification.flags,
          classification: JSON.stringify(classification.details),
          parse_warnings: mail.warnings,
          filing_reasons: JSON.stringify([...decision.reasons, ...classification.reasons]),
          attachment_count: mail.attachments.length,
          filed_at: now,
        };
      }),
    )
    .returning(['id', 'inbound_id'])
    .execute();
  const byInbound = new Map(rows.map((row) => [row.inbound_id, row.id]));
  return decided.map(({ item }) => {
    const id = byInbound.get(item.inbound.id);
    if (id === undefined) throw new Error(`no message row returned for inbound ${item.inbound.id}`);
    return id;
  });
}

/** Each message's attachment ids, in position order. */
async function insertAttachments(
  trx: Trx,
  projectId: number,
  decided: Decided[],
  messageIds: number[],
): Promise<number[][]> {
  const blobs = decided.flatMap(({ item }) => item.prepared.attachmentBlobs);
  for (const chunk of chunked(blobs, ROWS_PER_STATEMENT))
    await insertBlobRows(trx, chunk).execute();
  const values = decided.flatMap(({ item }, index) =>
    item.prepared.mail.attachments.map((attachment, position) => ({
      project_id: projectId,
      message_id: messageIds[index] as number,
      position,
      blob_sha256: attachment.sha256,
      filename: stripNul(attachment.filename),
      content_type: attachment.contentType,
      size: attachment.size,
      content_id: attachment.contentId,
      inline: attachment.inline,
    })),
  );
  if (values.length === 0) return decided.map(() => []);
  const rows: { id: number; message_id: number; position: number }[] = [];
  for (const chunk of chunked(values, ROWS_PER_STATEMENT)) {
    rows.push(
      ...(await trx
        .insertInto('attachments')
        .values(chunk)
        .returning(['id', 'message_id', 'position'])
        .execute()),
    );
  }
  return messageIds.map((messageId) =>
    rows
      .filter((row) => row.message_id === messageId)
      .sort((a, b) => a.position - b.position)
      .map((row) => row.id),
  );
}

/**
 * Counts messages into their threads' summaries (count, first and last dates, participants) with
 * one statement.
 */
async function advanceThreadSummaries(
  trx: Trx,
  projectId: number,
  decided: Decided[],
): Promise<void> {
  const byThread = new Map<
    number,
    { count: number; first: Date; last: Date; participants: Set<string> }
  >();
  for (const { input, threadId: id } of decided) {
    const entry = byThread.get(id) ?? {
      count: 0,
      first: input.date,
      last: input.date,
      participants: new Set<string>(),
    };
    entry.count++;
    if (input.date < entry.first) entry.first = input.date;
    if (input.date > entry.last) entry.last = input.date;
    for (const p of input.participants) entry.participants.add(p);
    byThread.set(id, entry);
  }
  if (byThread.size === 0) return;
  const rows = [...byThread].map(
    ([id, entry]) =>
      sql`(${id}::bigint, ${entry.count}::int, ${entry.first}::timestamptz, ${entry.last}::timestamptz, ${[...entry.participants]}::text[])`,
  );
  await sql`
    update threads t set
      message_count = t.message_count + v.count,
      first_message_at = least(t.first_message_at, v.first_at),
      last_message_at = greatest(t.last_message_at, v.last_at),
      participants = array(select distinct p from unnest(t.participants || v.participants) p order by p)
    from (values ${sql.join(rows)}) as v(id, count, first_at, last_at, participants)
    where t.project_id = ${projectId} and t.id = v.id
  `.execute(trx);
}

function chunked<T>(values: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < values.length; start += size)
    chunks.push(values.slice(start, start + size));
  return chunks;
}

/** PostgreSQL text cannot hold NUL characters, which broken mail does contain. */
function stripNul<T extends string | null>(value: T): T {
  return (value === null ? null : value.replaceAll('\u0000', '')) as T;
}
