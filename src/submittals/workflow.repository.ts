import type { Db } from '../db/database.js';
import { DocketError } from '../errors.js';

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/**
 * Saves a review workflow: ordered steps, each with reviewers who review in parallel. `specPrefix`
 * null makes it the project default; otherwise it serves sections starting with it (`03`,
 * `03 30 00`). Saving under an existing name replaces that workflow.
 */
export async function saveWorkflow(
  db: Db,
  input: { projectId: number; name: string; specPrefix: string | null; steps: string[][] },
): Promise<void> {
  const steps = input.steps
    .map((step) => step.map((address) => address.trim().toLowerCase()).filter(Boolean))
    .filter((step) => step.length > 0);
  if (steps.length === 0)
    throw new DocketError('invalid_input', 'a workflow needs at least one step with a reviewer');
  const bad = steps.flat().filter((address) => !EMAIL.test(address));
  if (bad.length > 0)
    throw new DocketError('invalid_input', `not email addresses: ${bad.join(', ')}`);
  if (
    input.specPrefix !== null &&
    !/^\d{2}(\s?\d{2}){0,2}(\.\d{2})?$/.test(input.specPrefix.trim())
  ) {
    throw new DocketError(
      'invalid_input',
      `spec prefix "${input.specPrefix}" must look like 03, 03 30 or 03 30 00`,
    );
  }
  await db
    .insertInto('workflows')
    .values({
      project_id: input.projectId,
      name: input.name,
      spec_prefix: input.specPrefix?.trim() ?? null,
      steps: JSON.stringify(steps),
    })
    .onConflict((oc) =>
      oc.columns(['project_id', 'name']).doUpdateSet((eb) => ({
        spec_prefix: eb.ref('excluded.spec_prefix'),
        steps: eb.ref('excluded.steps'),
      })),
    )
    .execute();
}
