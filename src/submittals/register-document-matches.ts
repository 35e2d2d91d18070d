import {
  findMatchingAttachments,
  type AttachmentMatch,
} from '../attachment-text/attachment-matches.js';
import type { Db } from '../db/database.js';

/**
 * For a register searched with words: which documents (any revision, mark-ups included) of the
 * submittals shown hold them, with a headline of each one's text, so the register can say why a
 * submittal whose title does not mention them is listed.
 */
export async function registerDocumentMatches(
  db: Db,
  projectId: number,
  submittalIds: readonly number[],
  q: string,
): Promise<Map<number, AttachmentMatch[]>> {
  const byAttachment = new Map<number, number[]>();
  if (submittalIds.length > 0) {
    const documents = await db
      .selectFrom('submittal_documents')
      .select(['submittal_id', 'attachment_id'])
      .where('project_id', '=', projectId)
      .where('submittal_id', 'in', submittalIds)
      .execute();
    for (const { submittal_id, attachment_id } of documents) {
      byAttachment.set(attachment_id, [...(byAttachment.get(attachment_id) ?? []), submittal_id]);
    }
  }
  const matches = new Map<number, AttachmentMatch[]>();
  for (const match of await findMatchingAttachments(db, projectId, [...byAttachment.keys()], q)) {
    for (const submittal of byAttachment.get(match.attachmentId) ?? []) {
      matches.set(submittal, [...(matches.get(submittal) ?? []), match]);
    }
  }
  return matches;
}
