import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import type { FastifyRequest } from 'fastify';
import { Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import { z } from 'zod';
import { enforceAccess, type AccessDeniedHook } from './access.ts';
import { normaliseArguments } from './arguments.ts';
import { verifyVisitor, VISITOR_HEADER, type Visitor } from './visitor.ts';
import { ConfigError, envVar, serviceEnv, type ServiceConfig } from './config.ts';
import { databaseConfigFrom, databaseEnv, DEFAULT_DATA_DIR, openDatabase, type Database, type DatabaseConfig, type EntityManager, type MigrationClass } from './database.ts';
import { createErrorFormatter, unauthenticated } from './errors.ts';
import { closeOnSignals, createGraphQLServer, type GraphQLServer } from './http.ts';
import { KnownQueryLane } from './known-queries.ts';
import { runMain } from './main.ts';
import { ANONYMOUS, answersOnlyForTheCaller, IDENTITY_HEADER, verifyForwardedIdentity, type Identity } from './identity.ts';
import { createLogger, type Logger } from './logger.ts';
import type { AnyEntity, EntityClass, EntitySchema, EventSubscriber } from '@mikro-orm/core';

/** What a subgraph package exports: a plain module, so a test can compose it without starting anything. */
export interface SubgraphModule<TContext = unknown> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<TContext>;
}

export interface SubgraphConfig extends ServiceConfig {
  service: string;
  database: DatabaseConfig;
  /** Verifies the identity the router forwards. */
  identitySecret: string | undefined;
  /**
   * Local development only (ALLOW_UNSIGNED_REQUESTS=true, refused in production): a request
   * without a forwarded identity is served as anonymous instead of refused with 401.
   */
  allowUnsignedRequests?: boolean;
  /** Load the demo data set when the database is empty (what `npm start` does on first run). */
  seedDemoData: boolean;
}

/** The environment variables every subgraph reads; a subgraph may add its own to the shape. */
export function subgraphEnvShape(service: string, defaultPort: number, defaultDataDir: string = DEFAULT_DATA_DIR) {
  return {
    ...serviceEnv,
    PORT: envVar.port(defaultPort),
    ...databaseEnv(service, defaultDataDir),
    ROUTER_IDENTITY_SECRET: envVar.secret().optional(),
    ALLOW_UNSIGNED_REQUESTS: envVar.boolean(false),
    SEED_DEMO_DATA: envVar.boolean(false),
  };
}

type SubgraphEnv = z.infer<z.ZodObject<ReturnType<typeof subgraphEnvShape>>>;

/** Production refuses to run without the secret the router signs identities with. */
export const identitySecretRequiredInProduction = (env: Pick<SubgraphEnv, 'NODE_ENV' | 'ROUTER_IDENTITY_SECRET'>) =>
  env.NODE_ENV !== 'production' || Boolean(env.ROUTER_IDENTITY_SECRET);
export const IDENTITY_SECRET_MISSING = {
  path: ['ROUTER_IDENTITY_SECRET'],
  message: 'is required in production: without it anyone could act as an admin by calling the subgraph directly',
};

export function toSubgraphConfig(service: string, env: SubgraphEnv): SubgraphConfig {
  // Thrown here rather than refined in each subgraph's schema, so no subgraph can forget it.
  if (env.NODE_ENV === 'production' && env.ALLOW_UNSIGNED_REQUESTS) {
    throw new ConfigError('Invalid configuration:\n  ALLOW_UNSIGNED_REQUESTS: must not be set in production: every request must carry an identity signed by the router');
  }
  return {
    service,
    environment: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    host: env.HOST,
    port: env.PORT,
    database: databaseConfigFrom(env),
    identitySecret: env.ROUTER_IDENTITY_SECRET,
    allowUnsignedRequests: env.ALLOW_UNSIGNED_REQUESTS,
    seedDemoData: env.SEED_DEMO_DATA,
  };
}

/** Where a subgraph that relays its changes tells the storefront (server/publisher.ts), and the secret it signs with. */
export interface StorefrontPublishConfig {
  url: string;
  secret: string;
}

/** STOREFRONT_PUBLISH_URL and STOREFRONT_PUBLISH_SECRET, for a subgraph's environment shape. */
export const storefrontPublishEnv = {
  STOREFRONT_PUBLISH_URL: envVar.url().optional(),
  STOREFRONT_PUBLISH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
};
export const storefrontPublishNeedsSecret = (env: { STOREFRONT_PUBLISH_URL?: string | undefined; STOREFRONT_PUBLISH_SECRET?: string | undefined }) =>
  !env.STOREFRONT_PUBLISH_URL || Boolean(env.STOREFRONT_PUBLISH_SECRET);
export const STOREFRONT_PUBLISH_SECRET_MISSING = {
  path: ['STOREFRONT_PUBLISH_SECRET'],
  message: 'is required with STOREFRONT_PUBLISH_URL (the storefront refuses unsigned changes)',
};
export const storefrontPublishOf = (env: { STOREFRONT_PUBLISH_URL?: string | undefined; STOREFRONT_PUBLISH_SECRET?: string | undefined }): StorefrontPublishConfig | undefined =>
  env.STOREFRONT_PUBLISH_URL && env.STOREFRONT_PUBLISH_SECRET ? { url: env.STOREFRONT_PUBLISH_URL, secret: env.STOREFRONT_PUBLISH_SECRET } : undefined;

/** The environment of a subgraph: the service settings, its database, and the router's signing secret. */
export function subgraphConfigSchema(service: string, defaultPort: number, defaultDataDir: string = DEFAULT_DATA_DIR) {
  return z
    .object(subgraphEnvShape(service, defaultPort, defaultDataDir))
    .refine(identitySecretRequiredInProduction, IDENTITY_SECRET_MISSING)
    .transform((env): SubgraphConfig => toSubgraphConfig(service, env));
}

export function buildSubgraph(module: SubgraphModule<never>) {
  return normaliseArguments(buildSubgraphSchema([{ typeDefs: module.typeDefs, resolvers: module.resolvers as GraphQLResolverMap<unknown> }]));
}

/**
 * The caller's identity as the router signed it. The router signs one for every request,
 * anonymous ones included, so a request without it did not come through the router and is
 * refused (401), unless `allowUnsigned` (local development) serves it as anonymous. A header that
 * does not verify is refused rather than downgraded, so a tampered identity is noticed instead of
 * silently ignored.
 */
export async function identityFromHeaders(headers: FastifyRequest['headers'], secret: string | undefined, allowUnsigned = false): Promise<Identity> {
  const raw = headers[IDENTITY_HEADER];
  const token = Array.isArray(raw) ? raw[0] : raw;
  if (!token) {
    if (allowUnsigned) return ANONYMOUS;
    throw unauthenticated('Call this service through the router: the request carries no identity signed by it');
  }
  if (!secret) throw unauthenticated('This service does not accept forwarded identities (ROUTER_IDENTITY_SECRET is not set)');
  return verifyForwardedIdentity(token, secret);
}

export interface SubgraphRequestContext {
  identity: Identity;
  /** The visitor the router derived from the connection, for counters; null when called without the router. */
  visitor: Visitor | null;
  em: EntityManager;
  logger: Logger;
}

export interface SubgraphServiceOptions<TContext extends SubgraphRequestContext> {
  module: SubgraphModule<TContext>;
  config: SubgraphConfig;
  entities: readonly (EntityClass<AnyEntity> | EntitySchema)[];
  migrations: readonly MigrationClass[];
  /**
   * Runs once the database is migrated: prepares what the service keeps for its lifetime and
   * returns how to build each request's context, and anything to stop or report on.
   */
  runtime: (database: Database, logger: Logger) => Promise<SubgraphRuntime<TContext>>;
  /** Flush hooks of the subgraph's database, e.g. a transactional outbox. */
  subscribers?: readonly EventSubscriber[];
  /** Loads demo data when the database holds none yet; returns what it loaded, for the log. */
  seedDemoData?: (database: Database, logger: Logger) => Promise<Record<string, number> | undefined>;
  logger?: Logger;
}

export interface SubgraphRuntime<TContext extends SubgraphRequestContext> {
  /** Adds the subgraph's per-request state (repositories, DataLoaders) to the base context. */
  createContext: (base: SubgraphRequestContext) => TContext;
  /** Stops background work before the database closes. */
  close?: () => Promise<void>;
  /** More details for /ready; throws when the subgraph cannot serve. */
  readiness?: () => Promise<Record<string, unknown>>;
  /** Hears of every field the access rules refuse, before the caller does (e.g. to audit the attempt). */
  onAccessDenied?: AccessDeniedHook;
}

export interface SubgraphService<TContext extends SubgraphRequestContext> {
  server: GraphQLServer<TContext>;
  database: Database;
  logger: Logger;
  /** The executable schema the server runs, access rules included. */
  schema: GraphQLSchema;
  /**
   * A request's context as the server builds it from the request's headers (the router's signed
   * identity, the visitor, a fork of the database): for running the schema outside the server,
   * as bench/bare-subgraph.ts does to measure what the HTTP and GraphQL server layer costs.
   */
  contextFor: (headers: FastifyRequest['headers']) => Promise<TContext>;
}

/**
 * Opens the database (migrating it), seeds demo data when asked, and builds the HTTP service.
 * Nothing listens until the caller says so, which keeps tests and the real server on one path.
 */
export async function createSubgraphService<TContext extends SubgraphRequestContext>(
  options: SubgraphServiceOptions<TContext>,
): Promise<SubgraphService<TContext>> {
  const { config, module } = options;
  const logger = options.logger ?? createLogger(config.service, config.logLevel);
  const database = await openDatabase({
    service: config.service,
    config: config.database,
    entities: options.entities,
    migrations: options.migrations,
    logger,
    ...(options.subscribers ? { subscribers: options.subscribers } : {}),
  });
  try {
    if (config.seedDemoData && options.seedDemoData) {
      const loaded = await options.seedDemoData(database, logger);
      if (loaded) logger.info({ loaded }, 'loaded demo data (first run)');
    }
    const runtime = await options.runtime(database, logger);
    // Field-level access declared in the SDL, checked before any resolver runs.
    const schema = enforceAccess(buildSubgraph(module as SubgraphModule<never>), runtime.onAccessDenied);
    const contextFor = async (headers: FastifyRequest['headers']) =>
      runtime.createContext({
        identity: await identityFromHeaders(headers, config.identitySecret, config.allowUnsignedRequests),
        visitor: verifyVisitor(headers[VISITOR_HEADER], config.identitySecret),
        em: database.fork(),
        logger,
      });
    const context = (request: FastifyRequest) => contextFor(request.headers);
    const knownQueries = new KnownQueryLane<TContext>({
      schema,
      logger,
      formatError: createErrorFormatter(logger),
      formatErrorQuietly: createErrorFormatter(createLogger(config.service, 'silent')),
      context,
    });
    const server = await createGraphQLServer<TContext>({
      service: config.service,
      logger,
      landingPage: config.environment === 'development',
      schema,
      plugins: [
        // Inline traces are only useful with Apollo's hosted reporting and cost CPU on every request.
        ApolloServerPluginInlineTraceDisabled(),
        publicAnswersOnlyCacheable<TContext>(),
        reportChanges<TContext>(schema),
        // Named here, not added by Apollo at the end, so the lane's admission check sees its header.
        ApolloServerPluginCacheControl(),
        knownQueries.plugin(),
      ],
      knownQueries,
      context,
      readiness: async () => {
        await database.ping();
        return { database: database.kind, ...(await runtime.readiness?.()) };
      },
      onClose: async () => {
        await runtime.close?.();
        await database.close();
      },
    });
    return { server, database, logger, schema, contextFor };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * The SDL's @cacheControl hints describe public data. What a signed-in caller sees may depend on
 * who they are (restricted fields, an operator's drafts), so their answers are never cacheable:
 * the subgraph says `no-store`, and the router, which builds its cache policy from these headers,
 * caches nothing of theirs either.
 */
function publicAnswersOnlyCacheable<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async executionDidStart(requestContext) {
          // The known-query lane applies the same rule to the answers it sends itself.
          if (answersOnlyForTheCaller((requestContext.contextValue as { identity?: Identity }).identity)) requestContext.overallCachePolicy.restrict({ maxAge: 0 });
        },
      };
    },
  };
}

/** The header the router's response cache reads on a mutation's answer (router/src/response-cache.ts). */
export const CHANGES_HEADER = 'x-opop-changes';

/**
 * Tells the router whether a mutation changed what cached answers show: `none` when every root
 * field is `@cacheNeutral` or nothing was written (the answer has errors and no data: bad input
 * and refused writes change nothing), `data` otherwise, so the router drops the answers built
 * from this subgraph.
 */
function reportChanges<TContext extends BaseContext>(schema: GraphQLSchema): ApolloServerPlugin<TContext> {
  const mutationFields = schema.getMutationType()?.getFields() ?? {};
  const neutral = new Set(
    Object.values(mutationFields)
      .filter((field) => field.astNode?.directives?.some((directive) => directive.name.value === 'cacheNeutral'))
      .map((field) => field.name),
  );
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response }) {
          if (operation?.operation !== 'mutation') return;
          const rootFields = operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : ['']));
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const wroteNothing = Boolean(result?.errors?.length) && (result?.data == null || Object.values(result.data).every((value) => value == null));
          const changed = !wroteNothing && !rootFields.every((name) => name === '__typename' || neutral.has(name));
          response.http.headers.set(CHANGES_HEADER, changed ? 'data' : 'none');
        },
      };
    },
  };
}

type ResolverMap = Record<string, Record<string, unknown>>;

/** Combines the resolver maps of a subgraph's modules; two modules defining one field is a bug. */
export function mergeResolvers<T extends object>(...maps: T[]): T {
  const merged: ResolverMap = {};
  for (const map of maps as ResolverMap[]) {
    for (const [type, fields] of Object.entries(map)) {
      // Scalars arrive as GraphQLScalarType instances and are taken whole.
      if (Object.getPrototypeOf(fields) !== Object.prototype) {
        if (type in merged) throw new Error(`Resolver ${type} is defined twice`);
        merged[type] = fields;
        continue;
      }
      const target = (merged[type] ??= {});
      for (const [field, resolver] of Object.entries(fields)) {
        if (field in target) throw new Error(`Resolver ${type}.${field} is defined twice`);
        target[field] = resolver;
      }
    }
  }
  return merged as T;
}

/** The whole of a subgraph's `server.ts`: read the environment, build the service, listen, close on signals. */
export async function serveSubgraph<TConfig extends SubgraphConfig, TContext extends SubgraphRequestContext>(
  loadConfig: () => TConfig,
  createService: (config: TConfig) => Promise<SubgraphService<TContext>>,
): Promise<void> {
  await runMain(async () => {
    const config = loadConfig();
    const { server, logger } = await createService(config);
    closeOnSignals(logger, () => server.close());
    const url = await server.listen(config.host, config.port);
    logger.info({ url }, `${config.service} subgraph listening`);
  });
}
