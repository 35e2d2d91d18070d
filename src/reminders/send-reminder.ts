import type { Db } from '../db/database.js';
import { enqueueMail } from '../outbox/enqueue.js';
import { reminderMailData, type ReminderContext } from './reminder-mail.js';
import type { DueReminder } from './reminder-model.js';

/**
 * Sends one reminder exactly once. In one transaction: claim its identity (job, person, local
 * date) with `insert … on conflict do nothing`, write the mail to the outbox, and record which
 * outbox row carries it. A second instance claiming the same identity at the same moment waits on
 * the first's uncommitted key and then finds it taken; a crash before commit leaves neither key
 * nor mail, so the next tick sends it.
 *
 * The outbox is keyed by project: the mail goes out under the person's home project (the one
 * whose morning it follows), and its copy is filed in that project's log like every notification.
 */
export async function sendReminder(
  db: Db,
  context: ReminderContext,
  reminder: DueReminder,
  now: Date,
): Promise<'sent' | 'already-sent'> {
  return db.transaction().execute(async (trx) => {
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
    const { outboxId } = await enqueueMail(
      trx,
      context.records.outbox,
      {
        project: { id: home.id, code: home.code, name: home.name },
        kind: reminder.job,
        template: reminder.job,
        data: reminderMailData(context, reminder, now),
        to: [reminder.person],
        replyTo: null,
      },
      now,
    );
    await trx
      .updateTable('reminders_sent')
      .set({ outbox_project_id: home.id, outbox_id: outboxId })
      .where('job', '=', reminder.job)
      .where('person', '=', reminder.person)
      .where('local_date', '=', reminder.localDate)
      .execute();
    return 'sent';
  });
}
