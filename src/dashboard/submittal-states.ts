import type { Db } from '../db/database.js';

export interface SubmittalState {
  /** e.g. "In review", "Returned: REVISE AND RESUBMIT" (ball with the submitter), "Closed: APPROVED". */
  label: string;
  count: number;
  open: boolean;
}

/**
 * How many of the project's submittals stand in each status and decision, open ones first (the
 * ones someone still has to act on), then by count. A returned submittal is still open: its ball
 * is with the submitter until the new revision arrives.
 */
export async function submittalStates(db: Db, projectId: number): Promise<SubmittalState[]> {
  const rows = await db
    .selectFrom('submittals')
    .select((eb) => ['status', 'decision', eb.fn.countAll<string>().as('n')])
    .where('project_id', '=', projectId)
    .groupBy(['status', 'decision'])
    .execute();
  return rows
    .map((row) => ({
      label: stateLabel(row.status, row.decision),
      count: Number(row.n),
      open: row.status !== 'closed',
    }))
    .sort(
      (a, b) =>
        Number(b.open) - Number(a.open) || b.count - a.count || a.label.localeCompare(b.label),
    );
}

/** A submittal's status and decision in the words the register uses. */
export function stateLabel(status: string, decision: string | null): string {
  if (status === 'draft') return 'Draft (not yet in review)';
  if (status === 'open') return decision ? `Returned: ${decision}` : 'In review';
  return `Closed: ${decision ?? 'no decision'}`;
}
