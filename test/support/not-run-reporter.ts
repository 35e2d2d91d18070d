import type { Reporter, TestModule } from 'vitest/node';
import { externalSuites } from './external-suites.js';

/**
 * Names, once and after vitest's own summary, each external suite whose tests were skipped
 * because this machine lacks what they need: how many tests, in which files, why, and how to run
 * them. Vitest counts them as skipped, never as passed; this line says which skips those are.
 */
export default class NotRunReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    for (const suite of externalSuites) {
      if (suite.missing === null) continue;
      const files = new Set<string>();
      let count = 0;
      for (const testModule of testModules) {
        for (const test of testModule.children.allTests()) {
          if (!test.tags.includes(suite.tag) || test.result().state !== 'skipped') continue;
          count += 1;
          files.add(testModule.relativeModuleId);
        }
      }
      if (count === 0) continue;
      console.log(
        `\n${suite.tag} suite not run: ${suite.missing} (${count} tests in ${[...files].sort().join(', ')}). ${suite.remedy}`,
      );
    }
  }
}
