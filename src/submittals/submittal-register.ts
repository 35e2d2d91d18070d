import { sql } from 'kysely';
import type { Db, ReviewerSteps, SubmittalStatus } from '../db/database.js';
import type { RegisterFilters } from './register-filters.js';
import { submittalNumber } from './submittal-request.js';
import { submittalSlug } from './submittal-slug.js';

/** One row of the submittal register: every column the register shows, at the current revision. */
export interface RegisterRow {
  id: number;
  /** `03 30 00-007.1`. */
  number: string;
  /** `03-30-00-007`, the address segment of its detail page. */
  slug: string;
  specSection: string;
  title: string;
  type: string;
  status: SubmittalStatus;
  decision: string | null;
  revision: number;
  submitter: string;
  submitterName: string | null;
  responsibleContractor: string | null;
  submittalManager: string | null;
  ballInCourt: string[];
  /** The current revision's review steps; each inner list reviews in parallel. */
  reviewers: ReviewerSteps;
  dueAt: Date | null;
  /** When the current revision arrived. */
  receivedAt: Date;
  /** When the current revision's decision was issued. */
  issuedAt: Date | null;
  /** `2027-02-15`, a calendar day with no zone. */
  requiredOnSite: string | null;
  leadTimeDays: number | null;
  distribution: string[];
  /** Documents submitted with the current revision (mark-ups not counted). */
  documentCount: number;
  threadId: number | null;
  overdue: boolean;
}

/** Escapes LIKE wildcards so a person's text matches only itself. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * Whether any document of the submittal, of any revision, mark-ups included, holds the words
 * (web-search syntax, as the log's search) in its text or its file name.
 */
function documentsSay(text: string) {
  return sql<boolean>`exists (
    select 1 from submittal_documents d
    join attachments a on a.project_id = d.project_id and a.id = d.attachment_id
    left join attachment_texts t on t.project_id = a.project_id and t.attachment_id = a.id
    where d.project_id = s.project_id and d.submittal_id = s.id
      and (coalesce(t.search, ''::tsvector)
        || to_tsvector('simple', docket_search_words(coalesce(a.filename, ''))))
        @@ websearch_to_tsquery('simple', ${text}))`;
}

const numberShown = sql<string>`s.spec_section || '-' || lpad(s.seq::text, 3, '0') || '.' || s.revision::text`;

/**
 * The project's submittal register, by spec section and number, narrowed by `filters`. A submittal
 * is overdue when it is not closed and its due date has passed at `now`.
 */
export async function listSubmittalRegister(
  db: Db,
  projectId: number,
  filters: RegisterFilters,
  now: Date,
): Promise<RegisterRow[]> {
  let query = db
    .selectFrom('submittals as s')
    .leftJoin('submittal_revisions as r', (join) =>
      join
        .onRef('r.project_id', '=', 's.project_id')
        .onRef('r.submittal_id', '=', 's.id')
        .onRef('r.revision', '=', 's.revision'),
    )
    .selectAll('s')
    .select([
      'r.steps as revision_steps',
      'r.received_at as revision_received_at',
      'r.decided_at as revision_decided_at',
      (eb) =>
        eb
          .selectFrom('submittal_documents as d')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('d.project_id', '=', 's.project_id')
          .whereRef('d.submittal_id', '=', 's.id')
          .whereRef('d.revision', '=', 's.revision')
          .where('d.kind', '=', 'document')
          .as('document_count'),
    ])
    .where('s.project_id', '=', projectId);
  if (filters.status === 'closed') query = query.where('s.status', '=', 'closed');
  if (filters.status === 'open') query = query.where('s.status', '<>', 'closed');
  if (filters.decision === 'none') query = query.where('s.decision', 'is', null);
  else if (filters.decision) query = query.where('s.decision', '=', filters.decision);
  if (filters.specPrefix) {
    query = query.where(
      sql<string>`translate(s.spec_section, ' .', '')`,
      'like',
      `${filters.specPrefix}%`,
    );
  }
  if (filters.ballInCourt) {
    const pattern = likeContains(filters.ballInCourt);
    query = query.where(
      sql<boolean>`exists (select 1 from unnest(s.ball_in_court) as holder where lower(holder) like ${pattern})`,
    );
  }
  if (filters.overdueOnly) {
    query = query
      .where('s.status', '<>', 'closed')
      .where('s.due_at', 'is not', null)
      .where('s.due_at', '<', now);
  }
  if (filters.text) {
    const pattern = likeContains(filters.text.toLowerCase());
    query = query.where((eb) =>
      eb.or([
        eb(sql<string>`lower(s.title)`, 'like', pattern),
        eb(sql<string>`lower(${numberShown})`, 'like', pattern),
        documentsSay(filters.text ?? ''),
      ]),
    );
  }
  const rows = await query.orderBy('s.spec_section').orderBy('s.seq').execute();
  return rows.map((s) => ({
    id: s.id,
    number: submittalNumber(s.spec_section, s.seq, s.revision),
    slug: submittalSlug(s.spec_section, s.seq),
    specSection: s.spec_section,
    title: s.title,
    type: s.type,
    status: s.status,
    decision: s.decision,
    revision: s.revision,
    submitter: s.submitter,
    submitterName: s.submitter_name,
    responsibleContractor: s.responsible_contractor,
    submittalManager: s.submittal_manager,
    ballInCourt: s.ball_in_court,
    reviewers: s.revision_steps ?? [],
    dueAt: s.due_at,
    receivedAt: s.revision_received_at ?? s.received_at,
    // A submittal with no review round has no revision row: its own issue date stands.
    issuedAt: s.revision_received_at ? s.revision_decided_at : s.issued_at,
    requiredOnSite: s.required_on_site,
    leadTimeDays: s.lead_time_days,
    distribution: s.distribution,
    documentCount: Number(s.document_count ?? 0),
    threadId: s.thread_id,
    overdue: s.status !== 'closed' && s.due_at !== null && s.due_at < now,
  }));
}
