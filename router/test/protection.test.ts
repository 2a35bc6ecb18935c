import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyHolder, ApiKeyLookup } from '../src/api-keys.ts';
import { createRouter, type Router } from '../src/app.ts';
import { composeSupergraph } from '../src/compose.ts';
import type { RouterProtection } from '../src/config.ts';
import { UnboundedListsError } from '../src/limits.ts';
import { sha256Hex } from '../src/persisted.ts';
import { REDIS_SKIP, TEST_REDIS_URL, codeOf, fragmentBomb, median, send, testRouterConfig, tokenFor, type RawResponse } from './support.ts';

/**
 * The router's refusals, against a router whose subgraphs are all down: everything here is
 * decided before a subgraph would be called, so nothing else needs to run. (The attacks on the
 * whole supergraph are in attacks.e2e.test.ts.)
 */

const manifest = JSON.parse(readFileSync(new URL('../../schema/persisted-operations.json', import.meta.url), 'utf8')) as Record<string, string>;
const [manifestHash, manifestText] = Object.entries(manifest).find(([, text]) => text.includes('query StorefrontRegencies'))!;

const GRAPHQL_RESPONSE = { accept: 'application/graphql-response+json' };
const LEGACY_JSON = { accept: 'application/json' };
const WIDE = '{ pesantrenList(first: 100) { nodes { products(first: 100) { nodes { coverage(first: 100) { slug } } } } } }';

/** The supergraph of the SDL as it is now: the lists' maxima are read from it. */
const { supergraphSdl } = await composeSupergraph();

const started: Router[] = [];
async function start(environment: 'development' | 'production', protection: Partial<RouterProtection> = {}, apiKeyLookup?: ApiKeyLookup, redisKeyPrefix?: string) {
  const router = await createRouter(testRouterConfig(environment, protection), {
    supergraphSdl,
    ...(apiKeyLookup ? { apiKeyLookup } : {}),
    ...(redisKeyPrefix ? { redisKeyPrefix } : {}),
  });
  started.push(router);
  await router.rateLimits.ready();
  return { router, url: await router.server.listen('127.0.0.1', 0) };
}
afterAll(async () => {
  for (const router of started) await router.server.close();
});

const expectAlive = async (url: string) => expect((await fetch(new URL('/health', url))).status).toBe(200);
const expectNoData = (response: RawResponse) => expect(response.body && 'data' in response.body ? response.body.data : undefined).toBeUndefined();

describe('limits, before anything runs', () => {
  let url: string;
  beforeAll(async () => {
    ({ url } = await start('development'));
  });

  it('refuses a deeply nested query with QUERY_TOO_DEEP: 400 for graphql-response+json, 200 for legacy JSON clients', async () => {
    const deep = '{ products { nodes { pesantren { products { nodes { pesantren { products { nodes { pesantren { products { nodes { id } } } } } } } } } } } }';
    const modern = await send(url, { query: deep }, GRAPHQL_RESPONSE);
    expect([modern.status, codeOf(modern)]).toEqual([400, 'QUERY_TOO_DEEP']);
    expect(modern.body?.errors?.[0]?.extensions).toMatchObject({ depth: 12, maxDepth: 10 });
    expectNoData(modern);
    const legacy = await send(url, { query: deep }, LEGACY_JSON);
    expect([legacy.status, codeOf(legacy)]).toEqual([200, 'QUERY_TOO_DEEP']);
  });

  it('refuses 5,000 levels of nesting with QUERY_TOO_DEEP before the parser can overflow its stack, counting no brace inside strings', async () => {
    const fields = `{ ${'products { nodes { '.repeat(2_500)}id${' } }'.repeat(2_500)} }`;
    const braces = `{ ${'{'.repeat(5_000)}${'}'.repeat(5_000)} }`;
    for (const query of [fields, braces]) {
      const refused = await send(url, { query }, GRAPHQL_RESPONSE);
      expect([refused.status, codeOf(refused)]).toEqual([400, 'QUERY_TOO_DEEP']);
      expect(refused.body?.errors?.[0]?.message).not.toMatch(/stack|Context creation/);
    }
    const search = await send(url, { query: `{ __typename a: __typename # ${'{'.repeat(300)}\n }`, variables: { q: '{'.repeat(300) } });
    expect(search.body?.errors).toBeUndefined();
    await expectAlive(url);
  });

  it('says which operation to name, and that there are no subscriptions, instead of a 500', async () => {
    const two = await send(url, { query: 'query A { __typename } query B { __typename }' }, GRAPHQL_RESPONSE);
    expect([two.status, codeOf(two)]).toEqual([400, 'OPERATION_RESOLUTION_FAILURE']);
    expect(two.body?.errors?.[0]?.message).toMatch(/operationName/);
    const named = await send(url, { query: 'query A { __typename } query B { __typename }', operationName: 'B' });
    expect(named.body).toEqual({ data: { __typename: 'Query' } });
    const missing = await send(url, { query: 'query A { __typename }', operationName: 'C' }, GRAPHQL_RESPONSE);
    expect([missing.status, codeOf(missing)]).toEqual([400, 'OPERATION_RESOLUTION_FAILURE']);
    const subscription = await send(url, { query: 'subscription { regencies { code } }' }, GRAPHQL_RESPONSE);
    expect([subscription.status, codeOf(subscription)]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
    expect(subscription.body?.errors?.[0]?.message).toMatch(/no subscriptions/);
  });

  it('refuses alias bombs with TOO_MANY_ALIASES, also when the aliases hide in a fragment spread many times', async () => {
    const direct = Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ');
    expect(codeOf(await send(url, { query: `{ ${direct} }` }))).toBe('TOO_MANY_ALIASES');
    const spreads = Array.from({ length: 30 }, (_, i) => `r${i}: regencies { ...A }`).join(' ');
    expect(codeOf(await send(url, { query: `{ ${spreads} } fragment A on Regency { c: code }` }))).toBe('TOO_MANY_ALIASES');
  });

  it('refuses a query whose list sizes multiply past the budget with QUERY_TOO_COMPLEX, saying its cost', async () => {
    const response = await send(url, { query: WIDE }, GRAPHQL_RESPONSE);
    expect([response.status, codeOf(response)]).toEqual([400, 'QUERY_TOO_COMPLEX']);
    expect(response.body?.errors?.[0]?.extensions).toMatchObject({ cost: 1 + (1 + 100 * (1 + (1 + 100 * (1 + 100)))), maxCost: 5_000 });
    // The same through variables, and through GET.
    const variables = await send(url, { query: 'query W($n: Int) { pesantrenList(first: $n) { nodes { products(first: $n) { nodes { id } } } } }', variables: { n: 100 } });
    expect(codeOf(variables)).toBe('QUERY_TOO_COMPLEX');
    const get = await send(`${url}?query=${encodeURIComponent(WIDE)}`, undefined, { 'apollo-require-preflight': 'true' }, 'GET');
    expect(codeOf(get)).toBe('QUERY_TOO_COMPLEX');
  });

  it('does not start with a supergraph whose list declares no maximum: its cost would be a guess', async () => {
    const unsized = supergraphSdl.replace(/(regencies\(provinceCode: String\): \[Regency!\]![^\n]*?) @listSize\(assumedSize: 38\)/, '$1');
    expect(unsized).not.toBe(supergraphSdl);
    await expect(createRouter(testRouterConfig('development'), { supergraphSdl: unsized })).rejects.toThrow(UnboundedListsError);
    await expect(createRouter(testRouterConfig('development'), { supergraphSdl: unsized })).rejects.toThrow(/Query\.regencies/);
  });

  it("costs a partner's statistics by the cells' declared maximum: the issue's query is refused, a table of counts is not", async () => {
    const partner = { authorization: `Bearer ${await tokenFor('academic_partner')}` };
    const issue = `{ enrolmentStats(groupBy: [PESANTREN, PROGRAMME, GENDER, AGE_BAND]) { total cells { count key { programme gender ageBand
      pesantren { id name products(first: 20) { totalCount nodes { id name { indonesian } priceRupiah } } } } } } }`;
    const refused = await send(url, { query: issue }, { ...partner, ...GRAPHQL_RESPONSE });
    expect([refused.status, codeOf(refused)]).toEqual([400, 'QUERY_TOO_COMPLEX']);
    expect(refused.body?.errors?.[0]?.extensions).toMatchObject({ cost: 455_003, maxCost: 50_000 });
    expectNoData(refused);
    const table = '{ enrolmentStats(groupBy: [REGENCY, PROGRAMME]) { total cells { count key { regency { code } programme } } } }';
    // Past the limits, on to the (absent) subgraphs.
    expect(codeOf(await send(url, { query: table }, partner))).not.toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses fragment bombs without walking them, and fragment cycles through validation', async () => {
    const bomb = await send(url, { query: fragmentBomb(40) });
    expect(['QUERY_TOO_DEEP', 'QUERY_TOO_COMPLEX']).toContain(codeOf(bomb));
    const cycle = await send(url, { query: '{ pesantrenList { nodes { ...A } } } fragment A on Pesantren { id ...B } fragment B on Pesantren { name ...A }' });
    expect(codeOf(cycle)).toBe('GRAPHQL_VALIDATION_FAILED');
    await expectAlive(url);
  });

  it('refuses a cost bomb in under 50 ms (median of several, on this loaded machine)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      // A new text each time, so no cache of the router or of Apollo helps.
      const query = i % 2 ? WIDE.replace('slug', `slug t${i}: slug`) : `${fragmentBomb(30)} fragment Unused${i} on Query { __typename }`;
      const before = performance.now();
      const response = await send(url, { query });
      times.push(performance.now() - before);
      expect(['QUERY_TOO_COMPLEX', 'QUERY_TOO_DEEP']).toContain(codeOf(response));
    }
    expect(median(times)).toBeLessThan(50);
  });

  it('refuses bodies over the limit with 413 before reading them as JSON, and malformed JSON with 400', async () => {
    const huge = await send(url, { query: `{ ${'__typename '.repeat(10_000)} }` });
    expect([huge.status, codeOf(huge)]).toEqual([413, 'REQUEST_TOO_LARGE']);
    for (const body of ['{"query": ', 'not json at all', '{"query": "{ __typename }"'.repeat(100), '\u0000\u0001']) {
      const malformed = await send(url, body);
      expect([malformed.status, codeOf(malformed)], body).toEqual([400, 'BAD_REQUEST']);
    }
    const wrongParams = await send(url, { query: 42, variables: 'x' });
    expect(wrongParams.status).toBe(400);
    await expectAlive(url);
  });

  it('refuses batched requests: one request, one operation, one budget', async () => {
    const batch = await send(url, [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect([batch.status, codeOf(batch)]).toEqual([400, 'BAD_REQUEST']);
    const many = await send(url, Array.from({ length: 1000 }, () => ({ query: WIDE })));
    expect(many.status).toBeGreaterThanOrEqual(400);
    expect(many.status).toBeLessThan(500);
  });

  it('allows introspection in development', async () => {
    const response = await send(url, { query: '{ __schema { queryType { name } } }' });
    expect(response.body?.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('in production', () => {
  let url: string;
  beforeAll(async () => {
    ({ url } = await start('production'));
  });

  it('turns introspection off for everyone, tokens included', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Product") { name } }', '{ regencies { ...T } } fragment T on Regency { __type(name: "X") { name } }']) {
      const response = await send(url, { query }, { ...GRAPHQL_RESPONSE, authorization: `Bearer ${await tokenFor('programme_admin')}` });
      expect([response.status, codeOf(response)], query).toEqual([400, 'INTROSPECTION_DISABLED']);
    }
    expect((await send(url, { query: manifestText })).body?.errors?.some((e) => e.extensions?.['code'] === 'INTROSPECTION_DISABLED')).toBeFalsy();
  });

  it('lets anonymous callers run only the published operations, without parsing anything else', async () => {
    for (const query of ['{ __typename }', '{{{{ not even GraphQL', `${manifestText} `]) {
      const response = await send(url, { query }, GRAPHQL_RESPONSE);
      expect([response.status, codeOf(response)], query).toEqual([400, 'PERSISTED_QUERY_REQUIRED']);
    }
    // The published text passes the guard (and then meets the subgraphs, all down here).
    const published = await send(url, { query: manifestText });
    expect(published.body?.errors?.map((e) => e.extensions?.['code'])).not.toContain('PERSISTED_QUERY_REQUIRED');
  });

  it('fills in a published operation from its hash alone (APQ), and says an unknown hash is not found', async () => {
    const byHash = await send(url, { extensions: { persistedQuery: { version: 1, sha256Hash: manifestHash } } });
    expect(byHash.body?.errors?.map((e) => e.extensions?.['code'])).not.toContain('PERSISTED_QUERY_REQUIRED');
    expect(byHash.body?.errors?.map((e) => e.extensions?.['code'])).not.toContain('PERSISTED_QUERY_NOT_FOUND');
    const unknown = sha256Hex('{ __typename }');
    const miss = await send(url, { extensions: { persistedQuery: { version: 1, sha256Hash: unknown } } });
    expect(codeOf(miss)).toBe('PERSISTED_QUERY_NOT_FOUND');
    // An APQ client then sends the document: still not published.
    const register = await send(url, { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: unknown } } });
    expect(codeOf(register)).toBe('PERSISTED_QUERY_REQUIRED');
  });

  it('lets token holders send their own operations, within their budget', async () => {
    const admin = { authorization: `Bearer ${await tokenFor('programme_admin')}` };
    expect((await send(url, { query: '{ __typename }' }, admin)).body).toEqual({ data: { __typename: 'Query' } });
    const partner = { authorization: `Bearer ${await tokenFor('academic_partner')}` };
    expect((await send(url, { query: '{ __typename }' }, partner)).body).toEqual({ data: { __typename: 'Query' } });
    // ~10,000: over the anonymous budget, within a partner's.
    const medium = '{ pesantrenList(first: 100) { nodes { products(first: 100) { nodes { id } } } } }';
    expect(codeOf(await send(url, { query: medium }, partner))).not.toBe('QUERY_TOO_COMPLEX');
    expect(codeOf(await send(url, { query: WIDE }, partner))).toBe('QUERY_TOO_COMPLEX');
    expect(codeOf(await send(url, { query: WIDE.replace('coverage(first: 100)', 'coverage(first: 5)') }, admin))).not.toBe('QUERY_TOO_COMPLEX');
    // A document of their own is costed with each request's variables: passing once clears nothing
    // (the router remembers only published documents as checked, whose cost is not limited).
    const sized = 'query Sized($n: Int!) { pesantrenList(first: 100) { nodes { products(first: 100) { nodes { coverage(first: $n) { slug } } } } } }';
    expect(codeOf(await send(url, { query: sized, variables: { n: 1 } }, partner))).not.toBe('QUERY_TOO_COMPLEX');
    expect(codeOf(await send(url, { query: sized, variables: { n: 100 } }, partner))).toBe('QUERY_TOO_COMPLEX');
  });
});

const HOLDER: ApiKeyHolder = {
  keyId: '5e7c1c9a-4f44-4d5b-9d8e-000000000001',
  partnerId: '5e7c1c9a-4f44-4d5b-9d8e-000000000002',
  partnerSlug: 'jtv',
  role: 'media_partner',
  scopes: ['widgets:events'],
  allowedOrigins: ['https://www.jtv.co.id'],
};

describe('API keys (lookup contract, with a stand-in for the partners subgraph)', () => {
  const lookups: string[] = [];
  const keys = new Map<string, ApiKeyHolder | null | 'down'>([
    ['opk_live_good', HOLDER],
    ['opk_live_open', { ...HOLDER, keyId: '5e7c1c9a-4f44-4d5b-9d8e-000000000003', allowedOrigins: [] }],
    ['opk_live_down', 'down'],
  ]);
  const lookup: ApiKeyLookup = async (secret) => {
    lookups.push(secret);
    const holder = keys.get(secret);
    if (holder === 'down') throw new (await import('../src/api-keys.ts')).ApiKeyLookupError('partners is down');
    return holder ?? null;
  };
  let url: string;
  beforeAll(async () => {
    // Loopback trusted, so each test can speak for a client address of its own.
    ({ url } = await start('production', { apiKeyCacheSeconds: 0.3, apiKeyNegativeCacheSeconds: 0.3, keyFailureRate: { points: 5, seconds: 60 }, trustedProxies: ['loopback'] }, lookup));
  });

  it('accepts a known key as its partner, with its own operations', async () => {
    const response = await send(url, { query: '{ __typename }' }, { 'x-api-key': 'opk_live_open' });
    expect(response.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers unknown and revoked keys with 401, asking the partners subgraph once per key and negative TTL', async () => {
    lookups.length = 0;
    const responses = await Promise.all(Array.from({ length: 3 }, () => send(url, { query: '{ __typename }' }, { 'x-api-key': 'opk_live_unknown' })));
    for (const response of responses) expect([response.status, codeOf(response)]).toEqual([401, 'UNAUTHENTICATED']);
    expect(lookups).toEqual(['opk_live_unknown']);
    // Not even asked: nothing we issue looks like this.
    expect((await send(url, { query: '{ __typename }' }, { 'x-api-key': 'x'.repeat(5_000) })).status).toBe(401);
    expect(lookups).toEqual(['opk_live_unknown']);
  });

  it('stops accepting a revoked key once the positive TTL has passed', async () => {
    keys.set('opk_live_revoked', { ...HOLDER, keyId: '5e7c1c9a-4f44-4d5b-9d8e-000000000004', allowedOrigins: [] });
    expect((await send(url, { query: '{ __typename }' }, { 'x-api-key': 'opk_live_revoked' })).status).toBe(200);
    keys.set('opk_live_revoked', null);
    expect((await send(url, { query: '{ __typename }' }, { 'x-api-key': 'opk_live_revoked' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const revoked = await send(url, { query: '{ __typename }' }, { 'x-forwarded-for': '198.51.100.22', 'x-api-key': 'opk_live_revoked' });
    expect([revoked.status, codeOf(revoked)]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('refuses a key bound to origins from any other origin with 403, and accepts it from its own or from servers', async () => {
    // Each test of keys from its own address: the unknown keys above count against theirs.
    const from = { 'x-forwarded-for': '198.51.100.20' };
    const foreign = await send(url, { query: '{ __typename }' }, { ...from, 'x-api-key': 'opk_live_good', origin: 'https://evil.example' });
    expect([foreign.status, codeOf(foreign)]).toEqual([403, 'FORBIDDEN']);
    expect((await send(url, { query: '{ __typename }' }, { ...from, 'x-api-key': 'opk_live_good', origin: 'https://www.jtv.co.id' })).status).toBe(200);
    expect((await send(url, { query: '{ __typename }' }, { ...from, 'x-api-key': 'opk_live_good' })).status).toBe(200);
  });

  it('says 503 when keys cannot be checked, rather than letting the caller in or out for good', async () => {
    const response = await send(url, { query: '{ __typename }' }, { 'x-forwarded-for': '198.51.100.21', 'x-api-key': 'opk_live_down' });
    expect([response.status, codeOf(response), response.headers.get('retry-after')]).toEqual([503, 'SERVICE_UNAVAILABLE', '5']);
  });

  it('slows down an IP that guesses keys: 429 after a few unknown ones', async () => {
    const guessing = { 'x-forwarded-for': '198.51.100.7' };
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await send(url, { query: '{ __typename }' }, { ...guessing, 'x-api-key': `opk_live_guess_${i}` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    // Even a good key waits, from that IP, and is told why; other IPs are not affected.
    const held = await send(url, { query: '{ __typename }' }, { ...guessing, 'x-api-key': 'opk_live_open' });
    expect(held.status).toBe(429);
    expect(held.body?.errors?.[0]?.message).toMatch(/^Too many unknown or revoked API keys were sent from this address; try again in \d+ s$/);
    expect((await send(url, { query: '{ __typename }' }, { 'x-forwarded-for': '198.51.100.8', 'x-api-key': 'opk_live_open' })).status).toBe(200);
  });
});

describe.each([
  { store: 'memory', skip: undefined, redisUrl: undefined },
  { store: 'redis', skip: REDIS_SKIP, redisUrl: TEST_REDIS_URL },
])('rate limits in $store', ({ store, skip, redisUrl }) => {
  if (skip) {
    it.skip(skip, () => {});
    return;
  }
  const prefix = `opop:test:${randomBytes(4).toString('hex')}`;
  // Loopback trusted, as npm start configures it: these tests stand in for forwarded shoppers.
  const limits: Partial<RouterProtection> = { redisUrl, ipRate: { points: 3, seconds: 60 }, keyRate: { points: 2, seconds: 60 }, trustedProxies: ['loopback'] };
  const holder = { ...HOLDER, allowedOrigins: [] };
  const quoted = { ...holder, keyId: '5e7c1c9a-4f44-4d5b-9d8e-000000000003' };
  const lookup: ApiKeyLookup = async (secret) => (secret === 'opk_live_busy' ? holder : secret === 'opk_live_quota' ? quoted : null);
  let url: string;
  let router: Router;
  beforeAll(async () => {
    ({ url, router } = await start('development', limits, lookup, prefix));
  });

  it(`counts in ${store}`, () => {
    expect(router.rateLimits.store).toBe(store);
  });

  it('answers 429 with Retry-After past the per-IP limit, and the process stays up', async () => {
    const ip = { 'x-forwarded-for': '203.0.113.10' };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await send(url, { query: '{ __typename }' }, ip));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    const limited = statuses[3]!;
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.body?.errors?.[0]?.extensions?.['retryAfterSeconds']).toBe(Number(limited.headers.get('retry-after')));
    await expectAlive(url);
  });

  it('believes X-Forwarded-For only from trusted proxies', async () => {
    // From loopback, when trusted, each forwarded client has its own count.
    expect((await send(url, { query: '{ __typename }' }, { 'x-forwarded-for': '203.0.113.11' })).status).toBe(200);
    // A router left at its default trusts no proxy: it counts the connection's address, whatever the header says.
    const { trustedProxies: _trusted, ...untrusting } = limits;
    const strict = await start('development', untrusting, lookup, `${prefix}:strict`);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(strict.url, { query: '{ __typename }' }, { 'x-forwarded-for': `203.0.113.${20 + i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('limits each API key wherever it comes from', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await send(url, { query: '{ __typename }' }, { 'x-api-key': 'opk_live_busy', 'x-forwarded-for': `203.0.113.${30 + i}` }));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(codeOf(statuses[2]!)).toBe('RATE_LIMITED');
    expect(statuses[2]!.headers.get('retry-after')).toBeTruthy();
  });

  it('tells signed-in callers their quota on every answer (readable by scripts on other origins), and anonymous ones nothing', async () => {
    const quota = (response: RawResponse) => ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy'].map((name) => response.headers.get(name));
    // A key: its own window (2 a minute here), counted down, whichever address it comes from.
    const first = await send(url, { query: '{ __typename }' }, { 'x-api-key': 'opk_live_quota', 'x-forwarded-for': '203.0.113.50' });
    const second = await send(url, { query: '{ __typename }' }, { 'x-api-key': 'opk_live_quota', 'x-forwarded-for': '203.0.113.51' });
    expect(quota(first).slice(0, 2)).toEqual(['2', '1']);
    expect(quota(second).slice(0, 2)).toEqual(['2', '0']);
    expect(quota(second)[3]).toBe('2;w=60');
    expect(Number(quota(second)[2])).toBeGreaterThan(0);
    expect(Number(quota(second)[2])).toBeLessThanOrEqual(60);
    // Then refused with Retry-After, as before.
    expect((await send(url, { query: '{ __typename }' }, { 'x-api-key': 'opk_live_quota', 'x-forwarded-for': '203.0.113.52' })).status).toBe(429);
    // A token: its address's window (3 a minute here).
    const token = await send(url, { query: '{ __typename }' }, { authorization: `Bearer ${await tokenFor('programme_admin')}`, 'x-forwarded-for': '203.0.113.53' });
    expect(quota(token).slice(0, 2)).toEqual(['3', '2']);
    // Anonymous: counted, but no quota on an answer a cache may hand to someone else.
    const anonymous = await send(url, { query: '{ __typename }' }, { 'x-forwarded-for': '203.0.113.54' });
    expect(anonymous.status).toBe(200);
    expect(quota(anonymous)).toEqual([null, null, null, null]);
    // A script on another origin (a partner's page with a widget's key) may read them.
    const crossOrigin = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://www.jtv.co.id', 'x-forwarded-for': '203.0.113.55' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(crossOrigin.headers.get('access-control-expose-headers')?.split(/,\s*/)).toEqual(expect.arrayContaining(['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy', 'retry-after']));
  });

  it.skipIf(store !== 'redis')('shares the counts between router instances', async () => {
    const other = await start('development', limits, lookup, prefix);
    const ip = { 'x-forwarded-for': '203.0.113.40' };
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(i % 2 ? other.url : url, { query: '{ __typename }' }, ip)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
