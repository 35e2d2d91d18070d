import type { Db, Project } from '../db/database.js';
import { DocketError } from '../errors.js';
import { isValidTimeZone, normalizeProjectCode } from './project-code.js';

export interface NewProject {
  code: string;
  name: string;
  timezone?: string;
  senderPolicy?: 'anyone' | 'members';
}

export async function createProject(db: Db, input: NewProject): Promise<Project> {
  const code = normalizeProjectCode(input.code);
  const name = input.name.trim();
  if (!name) throw new DocketError('invalid_input', 'a project needs a name');
  const timezone = input.timezone ?? 'UTC';
  if (!isValidTimeZone(timezone)) {
    throw new DocketError(
      'invalid_input',
      `unknown time zone "${timezone}" (use an IANA name such as Europe/London)`,
    );
  }
  const inserted = await db
    .insertInto('projects')
    .values({ code, name, timezone, sender_policy: input.senderPolicy ?? 'anyone' })
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted) throw new DocketError('conflict', `project "${code}" already exists`);
  return inserted;
}

export function findProjectByCode(db: Db, code: string): Promise<Project | undefined> {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('code', '=', code.toLowerCase())
    .executeTakeFirst();
}

export async function getProjectByCode(db: Db, code: string): Promise<Project> {
  const project = await findProjectByCode(db, code);
  if (!project) throw new DocketError('not_found', `no project "${code.toLowerCase()}"`);
  return project;
}

export function listProjects(db: Db): Promise<Project[]> {
  return db.selectFrom('projects').selectAll().orderBy('code').execute();
}
