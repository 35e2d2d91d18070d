import type { Db, Project } from '../db/database.js';
import { findProjectByCode } from '../projects/project.repository.js';

/** How long a found project is reused; a changed sender policy applies within this time. */
const TTL_MS = 5_000;

/**
 * Project lookups for RCPT TO, with found projects kept for a few seconds: a busy relay names the
 * same inbox thousands of times a minute, and each lookup is a database round trip on the
 * acceptance path. Misses are never kept, so a project created a moment ago is found at once.
 */
export function cachedProjectLookup(
  db: Db,
  now: () => number = Date.now,
): (code: string) => Promise<Project | undefined> {
  const found = new Map<string, { project: Project; until: number }>();
  return async (code) => {
    const hit = found.get(code);
    if (hit && hit.until > now()) return hit.project;
    const project = await findProjectByCode(db, code);
    if (project) found.set(code, { project, until: now() + TTL_MS });
    else found.delete(code);
    return project;
  };
}
