import { defineConfig } from 'vitest/config';

// Suites that drive Chromium: they measure the pages (Lighthouse performance, layout shift) and
// time real clicks, so they run one file at a time with the cores to themselves.
const browserSuites = [
  'storefront/test/**/*.e2e.test.ts',
  'console/test/**/*.e2e.test.ts',
  'packages/sdk/test/**/*.e2e.test.ts',
  'test/journey.e2e.test.ts',
];

export default defineConfig({
  test: {
    // Each file starts its own embedded PostgreSQL and servers; forks keep their WASM heaps apart.
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    env: { ASTRO_TELEMETRY_DISABLED: '1' },
    projects: [
      {
        extends: true,
        test: {
          name: 'services',
          include: [
            'packages/*/test/**/*.test.ts',
            'subgraphs/*/test/**/*.test.ts',
            'router/test/**/*.test.ts',
            'storefront/test/**/*.test.ts',
            'test/**/*.test.ts',
            'console/test/**/*.test.ts',
          ],
          exclude: browserSuites,
          // Service suites wait on PostgreSQL and their own servers much of the time: two at a
          // time on CI's two cores took the run from 1,453 s to 1,160 s.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: browserSuites,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
