import { sql } from 'kysely';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Db, InboundMessage, Trx } from '../db/database.js';
import type { RecordContext } from '../records/record-context.js';
import { writeFilingRun, type FilingItem } from './filing-run.js';
import { minimalMail } from './minimal-mail.js';
import type { PreparedMail } from './prepare-mail.js';
import { prepareMail } from './prepare-mail.js';

export interface FilingContext {
  db: Db;
  blobs: BlobStore;
  mailDomain: string;
  /** Record rules (submittals, replies to notifications); without them messages are only logged. */
  records?: RecordContext;
}

export interface FiledMessage {
  messageId: number;
  threadId: number;
  alreadyFiled: boolean;
}

export type InboundForFiling = Pick<
  InboundMessage,
  'project_id' | 'id' | 'raw_sha256' | 'mail_from' | 'received_at' | 'transport' | 'rcpt_to'
>;

/**
 * Files one stored message, parsing it on this thread: what tests and one-off commands use. The
 * filing queue prepares messages in worker threads and files them in batches (`fileMessages`);
 * both write the same rows. Running it again for a message already filed changes nothing.
 */
export async function fileInboundMessage(
  context: FilingContext,
  inbound: Omit<InboundForFiling, 'rcpt_to'>,
  now: Date,
  options: { degradedBecause?: string } = {},
): Promise<FiledMessage> {
  const { rcpt_to } = await context.db
    .selectFrom('inbound_messages')
    .select('rcpt_to')
    .where('project_id', '=', inbound.project_id)
    .where('id', '=', inbound.id)
    .executeTakeFirstOrThrow();
  const prepared =
    options.degradedBecause === undefined
      ? await prepareMail(await context.blobs.open(inbound.raw_sha256), context.blobs, {
          mailFrom: inbound.mail_from,
          fromOutbox: inbound.transport === 'outbound',
        })
      : await degradedMail(context.blobs, inbound.raw_sha256, options.degradedBecause);
  const [filed] = await fileMessages(
    context,
    inbound.project_id,
    [
      {
        inbound: { ...inbound, rcpt_to },
        prepared,
        degraded: options.degradedBecause !== undefined,
      },
    ],
    now,
  );
  if (!filed) throw new Error(`message ${inbound.id} was not filed`);
  return filed;
}

/**
 * What a message whose full processing keeps failing is filed as: its headers alone, flagged,
 * with the reason. Filing it this way keeps the promise that every stored message reaches the log.
 */
export async function degradedMail(
  blobs: BlobStore,
  rawSha256: string,
  reason: string,
): Promise<PreparedMail> {
  return {
    mail: await minimalMail(blobs, rawSha256, reason),
    classification: {
      flags: ['parse-warning', 'unprocessed'],
      details: {},
      reply: '',
      elided: '',
      reasons: [],
    },
    attachmentBlobs: [],
  };
}

/**
 * Files prepared messages of one project, in the order given, in one transaction: threads are
 * decided in memory over what the database holds (each message sees the ones before it), and
 * the rows go in with a few multi-row statements. Threading for a project is serialised with an
 * advisory lock, so two batches of one conversation filed at once cannot open two threads.
 * Messages already filed (a retry after a crash) are left as they are. Mail for the record rules
 * (sent to a subaddress) is written on its own within the batch, where it stands in the order,
 * so the rules see exactly the messages filed before it.
 */
export async function fileMessages(
  context: FilingContext,
  projectId: number,
  items: FilingItem[],
  now: Date,
): Promise<FiledMessage[]> {
  if (items.length === 0) return [];
  return context.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${projectId}::bigint)`.execute(trx);
    const inboundIds = items.map((item) => item.inbound.id);
    const existing = await trx
      .selectFrom('messages')
      .select(['id', 'thread_id', 'inbound_id'])
      .where('project_id', '=', projectId)
      .where('inbound_id', 'in', inboundIds)
      .execute();
    const filed = new Map<number, FiledMessage>(
      existing.map((row) => [
        row.inbound_id,
        { messageId: row.id, threadId: row.thread_id, alreadyFiled: true },
      ]),
    );

    let run: FilingItem[] = [];
    const writeRun = async (batch: FilingItem[], routed: boolean) => {
      const written = await writeFilingRun(trx, context, projectId, batch, routed, now);
      batch.forEach((item, index) => {
        const result = written[index];
        if (result) filed.set(item.inbound.id, result);
      });
    };
    for (const item of items) {
      if (filed.has(item.inbound.id)) continue;
      if (concernsRecords(context, item)) {
        if (run.length > 0) await writeRun(run, false);
        run = [];
        await writeRun([item], true);
      } else {
        run.push(item);
      }
    }
    if (run.length > 0) await writeRun(run, false);

    await markFiled(trx, projectId, inboundIds, now);
    return items.map((item) => {
      const result = filed.get(item.inbound.id);
      if (!result) throw new Error(`message ${item.inbound.id} was not filed`);
      return result;
    });
  });
}

/**
 * Only mail to a subaddress (`+submittal`, `+r-<token>` …) concerns the record rules; plain
 * correspondence skips their lookups.
 */
function concernsRecords(context: FilingContext, item: FilingItem): boolean {
  return (
    context.records !== undefined &&
    item.inbound.rcpt_to.some((address) => address.split('@')[0]?.includes('+'))
  );
}

async function markFiled(
  trx: Trx,
  projectId: number,
  inboundIds: number[],
  now: Date,
): Promise<void> {
  await trx
    .updateTable('inbound_messages')
    .set({ state: 'filed', filed_at: now, claimed_until: null, last_error: null })
    .where('project_id', '=', projectId)
    .where('id', 'in', inboundIds)
    .execute();
}
