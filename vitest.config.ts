import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'subgraphs/*/test/**/*.test.ts', 'router/test/**/*.test.ts', 'storefront/test/**/*.test.ts', 'test/**/*.test.ts', 'console/test/**/*.test.ts'],
    // Each file starts its own embedded PostgreSQL and servers; forks keep their WASM heaps apart.
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    env: { ASTRO_TELEMETRY_DISABLED: '1' },
  },
});
