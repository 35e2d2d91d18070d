import { buildCli } from './support/docket-cli.js';
import { externalSuites } from './support/external-suites.js';
import { missingPrograms } from './support/programs.js';

/**
 * Runs once before any test file. It stops the run at once, with one line each, when a system
 * program the tests need is missing, or when a suite required by the environment (as `.ci/run`
 * requires the corpus and Postfix) cannot run here. Then it compiles the `docket` command once:
 * the CLI tests run what a user runs, and several files building into the same dist/ at once could
 * read each other's half-written output.
 */
export default async function setup(): Promise<void> {
  const problems = missingPrograms();
  for (const suite of externalSuites) {
    if (suite.missing !== null && process.env[suite.requiredBy] === '1') {
      problems.push(
        `${suite.requiredBy}=1 but the ${suite.tag} suite cannot run: ${suite.missing}. ${suite.remedy}`,
      );
    }
  }
  if (problems.length > 0) {
    // A thrown error would come out framed by vitest's "No test files found" and a stack trace;
    // the reader needs only what to install.
    process.stderr.write(problems.map((line) => `Cannot run the tests: ${line}\n`).join(''));
    process.exit(1);
  }
  await buildCli();
}
