import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { ANONYMOUS, IDENTITY_HEADER, issueAccessToken, signForwardedIdentity } from '../src/identity.ts';
import { identityFromHeaders, subgraphConfigSchema } from '../src/subgraph.ts';
import { TEST_IDENTITY_SECRET, identityHeaders } from '../src/testing.ts';

/** Subgraphs serve only requests that came through the router, which signs an identity for every one. */

const schema = subgraphConfigSchema('catalogue', 4001, '/tmp/data');
const admin = { role: 'programme_admin' as const, subject: 'admin-1', pesantrenId: null, scopes: [] };

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { extensions?: { code?: string; http?: { status?: number } } }) => `${error.extensions?.code} ${error.extensions?.http?.status}`,
  );

describe('the identity a subgraph serves', () => {
  it('is the one the router signed, anonymous included', async () => {
    expect(await identityFromHeaders(await identityHeaders(ANONYMOUS), TEST_IDENTITY_SECRET)).toEqual(ANONYMOUS);
    expect(await identityFromHeaders(await identityHeaders(admin), TEST_IDENTITY_SECRET)).toMatchObject(admin);
  });

  it('is refused with 401 when the request carries none', async () => {
    expect(await codeOf(identityFromHeaders({}, TEST_IDENTITY_SECRET))).toBe('UNAUTHENTICATED 401');
    expect(await codeOf(identityFromHeaders({ [IDENTITY_HEADER]: '' }, TEST_IDENTITY_SECRET))).toBe('UNAUTHENTICATED 401');
  });

  it('is refused with 401 when forged, signed for another audience, or without a secret to check it', async () => {
    const forged = await signForwardedIdentity(admin, 'another-secret-that-is-32-characters!!');
    const accessToken = await issueAccessToken(admin, TEST_IDENTITY_SECRET);
    for (const token of [forged, accessToken, 'not-a-jwt']) {
      expect(await codeOf(identityFromHeaders({ [IDENTITY_HEADER]: token }, TEST_IDENTITY_SECRET))).toBe('UNAUTHENTICATED 401');
    }
    expect(await codeOf(identityFromHeaders(await identityHeaders(admin), undefined))).toBe('UNAUTHENTICATED 401');
  });

  it('is anonymous without a header only in explicit local development', async () => {
    expect(await identityFromHeaders({}, undefined, true)).toEqual(ANONYMOUS);
    // A header that is there is still checked.
    expect(await codeOf(identityFromHeaders({ [IDENTITY_HEADER]: 'not-a-jwt' }, TEST_IDENTITY_SECRET, true))).toBe('UNAUTHENTICATED 401');
  });
});

describe('ALLOW_UNSIGNED_REQUESTS', () => {
  it('is off unless set', () => {
    expect(loadConfig(schema, {}).allowUnsignedRequests).toBe(false);
    expect(loadConfig(schema, { ALLOW_UNSIGNED_REQUESTS: 'true' }).allowUnsignedRequests).toBe(true);
  });

  it('is refused in production', () => {
    const attempt = () => loadConfig(schema, { NODE_ENV: 'production', ROUTER_IDENTITY_SECRET: TEST_IDENTITY_SECRET, ALLOW_UNSIGNED_REQUESTS: 'true' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/ALLOW_UNSIGNED_REQUESTS: must not be set in production/);
  });
});
