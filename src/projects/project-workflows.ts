import type { Db, ReviewerSteps } from '../db/database.js';
import { DocketError } from '../errors.js';

export interface WorkflowListing {
  id: number;
  name: string;
  /** Null for the project's default workflow. */
  specPrefix: string | null;
  steps: ReviewerSteps;
}

/** A project's review workflows, the default first, then by spec prefix. */
export async function listWorkflows(db: Db, projectId: number): Promise<WorkflowListing[]> {
  const rows = await db
    .selectFrom('workflows')
    .select(['id', 'name', 'spec_prefix', 'steps'])
    .where('project_id', '=', projectId)
    .orderBy('spec_prefix', (ob) => ob.asc().nullsFirst())
    .orderBy('name')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    specPrefix: row.spec_prefix,
    steps: row.steps,
  }));
}

/**
 * Deletes one workflow. Submittals already in review keep the steps they were given; only new
 * submittals stop using it.
 */
export async function deleteWorkflow(
  db: Db,
  input: { projectId: number; workflowId: number },
): Promise<void> {
  const deleted = await db
    .deleteFrom('workflows')
    .where('project_id', '=', input.projectId)
    .where('id', '=', input.workflowId)
    .returning('id')
    .executeTakeFirst();
  if (!deleted)
    throw new DocketError('not_found', `no workflow ${input.workflowId} in this project`);
}
