import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DocketError } from '../errors.js';

export interface DataDirLock {
  /** The control socket other `docket` commands reach the running server through. */
  socketPath: string;
  release(): void;
}

export const controlSocketPath = (dataDir: string): string => path.join(dataDir, 'docket.sock');
const lockPath = (dataDir: string): string => path.join(dataDir, 'docket.pid');

/** The pid of a live process holding the data directory, or null. */
export function dataDirOwner(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(lockPath(dataDir), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/**
 * Claims the embedded database's directory for this process. PGlite has no lock of its own, and
 * two processes on one data directory would corrupt it, so a second opener is refused.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath(dataDir), `${process.pid}\n`, { flag: 'wx' });
      return {
        socketPath: controlSocketPath(dataDir),
        release: () => rmSync(lockPath(dataDir), { force: true }),
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = dataDirOwner(dataDir);
      if (owner !== null && owner !== process.pid) {
        throw new DocketError(
          'conflict',
          `the embedded database in ${dataDir} is in use by another docket process (pid ${owner})`,
        );
      }
      // A stale lock from a process that died: take it over.
      rmSync(lockPath(dataDir), { force: true });
      rmSync(controlSocketPath(dataDir), { force: true });
    }
  }
  throw new DocketError('conflict', `could not lock ${dataDir}`);
}
