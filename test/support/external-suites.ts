import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { corpusDir } from './fixtures.js';

/**
 * A group of tests that needs something a clone of the repository does not bring, such as the
 * shared corpus of real mail. Without it the tests are skipped (never passed) and named once at
 * the end of the run by not-run-reporter.ts; with its `requiredBy` variable set to 1, as `.ci/run`
 * sets it, its absence stops the run instead.
 */
export interface ExternalSuite {
  /** The vitest tag its tests carry (`npx vitest run --tags-filter=<tag>` runs them alone). */
  tag: 'corpus';
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

export const externalSuites: readonly ExternalSuite[] = [corpusSuite];

/** `describe` options for tests that read the corpus: tagged, and skipped when it is absent. */
export const needsCorpus = { tags: [corpusSuite.tag], skip: corpusSuite.missing !== null };
