import type { Db, ReviewerSteps, Submittal } from '../db/database.js';
import type { SubmittalKey } from './submittal-slug.js';

export interface DetailDocument {
  attachmentId: number;
  kind: 'document' | 'markup';
  filename: string | null;
  contentType: string;
  size: number;
  sha256: string;
  addedBy: string | null;
  /** The message that carried it, for a link to where it was filed. */
  messageId: number;
}

export interface DetailReview {
  step: number;
  reviewer: string;
  state: 'waiting' | 'pending' | 'answered';
  decision: string | null;
  comment: string | null;
  dueAt: Date | null;
  notifiedAt: Date | null;
  answeredAt: Date | null;
}

export interface DetailRevision {
  revision: number;
  status: 'in_review' | 'decided';
  decision: string | null;
  steps: ReviewerSteps;
  currentStep: number;
  receivedAt: Date;
  decidedAt: Date | null;
  documents: DetailDocument[];
  reviews: DetailReview[];
}

export interface DetailAuditEvent {
  id: number;
  at: Date;
  actor: string | null;
  action: string;
  details: Record<string, unknown>;
}

export interface SubmittalDetail {
  submittal: Submittal;
  /** Newest first: the revision people act on leads. */
  revisions: DetailRevision[];
  /** Oldest first: the trail reads as it happened. */
  audit: DetailAuditEvent[];
}

/** A project's submittal by number with its revisions, reviews, documents and audit trail. */
export async function loadSubmittalDetail(
  db: Db,
  projectId: number,
  key: SubmittalKey,
): Promise<SubmittalDetail | null> {
  const submittal = await db
    .selectFrom('submittals')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('spec_section', '=', key.specSection)
    .where('seq', '=', key.seq)
    .executeTakeFirst();
  if (!submittal) return null;
  const own = { projectId, submittalId: submittal.id };
  const [revisions, reviews, documents, audit] = await Promise.all([
    db
      .selectFrom('submittal_revisions')
      .selectAll()
      .where('project_id', '=', own.projectId)
      .where('submittal_id', '=', own.submittalId)
      .orderBy('revision', 'desc')
      .execute(),
    db
      .selectFrom('review_steps')
      .selectAll()
      .where('project_id', '=', own.projectId)
      .where('submittal_id', '=', own.submittalId)
      .orderBy('revision')
      .orderBy('step')
      .orderBy('reviewer')
      .execute(),
    listSubmittalDocuments(db, own.projectId, own.submittalId),
    db
      .selectFrom('audit_events')
      .select(['id', 'at', 'actor', 'action', 'details'])
      .where('project_id', '=', own.projectId)
      .where('record_type', '=', 'submittal')
      .where('record_id', '=', own.submittalId)
      .orderBy('at')
      .orderBy('id')
      .execute(),
  ]);
  // Documents filed before any review round (no workflow yet) still belong to revision 0.
  const revisionNumbers = new Set(revisions.map((r) => r.revision));
  const orphans = [...new Set(documents.map((d) => d.revision))].filter(
    (n) => !revisionNumbers.has(n),
  );
  const shown: DetailRevision[] = revisions.map((r) => ({
    revision: r.revision,
    status: r.status,
    decision: r.decision,
    steps: r.steps,
    currentStep: r.current_step,
    receivedAt: r.received_at,
    decidedAt: r.decided_at,
    documents: [],
    reviews: [],
  }));
  for (const revision of orphans) {
    shown.push({
      revision,
      status: 'in_review',
      decision: revision === submittal.revision ? submittal.decision : null,
      steps: [],
      currentStep: 0,
      receivedAt: submittal.received_at,
      decidedAt: null,
      documents: [],
      reviews: [],
    });
  }
  shown.sort((a, b) => b.revision - a.revision);
  const byRevision = new Map(shown.map((r) => [r.revision, r]));
  for (const d of documents) byRevision.get(d.revision)?.documents.push(d);
  for (const s of reviews) {
    byRevision.get(s.revision)?.reviews.push({
      step: s.step,
      reviewer: s.reviewer,
      state: s.state,
      decision: s.decision,
      comment: s.comment,
      dueAt: s.due_at,
      notifiedAt: s.notified_at,
      answeredAt: s.answered_at,
    });
  }
  return { submittal, revisions: shown, audit };
}

async function listSubmittalDocuments(db: Db, projectId: number, submittalId: number) {
  const rows = await db
    .selectFrom('submittal_documents as d')
    .innerJoin('attachments as a', (join) =>
      join.onRef('a.project_id', '=', 'd.project_id').onRef('a.id', '=', 'd.attachment_id'),
    )
    .select([
      'd.revision',
      'd.kind',
      'd.added_by',
      'a.id',
      'a.filename',
      'a.content_type',
      'a.size',
      'a.blob_sha256',
      'a.message_id',
    ])
    .where('d.project_id', '=', projectId)
    .where('d.submittal_id', '=', submittalId)
    .orderBy('d.revision')
    .orderBy('d.kind')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    revision: r.revision,
    attachmentId: r.id,
    kind: r.kind,
    filename: r.filename,
    contentType: r.content_type,
    size: r.size,
    sha256: r.blob_sha256,
    addedBy: r.added_by,
    messageId: r.message_id,
  }));
}

/** One of a submittal's documents or mark-ups, for download; undefined when it is not one. */
export function findSubmittalDocument(
  db: Db,
  projectId: number,
  key: SubmittalKey,
  attachmentId: number,
) {
  return db
    .selectFrom('submittal_documents as d')
    .innerJoin('submittals as s', (join) =>
      join.onRef('s.project_id', '=', 'd.project_id').onRef('s.id', '=', 'd.submittal_id'),
    )
    .innerJoin('attachments as a', (join) =>
      join.onRef('a.project_id', '=', 'd.project_id').onRef('a.id', '=', 'd.attachment_id'),
    )
    .select(['a.blob_sha256', 'a.filename', 'a.content_type', 'a.size'])
    .where('d.project_id', '=', projectId)
    .where('s.spec_section', '=', key.specSection)
    .where('s.seq', '=', key.seq)
    .where('d.attachment_id', '=', attachmentId)
    .executeTakeFirst();
}
