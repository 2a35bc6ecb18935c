import { afterAll, beforeAll, expect } from 'vitest';
import type { SubgraphRequestContext, SubgraphService } from './subgraph.ts';
import { dropTestSchema, postGraphQL, testSubgraphConfig, type GraphQLResponse, type PostOptions, type TestEngine } from './testing.ts';
import type { SubgraphConfig } from './subgraph.ts';
import type { Database, EntityManager } from './database.ts';

/**
 * The vitest side of the shared test kit: assertions and the set-up and tear-down every
 * subgraph suite repeats. Kept apart from testing.ts, which benches and scripts import outside
 * vitest.
 */

/** The first error of a response has this `extensions.code` (and, when given, `extensions.field`). */
export function expectError(response: GraphQLResponse, code: string, field?: string): void {
  expect(response.errors?.[0]?.extensions?.['code'], JSON.stringify(response.errors)).toBe(code);
  if (field) expect(response.errors?.[0]?.extensions?.['field'], JSON.stringify(response.errors)).toBe(field);
}

export interface TestSubgraph<TService> {
  /** The running service; read inside tests, after `beforeAll` has run. */
  readonly service: TService;
  readonly url: string;
  /** Posts an operation to the service as the router would (signed anonymous unless headers say otherwise). */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>, options?: PostOptions): Promise<GraphQLResponse<T>>;
}

export interface TestSubgraphOptions<TService> {
  /** Builds the service from the test config (a schema of its own on PostgreSQL, PGlite in memory otherwise). */
  create: (config: SubgraphConfig) => Promise<TService>;
  /** Loads the suite's data once the service is migrated. */
  seed?: (em: EntityManager, service: TService) => Promise<unknown>;
  overrides?: Partial<SubgraphConfig>;
}

/**
 * Starts a subgraph on 127.0.0.1 for one suite on one engine, seeds it, and drops its schema and
 * stops it afterwards. Does nothing on an engine the suite skips.
 */
/**
 * What the harness needs of a service. Structural, because a subgraph's SubgraphService<TContext>
 * is not assignable to SubgraphService<SubgraphRequestContext> (Apollo's server type is invariant
 * in its context).
 */
export interface StartableService {
  server: Pick<SubgraphService<SubgraphRequestContext>['server'], 'listen' | 'close'>;
  database: Database;
}

export function useTestSubgraph<TService extends StartableService>(
  serviceName: string,
  engine: TestEngine,
  options: TestSubgraphOptions<TService>,
): TestSubgraph<TService> {
  let service: TService | undefined;
  let url: string | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    service = await options.create(testSubgraphConfig(serviceName, engine, options.overrides));
    if (options.seed) await options.seed(service.database.fork(), service);
    url = await service.server.listen('127.0.0.1', 0);
  });
  afterAll(async () => {
    if (!service) return;
    await dropTestSchema(service.database);
    await service.server.close();
  });
  const started = () => {
    if (!service || !url) throw new Error(`the ${serviceName} test service has not started (skipped engine, or beforeAll failed)`);
    return { service, url };
  };
  return {
    get service() {
      return started().service;
    },
    get url() {
      return started().url;
    },
    gql: (query, variables, headers, postOptions) => postGraphQL(started().url, query, variables, headers, postOptions),
  };
}
