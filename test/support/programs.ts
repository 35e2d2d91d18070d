import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/** Debian's Chromium, or the browser CHROMIUM_PATH names; the tests never download one. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where a system program is, looking in PATH and then in the sbin folders, which a normal user's
 * PATH often lacks (Postfix lives in /usr/sbin). Null when it is not installed.
 */
export function findProgram(name: string): string | null {
  const folders = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin'];
  for (const folder of folders) {
    if (folder === '') continue;
    const candidate = path.join(folder, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/**
 * The system programs every `npm test` run needs, with what to install when one is missing: a
 * line each, so a new machine learns it at once instead of from dozens of failed tests.
 */
export function missingPrograms(): string[] {
  const missing: string[] = [];
  if (!isExecutable(chromiumPath)) {
    missing.push(
      `Chromium not found at ${chromiumPath}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  if (findProgram('swaks') === null) {
    missing.push('swaks not found on PATH: install it (Debian: apt-get install swaks)');
  }
  return missing;
}
