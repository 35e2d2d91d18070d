import { recordAudit } from '../audit/audit.repository.js';
import { addWorkingDays } from '../calendar/working-days.js';
import type { Trx } from '../db/database.js';
import type { FilingReason } from '../mail/threading.js';
import { projectCalendar } from '../projects/project-calendar.js';
import type { RecordContext, RoutedMessage } from '../records/record-context.js';
import { mayAnswer, unansweredReasons } from '../records/may-answer.js';
import { acknowledgeItem, askBallHolders } from './item-mail.js';
import { nextItemNumber, projectManagers } from './item.repository.js';
import { itemNumber, itemSubject, type ItemType } from './item-types.js';

/**
 * Who must answer a new item: the project's RFI manager when one is set, else the first person the
 * email was addressed to (To, then Cc) who is neither a project inbox nor the asker, else the
 * project's managers. The asker never holds the ball for their own question, so an RFI manager
 * filing on a subcontractor's behalf passes it to whoever they addressed. Empty when no one is left.
 */
export function initialBallInCourt(args: {
  rfiManager: string | null;
  addressees: readonly string[];
  asker: string;
  isOurs: (address: string) => boolean;
  managers: readonly string[];
}): string[] {
  const asker = args.asker.toLowerCase();
  const eligible = (address: string) =>
    address !== '' && address !== asker && !args.isOurs(address);
  const manager = args.rfiManager?.trim().toLowerCase() ?? '';
  if (eligible(manager)) return [manager];
  const addressee = args.addressees.map((a) => a.toLowerCase()).find(eligible);
  if (addressee) return [addressee];
  return [...new Set(args.managers.map((m) => m.toLowerCase()).filter(eligible))];
}

/**
 * Handles mail to `<code>+rfi@…` (or another type's subaddress): opens the next numbered item of
 * that type with the trimmed reply text as its question, puts the ball with whoever must answer
 * (see {@link initialBallInCourt}), sets an RFI's due date `rfi_days` project working days out,
 * acknowledges the asker when Docket may answer them (a project member: a new item involves no one
 * yet, see `mayAnswer`) and sends the question to each ball holder with a reply address signed
 * for them alone. Automated mail opens nothing: an out-of-office is no question.
 */
export async function openItem(
  trx: Trx,
  context: RecordContext,
  message: RoutedMessage,
  type: ItemType,
  now: Date,
): Promise<FilingReason[]> {
  const { project, mail } = message;
  const automated = message.classification.flags.find(
    (f) => f === 'auto-reply' || f === 'bounce' || f === 'own',
  );
  const asker = mail.from?.address || message.inbound.mailFrom?.toLowerCase() || null;
  if (automated || !asker) {
    const why = automated ? `the message is automated (${automated})` : 'it has no sender address';
    return [{ rule: 'item', detail: `no ${type.prefix} opened: ${why}` }];
  }

  // Decided before the item exists and its ball holders become members: see `mayAnswer`.
  const answer = await mayAnswer(trx, message, null);
  const seq = await nextItemNumber(trx, project.id, type.prefix);
  const ballInCourt = initialBallInCourt({
    rfiManager: project.rfi_manager,
    addressees: [...mail.to, ...mail.cc].map((a) => a.address),
    asker,
    isOurs: (address) => address.endsWith(`@${context.mailDomain}`),
    managers: await projectManagers(trx, project.id),
  });
  const dueAt = type.dueInWorkingDays
    ? addWorkingDays(projectCalendar(project), now, project.rfi_days)
    : null;
  const item = await trx
    .insertInto('items')
    .values({
      project_id: project.id,
      prefix: type.prefix,
      number: seq,
      subject: itemSubject(mail.subject),
      question: message.classification.reply.trim(),
      asker,
      asker_name: mail.from?.name || null,
      ball_in_court: ballInCourt,
      status: 'open',
      answer: null,
      answered_by: null,
      due_at: dueAt,
      thread_id: message.threadId,
      message_id: message.messageId,
      created_at: now,
      answered_at: null,
      closed_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const number = itemNumber(item.prefix, item.number);
  await recordAudit(
    trx,
    {
      projectId: project.id,
      recordType: 'item',
      recordId: item.id,
      actor: asker,
      action: 'opened',
      details: {
        number,
        type: type.label,
        ballInCourt,
        dueAt: dueAt?.toISOString() ?? null,
        messageId: message.messageId,
        rawSha256: message.inbound.rawSha256,
      },
    },
    now,
  );
  const attachments = message.attachments.filter((a) => !a.inline);
  await askBallHolders(trx, context, { project, item, type, attachments, now });
  if (answer.to !== null)
    await acknowledgeItem(trx, context, { project, item, type, to: answer.to, now });
  const holders = ballInCourt.length > 0 ? ballInCourt.join(', ') : 'no one yet';
  return [
    { rule: 'item', detail: `opened ${number}, ball with ${holders}` },
    ...unansweredReasons(answer),
  ];
}
