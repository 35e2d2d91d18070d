import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/global-setup.ts'],
    // Suites that need what a clone does not bring (test/support/external-suites.ts): skipped
    // without it, and named at the end of the run by the second reporter.
    tags: [
      { name: 'corpus', description: 'reads the shared corpus of real mail at ../shared/corpus/' },
      { name: 'postfix', description: 'puts a private Postfix instance in front of docket serve' },
    ],
    reporters: ['default', './test/support/not-run-reporter.ts'],
    // Database and wire tests start real servers and databases; two cores run two files at once.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
