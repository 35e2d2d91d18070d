import { getProjectByCode } from '../../projects/project.repository.js';
import { listWorkflows } from '../../projects/project-workflows.js';
import { saveWorkflow } from '../../submittals/workflow.repository.js';
import type { CommandContext } from './context.js';

export interface WorkflowAddInput {
  code: string;
  name: string;
  /** `a@x, b@y; c@z`: commas review in parallel, semicolons separate steps. */
  steps: string;
  spec?: string;
}

export async function workflowAdd(ctx: CommandContext, input: WorkflowAddInput): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const steps = input.steps.split(';').map((step) => step.split(','));
  await saveWorkflow(ctx.db, {
    projectId: project.id,
    name: input.name,
    specPrefix: input.spec ?? null,
    steps,
  });
  ctx.io.out(
    `Workflow "${input.name}" saved for ${input.spec ? `spec ${input.spec}` : 'every spec section without its own'} in ${project.code}.`,
  );
}

export async function workflowList(
  ctx: CommandContext,
  input: { code: string; json?: boolean },
): Promise<void> {
  const project = await getProjectByCode(ctx.db, input.code);
  const workflows = (await listWorkflows(ctx.db, project.id)).map((w) => ({
    name: w.name,
    spec_prefix: w.specPrefix,
    steps: w.steps,
  }));
  if (input.json) return ctx.io.out(JSON.stringify(workflows, null, 2));
  if (workflows.length === 0)
    return ctx.io.out(
      `No workflows in ${project.code}. Add one with: docket workflow add ${project.code} Default --steps "architect@example.com; owner@example.com"`,
    );
  for (const w of workflows) {
    ctx.io.out(
      `${w.name} (${w.spec_prefix ?? 'default'}): ${w.steps.map((step, i) => `${i + 1}. ${step.join(' + ')}`).join('  ')}`,
    );
  }
}
