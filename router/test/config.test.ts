import { ConfigError } from '@opop/server-kit';
import { describe, expect, it, vi } from 'vitest';
import { defaultProtection, loadRouterConfig, protectionOf } from '../src/config.ts';

const SECRET = 'a-router-identity-secret-of-32-characters';

describe('the router configuration', () => {
  it('lets anonymous callers send any operation in development, and only published ones in production', () => {
    expect(loadRouterConfig({}).protection).toMatchObject({ anonymousOperations: 'any', introspection: true, redisUrl: undefined });
    expect(loadRouterConfig({ NODE_ENV: 'production', ROUTER_IDENTITY_SECRET: SECRET }).protection).toMatchObject({
      anonymousOperations: 'persisted',
      introspection: false,
    });
  });

  it('fills in the documented defaults', () => {
    expect(loadRouterConfig({}).protection).toEqual(defaultProtection('development'));
    expect(defaultProtection('production')).toMatchObject({
      maxDepth: 10,
      maxAliases: 20,
      costBudgets: { anonymous: 5_000, partner: 50_000, operator: 100_000 },
      maxBodyBytes: 65_536,
      ipRate: { points: 600, seconds: 60 },
      keyRate: { points: 1_200, seconds: 60 },
      keyFailureRate: { points: 20, seconds: 300 },
      // Nobody's X-Forwarded-For is believed unless configured (npm start and compose do).
      trustedProxies: [],
      apiKeyCacheSeconds: 30,
      apiKeyNegativeCacheSeconds: 5,
    });
  });

  it('reads every limit from the environment', () => {
    const protection = loadRouterConfig({
      ANONYMOUS_OPERATIONS: 'persisted',
      MAX_QUERY_DEPTH: '8',
      MAX_ALIASES: '5',
      COST_BUDGET_ANONYMOUS: '1000',
      COST_BUDGET_PARTNER: '2000',
      COST_BUDGET_OPERATOR: '3000',
      MAX_BODY_BYTES: '32768',
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      RATE_LIMIT_IP_PER_MINUTE: '100',
      RATE_LIMIT_KEY_PER_MINUTE: '200',
      RATE_LIMIT_KEY_FAILURES_PER_5_MINUTES: '3',
      TRUSTED_PROXIES: '10.0.0.0/8, loopback',
      API_KEY_CACHE_SECONDS: '10',
      API_KEY_NEGATIVE_CACHE_SECONDS: '1',
    }).protection;
    expect(protection).toMatchObject({
      anonymousOperations: 'persisted',
      maxDepth: 8,
      maxAliases: 5,
      costBudgets: { anonymous: 1000, partner: 2000, operator: 3000 },
      maxBodyBytes: 32768,
      redisUrl: 'redis://127.0.0.1:6379/2',
      ipRate: { points: 100, seconds: 60 },
      keyRate: { points: 200, seconds: 60 },
      keyFailureRate: { points: 3, seconds: 300 },
      trustedProxies: ['10.0.0.0/8', 'loopback'],
      apiKeyCacheSeconds: 10,
      apiKeyNegativeCacheSeconds: 1,
    });
  });

  it('names each bad variable', () => {
    const attempt = () =>
      loadRouterConfig({
        REDIS_URL: 'http://cache:6379',
        TRUSTED_PROXIES: 'my-proxy',
        ANONYMOUS_OPERATIONS: 'some',
        MAX_QUERY_DEPTH: '0',
        COST_BUDGET_ANONYMOUS: '50000',
        COST_BUDGET_PARTNER: '100',
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(attempt).toThrow(/TRUSTED_PROXIES: must be IP addresses, CIDR ranges/);
    expect(attempt).toThrow(/ANONYMOUS_OPERATIONS/);
    expect(attempt).toThrow(/MAX_QUERY_DEPTH/);
  });

  it('keeps the budgets in order: anonymous callers never get more than partners', () => {
    expect(() => loadRouterConfig({ COST_BUDGET_ANONYMOUS: '60000' })).toThrow(/COST_BUDGET_ANONYMOUS: must not exceed COST_BUDGET_PARTNER/);
  });

  it('takes the console origins allowed to PUT photo uploads as bare origins, none by default', () => {
    expect(loadRouterConfig({}).uploadOrigins).toEqual([]);
    expect(loadRouterConfig({ CONSOLE_ORIGINS: 'https://konsol.opop.id, http://localhost:4330' }).uploadOrigins).toEqual(['https://konsol.opop.id', 'http://localhost:4330']);
    expect(() => loadRouterConfig({ CONSOLE_ORIGINS: 'https://konsol.opop.id/produk' })).toThrow(/CONSOLE_ORIGINS: must be origins/);
  });

  it('fills in what a hand-written configuration leaves out (tests, embedders)', () => {
    const partial = { ...loadRouterConfig({}), protection: { maxDepth: 3 } };
    expect(protectionOf(partial)).toEqual({ ...defaultProtection('development'), maxDepth: 3 });
  });
});

// Issue 16: a bench once ran on the repository's .data and default ports because scripts/stack.ts
// had read DATA_DIR and the ports when another suite first imported it.
describe('importing the router, the stack and the storefront build', () => {
  const ours = /\/(router\/src|scripts|storefront)\/[\w.-]+\.ts/;

  it('reads no environment variable and starts nothing', async () => {
    const reads: string[] = [];
    const real = process.env;
    // Who reads: the frame just above the trap, when it is one of the modules under test.
    process.env = new Proxy(real, {
      get(target, name, receiver) {
        const caller = new Error().stack?.split('\n')[2] ?? '';
        if (typeof name === 'string' && ours.test(caller) && !caller.includes('node_modules')) reads.push(`${name} ${caller.trim()}`);
        return Reflect.get(target, name, receiver);
      },
    });
    // Servers, sockets and child processes; timers come and go with vitest's own work.
    const started = () => process.getActiveResourcesInfo().filter((kind) => /TCP|UDP|Process|Pipe|FSEvent/.test(kind)).sort();
    const before = started();
    vi.resetModules();
    try {
      await import('@opop/router');
      await import('../../scripts/stack.ts');
      await import('../../scripts/platform.ts');
      await import('../../storefront/build.ts');
    } finally {
      process.env = real;
    }
    expect(reads).toEqual([]);
    expect(started()).toEqual(before);
  });

  it('takes ports, folders and secrets from the environment it is given, read when called', async () => {
    vi.stubEnv('PORT', '1111');
    vi.stubEnv('DATA_DIR', '/nowhere');
    try {
      const { localSecrets, stackFrom } = await import('../../scripts/stack.ts');
      const { storefrontDist } = await import('../../storefront/build.ts');
      const stack = stackFrom({ PORT: '4999', DATA_DIR: '/tmp/opop-given', CATALOGUE_PORT: '5101', PESANTREN_PORT: '5102' });
      expect(stack.dataDir).toBe('/tmp/opop-given');
      expect(stack.router.port).toBe(4999);
      expect(stack.subgraphs.find(({ name }) => name === 'catalogue')?.port).toBe(5101);
      expect(stack.router.env).toMatchObject({ CATALOGUE_URL: 'http://127.0.0.1:5101/graphql', TRUSTED_PROXIES: 'loopback' });
      expect(stack.subgraphs.find(({ name }) => name === 'academics')?.env).toEqual({ PESANTREN_URL: 'http://127.0.0.1:5102/graphql' });
      expect(stack.subgraphs.find(({ name }) => name === 'media')?.env).toEqual({ PESANTREN_URL: 'http://127.0.0.1:5102/graphql', CATALOGUE_URL: 'http://127.0.0.1:5101/graphql', STOREFRONT_PUBLISH_URL: 'http://127.0.0.1:4321/_publish' });
      // The subgraphs whose changes show on pages tell the storefront served next to them what changed; not when the storefront is off.
      const relaying = ['catalogue', 'pesantren', 'partners', 'media'];
      for (const name of relaying) expect(stack.subgraphs.find((service) => service.name === name)?.env?.['STOREFRONT_PUBLISH_URL'], name).toBe('http://127.0.0.1:4321/_publish');
      expect(stack.subgraphs.find(({ name }) => name === 'academics')?.env?.['STOREFRONT_PUBLISH_URL']).toBeUndefined();
      for (const name of relaying) expect(stackFrom({ STOREFRONT: 'off' }).subgraphs.find((service) => service.name === name)?.env?.['STOREFRONT_PUBLISH_URL'], name).toBeUndefined();
      expect(stackFrom({}).router.port).toBe(4000);
      expect(storefrontDist({ STOREFRONT_DIST: '/tmp/opop-dist' })).toBe('/tmp/opop-dist');
      expect(stack.console).toMatchObject({ port: 4330, env: { ROUTER_URL: 'http://127.0.0.1:4999/graphql', PUBLIC_URL: 'http://localhost:4330' } });
      expect(stackFrom({ CONSOLE_PORT: '5330' }).console.env?.['PUBLIC_URL']).toBe('http://localhost:5330');
      const given = { AUTH_TOKEN_SECRET: 'a', ROUTER_IDENTITY_SECRET: 'b', PSEUDONYM_SECRET: 'c', ACCOUNTS_SECRET: 'd', STOREFRONT_PUBLISH_SECRET: 'e' };
      // All given: the data folder (here one that cannot exist) is never touched.
      await expect(localSecrets(given, '/nowhere/at/all')).resolves.toEqual({ ...given, generated: false });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
