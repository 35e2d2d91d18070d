import type { Db } from '../db/database.js';
import type { Viewer } from './project-access.js';

/** What a person may do in one project. Administrators may do everything everywhere. */
export type ProjectRole = 'administrator' | 'manager' | 'reviewer' | 'member';

/** The person's role in a project they can see; managers and administrators may change it. */
export async function projectRoleFor(
  db: Db,
  viewer: Viewer,
  projectId: number,
): Promise<ProjectRole | null> {
  if (viewer.isAdmin) return 'administrator';
  const row = await db
    .selectFrom('members')
    .select('role')
    .where('project_id', '=', projectId)
    .where('email', '=', viewer.email)
    .executeTakeFirst();
  return (row?.role as ProjectRole | undefined) ?? null;
}

/** Whether a role may edit the project's settings, members and workflows. */
export function canManage(role: ProjectRole | null): boolean {
  return role === 'administrator' || role === 'manager';
}
