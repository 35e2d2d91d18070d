import type { StagedBlob } from '../blobs/blob-store.js';
import type { Db, OutboxAttachment, Trx } from '../db/database.js';
import { enqueueMail } from '../outbox/enqueue.js';
import { enqueueSystemMail, SYSTEM_MAIL_PROJECT_ID } from '../outbox/system-mail.js';
import { reminderMailData, type ReminderContext } from './reminder-mail.js';
import type { DueReminder } from './reminder-model.js';

/** A reminder's mail worked out before its transaction: the weekly summary's figures and PDF. */
export interface PreparedReminderMail {
  data: Record<string, unknown>;
  /** Staged files, recorded in the claim's transaction and attached. */
  attachments: { filename: string; contentType: string; blob: StagedBlob }[];
}

/**
 * Sends one reminder exactly once. In one transaction: claim its identity (job, person, local
 * date) with `insert … on conflict do nothing`, write the mail to the outbox, and record which
 * outbox row carries it. A second instance claiming the same identity at the same moment waits on
 * the first's uncommitted key and then finds it taken; a crash before commit leaves neither key
 * nor mail, so the next tick sends it.
 *
 * The outbox is keyed by project: a reminder about one project goes out under it and is filed in
 * its log like every notification; one spanning several projects goes out as Docket's own mail.
 */
export async function sendReminder(
  db: Db,
  context: ReminderContext,
  reminder: DueReminder,
  now: Date,
  prepared?: PreparedReminderMail,
): Promise<'sent' | 'already-sent'> {
  return db
    .transaction()
    .execute((trx) => claimAndEnqueueReminder(trx, context, reminder, now, prepared));
}

/**
 * The body of `sendReminder` in the caller's transaction: claim, write the mail, record its outbox
 * row. Its effects count only once that transaction commits (`sendReminders` runs several in one).
 */
export async function claimAndEnqueueReminder(
  trx: Trx,
  context: ReminderContext,
  reminder: DueReminder,
  now: Date,
  prepared?: PreparedReminderMail,
): Promise<'sent' | 'already-sent'> {
  const claimed = await trx
    .insertInto('reminders_sent')
    .values({
      job: reminder.job,
      person: reminder.person,
      local_date: reminder.localDate,
      project_id: reminder.homeProjectId,
      outbox_project_id: null,
      outbox_id: null,
      item_count: reminder.sections.reduce((n, s) => n + s.lines.length, 0),
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['job', 'person', 'local_date']).doNothing())
    .returning('person')
    .executeTakeFirst();
  if (!claimed) return 'already-sent';
  const home = reminder.sections.find((s) => s.project.id === reminder.homeProjectId)?.project;
  if (!home) throw new Error(`reminder for ${reminder.person} has no home project section`);
  const attachments: OutboxAttachment[] = [];
  for (const { filename, contentType, blob } of prepared?.attachments ?? []) {
    await context.records.outbox.blobs.record(trx, blob);
    attachments.push({ filename, contentType, sha256: blob.sha256 });
  }
  const mail = {
    kind: reminder.job,
    template: reminder.job,
    data: prepared?.data ?? reminderMailData(context, reminder, now),
    attachments,
  };
  // One project's reminder is filed in its log and outbox like any notification; one naming
  // several projects' items is filed in none, or one project's readers would see another's.
  const outboxProjectId = reminder.sections.length === 1 ? home.id : SYSTEM_MAIL_PROJECT_ID;
  const { outboxId } =
    reminder.sections.length === 1
      ? await enqueueMail(
          trx,
          context.records.outbox,
          {
            ...mail,
            project: { id: home.id, code: home.code, name: home.name },
            to: [reminder.person],
            replyTo: null,
          },
          now,
        )
      : await enqueueSystemMail(trx, context.records.outbox, { ...mail, to: reminder.person }, now);
  await trx
    .updateTable('reminders_sent')
    .set({ outbox_project_id: outboxProjectId, outbox_id: outboxId })
    .where('job', '=', reminder.job)
    .where('person', '=', reminder.person)
    .where('local_date', '=', reminder.localDate)
    .execute();
  return 'sent';
}
