import { fileURLToPath } from 'node:url';

// This file is src/paths.ts in the sources and dist/src/paths.js once built; either way the
// package root (package.json, templates/, migrations/) is found from here.
const rootUrl = new URL(import.meta.url.includes('/dist/src/') ? '../../' : '../', import.meta.url);

/** An absolute path inside the package root. */
export function packagePath(relative: string): string {
  return fileURLToPath(new URL(relative, rootUrl));
}
