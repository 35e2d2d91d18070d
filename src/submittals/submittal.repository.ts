import type { Project, Submittal, Trx } from '../db/database.js';

/** The next number in a spec section. Callers hold the project's filing lock, so it cannot race. */
export async function nextSubmittalSeq(
  trx: Trx,
  projectId: number,
  specSection: string,
): Promise<number> {
  const row = await trx
    .selectFrom('submittals')
    .select(({ fn }) => fn.max('seq').as('max'))
    .where('project_id', '=', projectId)
    .where('spec_section', '=', specSection)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export function findSubmittal(
  trx: Trx,
  projectId: number,
  id: number,
): Promise<Submittal | undefined> {
  return trx
    .selectFrom('submittals')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function findSubmittalByNumber(
  trx: Trx,
  projectId: number,
  specSection: string,
  seq: number,
): Promise<Submittal | undefined> {
  return trx
    .selectFrom('submittals')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('spec_section', '=', specSection)
    .where('seq', '=', seq)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * The review steps for a section: the workflow whose spec prefix matches the section most closely
 * (`03 30 00` over `03`), else the project default (no prefix); null when the project has none.
 */
export async function workflowStepsFor(
  trx: Trx,
  project: Project,
  specSection: string,
): Promise<string[][] | null> {
  const workflows = await trx
    .selectFrom('workflows')
    .select(['spec_prefix', 'steps'])
    .where('project_id', '=', project.id)
    .execute();
  const compact = specSection.replace(/\s/g, '');
  const matching = workflows
    .filter((w) => w.spec_prefix === null || compact.startsWith(w.spec_prefix.replace(/\s/g, '')))
    .sort((a, b) => (b.spec_prefix?.length ?? -1) - (a.spec_prefix?.length ?? -1));
  return matching[0]?.steps ?? null;
}

export async function addSubmittalDocuments(
  trx: Trx,
  args: {
    projectId: number;
    submittalId: number;
    revision: number;
    attachmentIds: number[];
    kind: 'document' | 'markup';
    addedBy: string | null;
  },
): Promise<void> {
  if (args.attachmentIds.length === 0) return;
  await trx
    .insertInto('submittal_documents')
    .values(
      args.attachmentIds.map((attachmentId) => ({
        project_id: args.projectId,
        submittal_id: args.submittalId,
        revision: args.revision,
        attachment_id: attachmentId,
        kind: args.kind,
        added_by: args.addedBy,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}
