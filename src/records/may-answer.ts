import type { Trx } from '../db/database.js';
import type { FilingReason } from '../mail/threading.js';
import { isMember } from '../projects/member.repository.js';
import type { RoutedMessage } from './record-context.js';
import { addressesInvolvedIn, type AnsweredRecord } from './record-involvement.js';

/** Whom an automatic answer goes to, or why none goes out (kept with the message's reasons). */
export type AnswerTo = { to: string; why: null } | { to: null; why: string };

/** Flags of mail written by a machine: answering it risks a loop and tells no one anything. */
const MACHINE_FLAGS = ['auto-reply', 'bounce', 'own'];

/**
 * Whether Docket may answer a message automatically ("Received", "Not recorded as a decision",
 * "Not sent as a transmittal" …), and to whom: to its From address, only when that address is a
 * member of the project or someone `record` already involves (see {@link addressesInvolvedIn}),
 * and never when a machine wrote the message.
 *
 * The From header and the envelope sender are both forgeable, so the decision rests on our data
 * alone — who is a member, who the record names — never on the message's display name, Reply-To
 * or envelope. A forger can then make Docket write only to people already in the project or the
 * record, who learn that someone used their name; an innocent stranger whose address was forged
 * gets nothing (no backscatter). A record the message itself creates involves no one yet (pass
 * `null`): otherwise the forged From of a new submittal would vouch for itself. Call this before
 * the message changes anything (a new submittal's reviewers become members).
 */
export async function mayAnswer(
  trx: Trx,
  message: RoutedMessage,
  record: AnsweredRecord | null,
): Promise<AnswerTo> {
  const address = message.mail.from?.address || null;
  if (!address) return { to: null, why: 'no answer sent: the message has no From address' };
  const machine = message.classification.flags.find((f) => MACHINE_FLAGS.includes(f));
  if (machine) return { to: null, why: `no answer sent: the message is automatic (${machine})` };
  if (await isMember(trx, message.project.id, address)) return { to: address, why: null };
  if (record && (await addressesInvolvedIn(trx, message.project.id, record)).has(address))
    return { to: address, why: null };
  const project = `project ${message.project.code}`;
  return {
    to: null,
    why: record
      ? `no answer sent: ${address} is not a member of ${project} nor involved in ${record.type} ${record.label}`
      : `no answer sent: ${address} is not a member of ${project}`,
  };
}

/** The filing reason of an answer that did not go out; none when it went. */
export function unansweredReasons(answer: AnswerTo): FilingReason[] {
  return answer.why === null ? [] : [{ rule: 'answer', detail: answer.why }];
}
