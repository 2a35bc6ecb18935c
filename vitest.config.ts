import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'subgraphs/*/test/**/*.test.ts', 'router/test/**/*.test.ts', 'storefront/test/**/*.test.ts', 'test/**/*.test.ts', 'console/test/**/*.test.ts'],
    // Each file starts its own embedded PostgreSQL and servers; forks keep their WASM heaps apart.
    pool: 'forks',
    // Two files at a time. Vitest's default is one fewer than the cores, which on CI's two cores ran
    // every file in turn (the files' durations summed to the whole run, ~23 min on a slow day),
    // while most of a file's time is spent waiting on its services. Not more: each browser suite
    // starts a whole platform, and Lighthouse scores performance on the same cores.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    env: { ASTRO_TELEMETRY_DISABLED: '1' },
  },
});
