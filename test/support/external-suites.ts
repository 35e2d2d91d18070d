import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { corpusDir } from './fixtures.js';
import { findProgram } from './programs.js';

/**
 * A group of tests that needs something a clone of the repository does not bring: the shared
 * corpus of real mail, or a Postfix to put in front of Docket. Without it the tests are skipped (never passed) and named once at
 * the end of the run by not-run-reporter.ts; with its `requiredBy` variable set to 1, as `.ci/run`
 * sets it, its absence stops the run instead.
 */
export interface ExternalSuite {
  /** The vitest tag its tests carry (`npx vitest run --tags-filter=<tag>` runs them alone). */
  tag: 'corpus' | 'postfix';
  /** Why the suite cannot run on this machine, or null when it can. */
  missing: string | null;
  /** How to make it run. */
  remedy: string;
  /** The environment variable that, set to 1, turns "not run" into a failure. */
  requiredBy: string;
}

const corpusPath = fileURLToPath(corpusDir);

export const corpusSuite: ExternalSuite = {
  tag: 'corpus',
  missing: existsSync(corpusPath) ? null : `${corpusPath} is absent`,
  remedy:
    'The corpus lives beside the checkout, at ../shared/corpus/, and is read in place; see "The corpus suite" in README.md.',
  requiredBy: 'DOCKET_REQUIRE_CORPUS',
};

function postfixMissing(): string | null {
  if (findProgram('postfix') === null) return 'Postfix is not installed';
  // The test starts a private Postfix instance, and Postfix's master process starts only as root.
  if (process.getuid?.() !== 0) return 'a private Postfix instance can only be started as root';
  return null;
}

export const postfixSuite: ExternalSuite = {
  tag: 'postfix',
  missing: postfixMissing(),
  remedy:
    'Run the tests as root with Postfix installed (Debian: apt-get install postfix, choosing "No configuration"); see "Running behind Postfix" in README.md.',
  requiredBy: 'DOCKET_REQUIRE_POSTFIX',
};

export const externalSuites: readonly ExternalSuite[] = [corpusSuite, postfixSuite];

/** `describe` options for tests that read the corpus: tagged, and skipped when it is absent. */
export const needsCorpus = { tags: [corpusSuite.tag], skip: corpusSuite.missing !== null };

/** `describe` options for tests that run Postfix: tagged, and skipped when it cannot run. */
export const needsPostfix = { tags: [postfixSuite.tag], skip: postfixSuite.missing !== null };
