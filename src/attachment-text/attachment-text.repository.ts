import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { ExtractionOutcome } from './read-document.js';

/** An attachment whose text this process has claimed to read. */
export interface ClaimedText {
  project_id: number;
  attachment_id: number;
  blob_sha256: string;
  /** Claims so far, this one included. */
  attempts: number;
  filename: string | null;
  content_type: string;
  size: number;
}

export type TextKey = Pick<ClaimedText, 'project_id' | 'attachment_id'>;

/**
 * Claims up to `limit` attachments waiting to be read, newest first, with `FOR UPDATE SKIP
 * LOCKED` and a lease: other workers and instances skip them, and if this process dies they are
 * claimed again once the lease has run out.
 */
export async function claimPendingTexts(
  db: Db,
  limit: number,
  leaseSeconds: number,
): Promise<ClaimedText[]> {
  const claimed = await db
    .with('claimed', (qc) =>
      qc
        .updateTable('attachment_texts')
        .set((eb) => ({
          claimed_until: sql<Date>`now() + make_interval(secs => ${leaseSeconds})`,
          attempts: eb('attempts', '+', 1),
        }))
        .where((eb) =>
          eb(
            eb.refTuple('project_id', 'attachment_id'),
            'in',
            eb
              .selectFrom('attachment_texts')
              .select(['project_id', 'attachment_id'])
              .where('state', '=', 'pending')
              .where((inner) =>
                inner.or([
                  inner('claimed_until', 'is', null),
                  inner('claimed_until', '<', sql<Date>`now()`),
                ]),
              )
              .orderBy('queued_at', 'desc')
              .orderBy('attachment_id', 'desc')
              .limit(limit)
              .forUpdate()
              .skipLocked()
              .$asTuple('project_id', 'attachment_id'),
          ),
        )
        .returning(['project_id', 'attachment_id', 'blob_sha256', 'attempts']),
    )
    .selectFrom('claimed')
    .innerJoin('attachments as a', (join) =>
      join
        .onRef('a.project_id', '=', 'claimed.project_id')
        .onRef('a.id', '=', 'claimed.attachment_id'),
    )
    .select([
      'claimed.project_id',
      'claimed.attachment_id',
      'claimed.blob_sha256',
      'claimed.attempts',
      'a.filename',
      'a.content_type',
      'a.size',
    ])
    .execute();
  return claimed;
}

/**
 * Takes the result of an earlier reading of the same bytes, in this project or another (the text
 * of identical bytes is identical). Results of readings that did not finish are not taken: they
 * might finish another time. True when there was one to take.
 */
export async function reuseEarlierReading(db: Db, text: ClaimedText): Promise<boolean> {
  const result = await db
    .updateTable('attachment_texts as t')
    .from(
      db
        .selectFrom('attachment_texts')
        .select(['state', 'kind', 'detail', 'pages', 'text'])
        .where('blob_sha256', '=', text.blob_sha256)
        .where('state', 'in', ['extracted', 'no_text'])
        .limit(1)
        .as('earlier'),
    )
    .set((eb) => ({
      state: eb.ref('earlier.state'),
      kind: eb.ref('earlier.kind'),
      detail: eb.ref('earlier.detail'),
      pages: eb.ref('earlier.pages'),
      text: eb.ref('earlier.text'),
      claimed_until: null,
      extracted_at: sql<Date>`now()`,
    }))
    .where('t.project_id', '=', text.project_id)
    .where('t.attachment_id', '=', text.attachment_id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Records what reading an attachment came to; the database derives its search vector and
 * refreshes its message's. A reading that did not finish keeps any text an earlier reading found.
 */
export async function recordReading(
  db: Db,
  key: TextKey,
  outcome: ExtractionOutcome,
): Promise<void> {
  const common = { state: outcome.state, kind: outcome.kind, claimed_until: null } as const;
  const values =
    outcome.state === 'extracted'
      ? { ...common, detail: outcome.detail, pages: outcome.pages, text: outcome.text }
      : outcome.state === 'no_text'
        ? { ...common, detail: outcome.reason, pages: null, text: null }
        : { ...common, detail: outcome.reason };
  await db
    .updateTable('attachment_texts')
    .set({ ...values, extracted_at: sql<Date>`now()` })
    .where('project_id', '=', key.project_id)
    .where('attachment_id', '=', key.attachment_id)
    .execute();
}

/** Hands a claim back untouched, as if never made: the process is stopping, not the file failing. */
export async function releaseClaim(db: Db, key: TextKey): Promise<void> {
  await db
    .updateTable('attachment_texts')
    .set((eb) => ({ claimed_until: null, attempts: eb('attempts', '-', 1) }))
    .where('project_id', '=', key.project_id)
    .where('attachment_id', '=', key.attachment_id)
    .where('state', '=', 'pending')
    .execute();
}

/**
 * Queues a project's attachments for reading: those filed before attachment text existed (they
 * have no row yet) and those whose reading did not finish. Returns how many were queued.
 */
export async function queueProjectTexts(db: Db, projectId: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('attachment_texts')
      .columns(['project_id', 'attachment_id', 'message_id', 'blob_sha256'])
      .expression((eb) =>
        eb
          .selectFrom('attachments as a')
          .select(['a.project_id', 'a.id', 'a.message_id', 'a.blob_sha256'])
          .where('a.project_id', '=', projectId)
          .where((w) =>
            w.not(
              w.exists(
                w
                  .selectFrom('attachment_texts as t')
                  .select(sql`1`.as('one'))
                  .whereRef('t.project_id', '=', 'a.project_id')
                  .whereRef('t.attachment_id', '=', 'a.id'),
              ),
            ),
          ),
      )
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    const requeued = await trx
      .updateTable('attachment_texts')
      .set({ state: 'pending', attempts: 0, claimed_until: null, queued_at: sql<Date>`now()` })
      .where('project_id', '=', projectId)
      .where('state', '=', 'failed')
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) + Number(requeued.numUpdatedRows);
  });
}

/**
 * A project's attachments waiting to be read: all of them, and those no live claim holds (which
 * this process could take now).
 */
export async function pendingTexts(
  db: Db,
  projectId: number,
): Promise<{ pending: number; unclaimed: number }> {
  const row = await db
    .selectFrom('attachment_texts')
    .select((eb) => [
      eb.fn.countAll<number>().as('pending'),
      eb.fn
        .countAll<number>()
        .filterWhere((f) =>
          f.or([f('claimed_until', 'is', null), f('claimed_until', '<', sql<Date>`now()`)]),
        )
        .as('unclaimed'),
    ])
    .where('project_id', '=', projectId)
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), unclaimed: Number(row.unclaimed) };
}

export interface TextSummary {
  attachments: number;
  extracted: number;
  pages: number;
  noText: number;
  failed: number;
  pending: number;
  /** Filed before attachment text existed and never queued. */
  unread: number;
}

/** Where reading a project's attachments stands. */
export async function projectTextSummary(db: Db, projectId: number): Promise<TextSummary> {
  const row = await db
    .selectFrom('attachments as a')
    .leftJoin('attachment_texts as t', (join) =>
      join.onRef('t.project_id', '=', 'a.project_id').onRef('t.attachment_id', '=', 'a.id'),
    )
    .select((eb) => {
      const count = (state: string) =>
        eb.fn.countAll<number>().filterWhere('t.state', '=', state as 'pending');
      return [
        eb.fn.countAll<number>().as('attachments'),
        count('extracted').as('extracted'),
        count('no_text').as('no_text'),
        count('failed').as('failed'),
        count('pending').as('pending'),
        eb.fn.countAll<number>().filterWhere('t.state', 'is', null).as('unread'),
        eb.fn.coalesce(eb.fn.sum<number>('t.pages'), eb.lit(0)).as('pages'),
      ];
    })
    .where('a.project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return {
    attachments: Number(row.attachments),
    extracted: Number(row.extracted),
    pages: Number(row.pages),
    noText: Number(row.no_text),
    failed: Number(row.failed),
    pending: Number(row.pending),
    unread: Number(row.unread),
  };
}
