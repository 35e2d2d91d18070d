import { Readable } from 'node:stream';
import type { Db } from '../db/database.js';
import { renderWeeklySummaryPdf } from '../pdf/weekly-summary-pdf.js';
import type { ReminderContext } from './reminder-mail.js';
import type { DueReminder } from './reminder-model.js';
import { sendReminder } from './send-reminder.js';
import { loadWeeklyFigures } from './weekly-figures.js';
import { weeklyMailData, weeklyPdfName } from './weekly-mail.js';
import { summariseProject } from './weekly-summary.js';

/**
 * Sends one manager's weekly summary exactly once, with its PDF attached. The figures are read
 * and the PDF rendered before the claim's transaction, so the ledger's key is held for no longer
 * than the digest's; a second instance racing for the same summary renders in vain and sends
 * nothing (`sendReminder` decides).
 */
export async function sendWeeklySummary(
  db: Db,
  context: ReminderContext,
  reminder: DueReminder,
  now: Date,
): Promise<'sent' | 'already-sent'> {
  const home = reminder.sections.find((s) => s.project.id === reminder.homeProjectId)?.project;
  if (!home) throw new Error(`weekly summary for ${reminder.person} has no home project section`);
  const [figures, manager] = await Promise.all([
    loadWeeklyFigures(
      db,
      reminder.sections.map((s) => s.project.id),
      now,
    ),
    db
      .selectFrom('members')
      .select('name')
      .where('project_id', '=', home.id)
      .where('email', '=', reminder.person)
      .executeTakeFirst(),
  ]);
  const summaries = reminder.sections.map(({ project, lines }) =>
    summariseProject(context.baseUrl, project, lines, figures.get(project.id)),
  );
  const pdf = await renderWeeklySummaryPdf({
    preparedFor: manager?.name ?? reminder.person,
    weekOf: reminder.localDate,
    generatedAt: now,
    timezone: home.timezone,
    projects: summaries,
  });
  const blob = await context.records.outbox.blobs.put(Readable.from([Buffer.from(pdf)]));
  return sendReminder(db, context, reminder, now, {
    data: weeklyMailData(reminder, home, summaries),
    attachments: [{ filename: weeklyPdfName(reminder), contentType: 'application/pdf', blob }],
  });
}
