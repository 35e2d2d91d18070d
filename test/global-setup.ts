import { buildCli } from './support/docket-cli.js';

/**
 * Compiles the `docket` command once before any test file runs: the CLI tests run what a user
 * runs, and several files building into the same dist/ at once could read each other's half-written
 * output.
 */
export default async function setup(): Promise<void> {
  await buildCli();
}
