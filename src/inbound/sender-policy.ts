import type { Db, Project } from '../db/database.js';
import { DocketError } from '../errors.js';
import { isMember } from '../projects/member.repository.js';

/**
 * Applies a project's sender policy. `members` accepts only mail whose From (or, without one, the
 * envelope sender) is a project member. Delivery reports come with a null envelope sender and are
 * always accepted: refusing them would hide bounces of the project's own mail.
 */
export async function checkSenderPolicy(
  db: Db,
  project: Project,
  sender: { fromHeader: string | null; mailFrom: string | null },
): Promise<void> {
  if (project.sender_policy === 'anyone' || sender.mailFrom === null) return;
  const address = sender.fromHeader ?? sender.mailFrom;
  if (address && (await isMember(db, project.id, address))) return;
  throw new DocketError(
    'sender_refused',
    `${address ?? 'This sender'} is not a member of project ${project.code}, which accepts mail from its members only`,
  );
}
