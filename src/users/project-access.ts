import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export interface Viewer {
  email: string;
  isAdmin: boolean;
}

export interface ProjectListing {
  id: number;
  code: string;
  name: string;
  timezone: string;
}

/** The projects a person may see: every one for an administrator, else those they are a member of. */
export async function listProjectsFor(db: Db, viewer: Viewer): Promise<ProjectListing[]> {
  return visibleProjects(db, viewer).orderBy('code').execute();
}

function visibleProjects(db: Db, viewer: Viewer) {
  let query = db.selectFrom('projects').select(['id', 'code', 'name', 'timezone']);
  if (!viewer.isAdmin) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('members')
          .select(sql`1`.as('one'))
          .whereRef('members.project_id', '=', 'projects.id')
          .where('members.email', '=', viewer.email),
      ),
    );
  }
  return query;
}

/**
 * One project the person may see, or undefined when it does not exist or they are not in it — the
 * two answer the same, so a project code cannot be probed.
 */
export function findVisibleProject(
  db: Db,
  viewer: Viewer,
  code: string,
): Promise<ProjectListing | undefined> {
  return visibleProjects(db, viewer).where('code', '=', code.toLowerCase()).executeTakeFirst();
}

export interface ProjectOverview extends ProjectListing {
  threads: number;
  submittals: number;
  openItems: number;
}

/**
 * One project with its counts, or null when it does not exist or the person is not in it — the
 * two answer the same, so a project code cannot be probed.
 */
export async function projectOverviewFor(
  db: Db,
  viewer: Viewer,
  code: string,
): Promise<ProjectOverview | null> {
  const project = await findVisibleProject(db, viewer, code);
  if (!project) return null;
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('threads')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('project_id', '=', project.id)
        .where('merged_into', 'is', null)
        .as('threads'),
      eb
        .selectFrom('submittals')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('project_id', '=', project.id)
        .as('submittals'),
      eb
        .selectFrom('items')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('project_id', '=', project.id)
        .where('status', '=', 'open')
        .as('open_items'),
    ])
    .executeTakeFirstOrThrow();
  return {
    ...project,
    threads: Number(row.threads),
    submittals: Number(row.submittals),
    openItems: Number(row.open_items),
  };
}
