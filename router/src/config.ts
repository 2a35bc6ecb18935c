import proxyaddr from '@fastify/proxy-addr';
import { z } from 'zod';
import { envVar, loadConfig, serviceEnv, type ServiceConfig } from '@opop/server-kit';
import { SUBGRAPHS, type SubgraphName } from './subgraphs.ts';

/** A rate limit: so many requests per window, per IP or per API key. */
export interface RateWindow {
  points: number;
  seconds: number;
}

/**
 * Cost budgets (limits.ts has the formula). Partners: API keys and partners' tokens; operators:
 * pesantren operators and programme admins. Operations in the persisted-operation manifest are
 * not held to a budget (see guard.ts).
 */
export interface CostBudgets {
  anonymous: number;
  partner: number;
  operator: number;
}

/** How the router holds under abuse. Every field has a default (`defaultProtection`). */
export interface RouterProtection {
  /**
   * `persisted`: anonymous callers may run only the operations of schema/persisted-operations.json;
   * `any`: they may send any operation (development, so the README's curl examples work).
   */
  anonymousOperations: 'persisted' | 'any';
  /** The manifest (sha256 hex of each document → document) written by `npm run codegen`. */
  persistedOperationsPath: string | URL;
  /** Off in production: the schema is published as schema/api.graphql. */
  introspection: boolean;
  maxDepth: number;
  maxAliases: number;
  costBudgets: CostBudgets;
  /** Larger bodies are refused with 413 before they are parsed. */
  maxBodyBytes: number;
  /**
   * The largest answer to a query, as JSON before compression; a larger one is replaced by a
   * RESPONSE_TOO_LARGE error asking for fewer items. Mutations are always answered in full.
   */
  maxResponseBytes: number;
  /** Rate limits share this Redis across router instances; memory (per instance) when unset. */
  redisUrl: string | undefined;
  /** Per client IP, for anonymous callers and bearer tokens. */
  ipRate: RateWindow;
  /** Per API key, whatever IP it comes from. */
  keyRate: RateWindow;
  /** Unknown or revoked keys per client IP, so keys cannot be guessed at speed. */
  keyFailureRate: RateWindow;
  /**
   * Proxies whose X-Forwarded-For is believed (proxy-addr notation: `loopback`, an IP, a CIDR).
   * None unless configured: a client talking to the router directly must not choose the address
   * it is rate-limited by. `npm start` trusts loopback, where its storefront server forwards
   * shoppers from; compose trusts the private network of its balancer.
   */
  trustedProxies: string[];
  /**
   * How long the holder of an API key is remembered. A revoked key keeps working for up to
   * `apiKeyCacheSeconds` on each router instance; an unknown one is asked about again after
   * `apiKeyNegativeCacheSeconds`.
   */
  apiKeyCacheSeconds: number;
  apiKeyNegativeCacheSeconds: number;
}

/** How the router spends its time and memory (router/README.md, "Performance"). */
export interface RouterPerformance {
  /** Caches anonymous answers to public queries, as long as the subgraphs' cache hints allow. */
  responseCache: boolean;
  /** Memory per router process for cached answers (with REDIS_URL they live in Redis instead). */
  responseCacheMegabytes: number;
  /** Kept-alive connections per subgraph and router process; more requests wait for one. */
  subgraphConnections: number;
  /** Approximate memory for the gateway's query plans, per router process. */
  queryPlanCacheMegabytes: number;
  /**
   * Router processes sharing the port (node:cluster); one unless ROUTER_WORKERS says otherwise.
   * More capacity comes from replicas behind a balancer (router/README.md, "Why our own response
   * cache and supervisor"); several workers are for a host that has no balancer in front.
   */
  workers: number;
}

export const DEFAULT_PERFORMANCE: RouterPerformance = { responseCache: true, responseCacheMegabytes: 64, subgraphConnections: 64, queryPlanCacheMegabytes: 30, workers: 1 };

export const performanceOf = (config: RouterConfig): RouterPerformance => ({ ...DEFAULT_PERFORMANCE, ...config.performance });

export interface RouterConfig extends ServiceConfig {
  subgraphUrls: Record<SubgraphName, string>;
  /** Verifies operators' and admins' bearer tokens; without it the router accepts anonymous traffic only. */
  accessTokenSecret: string | undefined;
  /** Signs the identity forwarded to subgraphs; must match theirs. */
  identitySecret: string | undefined;
  corsOrigins: '*' | string[];
  /**
   * Origins whose pages may PUT photos to upload URLs from the browser (the console's): a
   * cross-origin PUT needs a preflight, which the router answers for these only. None if unset.
   */
  uploadOrigins?: string[];
  supergraphPath: string | undefined;
  /** What is left out takes `defaultProtection(environment)`; the environment parser always fills it in. */
  protection?: Partial<RouterProtection>;
  performance?: Partial<RouterPerformance>;
}

export const PERSISTED_OPERATIONS_PATH = new URL('../../schema/persisted-operations.json', import.meta.url);

/** The defaults, documented in router/README.md. */
export function defaultProtection(environment: ServiceConfig['environment']): RouterProtection {
  return {
    anonymousOperations: environment === 'production' ? 'persisted' : 'any',
    persistedOperationsPath: PERSISTED_OPERATIONS_PATH,
    introspection: environment !== 'production',
    maxDepth: 10,
    maxAliases: 20,
    costBudgets: { anonymous: 5_000, partner: 50_000, operator: 100_000 },
    maxBodyBytes: 64 * 1024,
    maxResponseBytes: 512 * 1024,
    redisUrl: undefined,
    ipRate: { points: 600, seconds: 60 },
    keyRate: { points: 1_200, seconds: 60 },
    keyFailureRate: { points: 20, seconds: 300 },
    trustedProxies: [],
    apiKeyCacheSeconds: 30,
    apiKeyNegativeCacheSeconds: 5,
  };
}

export function protectionOf(config: RouterConfig): RouterProtection {
  return { ...defaultProtection(config.environment), ...config.protection };
}

const subgraphUrlEnv = Object.fromEntries(SUBGRAPHS.map((s) => [s.urlVariable, envVar.url().default(s.defaultUrl)])) as Record<
  (typeof SUBGRAPHS)[number]['urlVariable'],
  z.ZodDefault<z.ZodURL>
>;

function compiles(proxies: string[]): boolean {
  try {
    proxyaddr.compile(proxies);
    return true;
  } catch {
    return false;
  }
}

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max).optional();
const redisUrl = z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' });

const schema = z
  .object({
    ...serviceEnv,
    PORT: envVar.port(4000),
    ...subgraphUrlEnv,
    AUTH_TOKEN_SECRET: envVar.secret().optional(),
    ROUTER_IDENTITY_SECRET: envVar.secret().optional(),
    CORS_ORIGINS: envVar.list().default(['*']),
    CONSOLE_ORIGINS: envVar
      .list()
      .refine((origins) => origins.every((origin) => URL.canParse(origin) && new URL(origin).pathname === '/' && !new URL(origin).search), 'must be origins such as https://konsol.example.id (scheme, host and port; no path)')
      .transform((origins) => origins.map((origin) => new URL(origin).origin))
      .default([]),
    SUPERGRAPH_PATH: z.string().min(1).optional(),
    ANONYMOUS_OPERATIONS: z.enum(['persisted', 'any']).optional(),
    PERSISTED_OPERATIONS_PATH: z.string().min(1).optional(),
    MAX_QUERY_DEPTH: count(1, 100),
    MAX_ALIASES: count(0, 1_000),
    COST_BUDGET_ANONYMOUS: count(1, 10_000_000),
    COST_BUDGET_PARTNER: count(1, 10_000_000),
    COST_BUDGET_OPERATOR: count(1, 10_000_000),
    MAX_BODY_BYTES: count(1_024, 10 * 1024 * 1024),
    MAX_RESPONSE_BYTES: count(16 * 1024, 256 * 1024 * 1024),
    REDIS_URL: redisUrl.optional(),
    RATE_LIMIT_IP_PER_MINUTE: count(1, 1_000_000),
    RATE_LIMIT_KEY_PER_MINUTE: count(1, 1_000_000),
    RATE_LIMIT_KEY_FAILURES_PER_5_MINUTES: count(1, 1_000_000),
    TRUSTED_PROXIES: envVar
      .list()
      .refine(compiles, 'must be IP addresses, CIDR ranges or loopback, linklocal, uniquelocal (comma-separated)')
      .optional(),
    API_KEY_CACHE_SECONDS: count(0, 3_600),
    API_KEY_NEGATIVE_CACHE_SECONDS: count(0, 3_600),
    RESPONSE_CACHE: envVar.boolean(DEFAULT_PERFORMANCE.responseCache),
    RESPONSE_CACHE_MB: count(1, 65_536),
    SUBGRAPH_CONNECTIONS: count(1, 10_000),
    QUERY_PLAN_CACHE_MB: count(1, 4_096),
    ROUTER_WORKERS: count(1, 256),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.ROUTER_IDENTITY_SECRET, {
    path: ['ROUTER_IDENTITY_SECRET'],
    message: 'is required in production: subgraphs trust only identities signed with it',
  })
  .refine((env) => !env.AUTH_TOKEN_SECRET || env.ROUTER_IDENTITY_SECRET, {
    path: ['ROUTER_IDENTITY_SECRET'],
    message: 'is required when AUTH_TOKEN_SECRET is set: without it the verified identity cannot reach the subgraphs',
  })
  .refine((env) => {
    const { costBudgets } = defaultProtection(env.NODE_ENV);
    return (env.COST_BUDGET_ANONYMOUS ?? costBudgets.anonymous) <= (env.COST_BUDGET_PARTNER ?? costBudgets.partner);
  }, {
    path: ['COST_BUDGET_ANONYMOUS'],
    message: 'must not exceed COST_BUDGET_PARTNER',
  })
  .transform((env): RouterConfig => {
    const defaults = defaultProtection(env.NODE_ENV);
    return {
      environment: env.NODE_ENV,
      logLevel: env.LOG_LEVEL,
      host: env.HOST,
      port: env.PORT,
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((s) => [s.name, env[s.urlVariable]])) as Record<SubgraphName, string>,
      accessTokenSecret: env.AUTH_TOKEN_SECRET,
      identitySecret: env.ROUTER_IDENTITY_SECRET,
      corsOrigins: env.CORS_ORIGINS.includes('*') ? '*' : env.CORS_ORIGINS,
      uploadOrigins: env.CONSOLE_ORIGINS,
      supergraphPath: env.SUPERGRAPH_PATH,
      protection: {
        anonymousOperations: env.ANONYMOUS_OPERATIONS ?? defaults.anonymousOperations,
        persistedOperationsPath: env.PERSISTED_OPERATIONS_PATH ?? defaults.persistedOperationsPath,
        introspection: defaults.introspection,
        maxDepth: env.MAX_QUERY_DEPTH ?? defaults.maxDepth,
        maxAliases: env.MAX_ALIASES ?? defaults.maxAliases,
        costBudgets: {
          anonymous: env.COST_BUDGET_ANONYMOUS ?? defaults.costBudgets.anonymous,
          partner: env.COST_BUDGET_PARTNER ?? defaults.costBudgets.partner,
          operator: env.COST_BUDGET_OPERATOR ?? defaults.costBudgets.operator,
        },
        maxBodyBytes: env.MAX_BODY_BYTES ?? defaults.maxBodyBytes,
        maxResponseBytes: env.MAX_RESPONSE_BYTES ?? defaults.maxResponseBytes,
        redisUrl: env.REDIS_URL,
        ipRate: { points: env.RATE_LIMIT_IP_PER_MINUTE ?? defaults.ipRate.points, seconds: 60 },
        keyRate: { points: env.RATE_LIMIT_KEY_PER_MINUTE ?? defaults.keyRate.points, seconds: 60 },
        keyFailureRate: { points: env.RATE_LIMIT_KEY_FAILURES_PER_5_MINUTES ?? defaults.keyFailureRate.points, seconds: 300 },
        trustedProxies: env.TRUSTED_PROXIES ?? defaults.trustedProxies,
        apiKeyCacheSeconds: env.API_KEY_CACHE_SECONDS ?? defaults.apiKeyCacheSeconds,
        apiKeyNegativeCacheSeconds: env.API_KEY_NEGATIVE_CACHE_SECONDS ?? defaults.apiKeyNegativeCacheSeconds,
      },
      performance: {
        responseCache: env.RESPONSE_CACHE,
        responseCacheMegabytes: env.RESPONSE_CACHE_MB ?? DEFAULT_PERFORMANCE.responseCacheMegabytes,
        subgraphConnections: env.SUBGRAPH_CONNECTIONS ?? DEFAULT_PERFORMANCE.subgraphConnections,
        queryPlanCacheMegabytes: env.QUERY_PLAN_CACHE_MB ?? DEFAULT_PERFORMANCE.queryPlanCacheMegabytes,
        workers: env.ROUTER_WORKERS ?? DEFAULT_PERFORMANCE.workers,
      },
    };
  });

export function loadRouterConfig(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  return loadConfig(schema, env);
}
