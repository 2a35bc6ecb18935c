import { defineConfig } from 'vitest/config';

/**
 * The storefront's browser suite measures the pages (Lighthouse performance, layout shift), so it
 * runs last, alone, with both cores to itself: beside another suite its Lighthouse performance
 * fell to 78 (total blocking time 1,000 ms).
 */
const measuredInBrowser = ['storefront/test/storefront.e2e.test.ts'];

export default defineConfig({
  test: {
    // Each file starts its own embedded PostgreSQL and servers; forks keep their WASM heaps apart.
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/known-queries-check.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // expect.poll gives up after 1 s by default, also while its callback waits on a browser: on a
    // machine where every request took twice as long, a status page's first read of the API took
    // longer than that and a browser test failed that passed alone. A poll that succeeds still
    // ends as soon as it does.
    expect: { poll: { timeout: 10_000 } },
    env: { ASTRO_TELEMETRY_DISABLED: '1' },
    projects: [
      {
        extends: true,
        test: {
          name: 'suites',
          include: [
            'packages/*/test/**/*.test.ts',
            'subgraphs/*/test/**/*.test.ts',
            'router/test/**/*.test.ts',
            'storefront/test/**/*.test.ts',
            'test/**/*.test.ts',
            'console/test/**/*.test.ts',
          ],
          exclude: measuredInBrowser,
          // Two files at a time on CI's two cores (vitest's default there is one): the suites wait
          // on PostgreSQL, their servers and the browser much of the time.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'measured',
          include: measuredInBrowser,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
