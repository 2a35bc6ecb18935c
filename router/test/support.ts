import { TEST_ACCESS_TOKEN_SECRET, TEST_IDENTITY_SECRET } from '@opop/server-kit/testing';
import { issueAccessToken, type Role } from '@opop/server-kit';
import type { RouterConfig, RouterProtection } from '../src/config.ts';
import { SUBGRAPHS, type SubgraphName } from '../src/subgraphs.ts';

/** Where nothing listens: the router's guard answers before any subgraph would be called. */
export const NO_SUBGRAPHS = Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, 'http://127.0.0.1:9/graphql'])) as Record<SubgraphName, string>;

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] || undefined;
export const REDIS_SKIP = TEST_REDIS_URL ? undefined : 'TEST_REDIS_URL is not set, so the Redis run of this suite is skipped';

export function testRouterConfig(
  environment: RouterConfig['environment'],
  protection: Partial<RouterProtection> = {},
  subgraphUrls: Record<SubgraphName, string> = NO_SUBGRAPHS,
): RouterConfig {
  return {
    environment,
    logLevel: (process.env['TEST_LOG_LEVEL'] as RouterConfig['logLevel'] | undefined) ?? 'silent',
    host: '127.0.0.1',
    port: 0,
    subgraphUrls,
    accessTokenSecret: TEST_ACCESS_TOKEN_SECRET,
    identitySecret: TEST_IDENTITY_SECRET,
    corsOrigins: '*',
    supergraphPath: undefined,
    protection,
  };
}

export const tokenFor = (role: Exclude<Role, 'anonymous' | 'service'>, pesantrenId: string | null = null, scopes: string[] = []) =>
  issueAccessToken({ role, subject: `test-${role}`, pesantrenId, scopes }, TEST_ACCESS_TOKEN_SECRET);

/** A media or academic partner's token, acting for the partners subgraph's Partner `partnerId` (as the console's signed-in partners do). */
export const partnerTokenFor = (role: 'media_partner' | 'academic_partner', partnerId: string, scopes: string[] = []) =>
  issueAccessToken({ role, subject: `test-${role}-${partnerId.slice(0, 8)}`, pesantrenId: null, scopes, partnerId }, TEST_ACCESS_TOKEN_SECRET);

export interface RawResponse {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined;
  text: string;
}

/** Sends exactly this body (a string is sent as it is), with JSON headers unless told otherwise. */
export async function send(url: string, body: unknown, headers: Record<string, string> = {}, method = 'POST'): Promise<RawResponse> {
  const response = await fetch(url, {
    method,
    // A GET has no body, hence no content type: what a browser's simple request looks like.
    headers: { ...(method === 'GET' ? {} : { 'content-type': 'application/json' }), accept: 'application/graphql-response+json, application/json', ...headers },
    ...(method === 'GET' ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: RawResponse['body'];
  try {
    parsed = JSON.parse(text) as RawResponse['body'];
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export const codeOf = (response: RawResponse) => response.body?.errors?.[0]?.extensions?.['code'];

/** Fragments each spreading the next twice, under fields that are lists: 2^levels × 20^levels if written out. */
export function fragmentBomb(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1
      ? `fragment F${i} on Pesantren { id name }`
      : `fragment F${i} on Pesantren { products { nodes { pesantren { ...F${i + 1} } seller { pesantren { ...F${i + 1} } } } } }`,
  );
  return `{ pesantrenList { nodes { ...F0 } } } ${fragments.join(' ')}`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs jobs a few at a time: the subgraphs answer concurrent requests, and a walk finishes sooner. */
export async function inParallel<T>(jobs: (() => Promise<T>)[], width = 6): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const index = next++;
        results[index] = await jobs[index]!();
      }
    }),
  );
  return results;
}
