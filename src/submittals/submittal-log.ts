import type { Db } from '../db/database.js';
import { submittalNumber } from './submittal-request.js';

export interface SubmittalLogEntry {
  number: string;
  specSection: string;
  title: string;
  type: string;
  status: string;
  decision: string | null;
  revision: number;
  submitter: string;
  ballInCourt: string[];
  dueAt: Date | null;
  receivedAt: Date;
  issuedAt: Date | null;
  requiredOnSite: string | null;
  overdue: boolean;
}

/** The project's submittal register, by spec section and number. */
export async function listSubmittals(
  db: Db,
  projectId: number,
  now: Date,
): Promise<SubmittalLogEntry[]> {
  const rows = await db
    .selectFrom('submittals')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('spec_section')
    .orderBy('seq')
    .execute();
  return rows.map((s) => ({
    number: submittalNumber(s.spec_section, s.seq, s.revision),
    specSection: s.spec_section,
    title: s.title,
    type: s.type,
    status: s.status,
    decision: s.decision,
    revision: s.revision,
    submitter: s.submitter,
    ballInCourt: s.ball_in_court,
    dueAt: s.due_at,
    receivedAt: s.received_at,
    issuedAt: s.issued_at,
    requiredOnSite: s.required_on_site,
    overdue: s.due_at !== null && s.due_at < now && s.status !== 'closed',
  }));
}
