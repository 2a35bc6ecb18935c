import { readFile } from 'node:fs/promises';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import {
  ANONYMOUS,
  ErrorCode,
  IDENTITY_HEADER,
  bearerToken,
  createGraphQLServer,
  createLogger,
  signForwardedIdentity,
  unauthenticated,
  verifyAccessToken,
  type GraphQLServer,
  type Identity,
  type Logger,
} from '@opop/server-kit';
import type { FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import type { RouterConfig } from './config.ts';
import { SUBGRAPHS, SUPERGRAPH_PATH, type SubgraphName } from './subgraphs.ts';

export interface RouterContext {
  identity: Identity;
  /** The identity signed once per request, however many subgraphs the plan calls. */
  forwardedIdentity: () => Promise<string | undefined>;
}

/**
 * Calls one subgraph: forwards the caller's identity, signed, and turns transport failures into
 * typed errors naming the subgraph, so a client learns which part is missing and nothing about
 * internal URLs.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  readonly #name: string;
  readonly #logger: Logger;

  constructor(name: string, url: string, logger: Logger) {
    super({ url });
    this.#name = name;
    this.#logger = logger;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): Promise<void> {
    const token = 'forwardedIdentity' in context ? await context.forwardedIdentity() : undefined;
    if (token) request.http?.headers.set(IDENTITY_HEADER, token);
  }

  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body = (await response.json().catch(() => undefined)) as { errors?: { message?: string; extensions?: { code?: string } }[] } | undefined;
    const first = body?.errors?.[0];
    if (first?.message && first.extensions?.code && first.extensions.code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      return new GraphQLError(first.message, { extensions: { code: first.extensions.code } });
    }
    return this.#unavailable(`answered HTTP ${response.status}`);
  }

  override didEncounterError(error: Error): void {
    if (!(error instanceof GraphQLError)) throw this.#unavailable(error.message);
  }

  #unavailable(reason: string): GraphQLError {
    this.#logger.warn({ subgraph: this.#name, reason }, 'subgraph unavailable');
    return new GraphQLError(`The ${this.#name} service is unavailable`, {
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, serviceName: this.#name },
    });
  }
}

export interface RouterOptions {
  logger?: Logger;
  /** Serves this supergraph instead of reading the committed file (tests compose in process). */
  supergraphSdl?: string;
}

export interface Router {
  server: GraphQLServer<RouterContext>;
  logger: Logger;
}

export async function createRouter(config: RouterConfig, options: RouterOptions = {}): Promise<Router> {
  const logger = options.logger ?? createLogger('router', config.logLevel);
  const supergraphSdl = options.supergraphSdl ?? (await readFile(config.supergraphPath ?? SUPERGRAPH_PATH, 'utf8'));
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    buildService: ({ name, url }) => new SubgraphDataSource(name, config.subgraphUrls[name as SubgraphName] ?? url!, logger),
  });

  async function identityOf(request: FastifyRequest): Promise<Identity> {
    const token = bearerToken(request.headers.authorization);
    if (!token) return ANONYMOUS;
    if (!config.accessTokenSecret) throw unauthenticated('This router does not accept access tokens (AUTH_TOKEN_SECRET is not set)');
    return verifyAccessToken(token, config.accessTokenSecret);
  }

  const server = await createGraphQLServer<RouterContext>({
    service: 'router',
    logger,
    landingPage: config.environment === 'development',
    gateway,
    corsOrigins: config.corsOrigins,
    context: async (request) => {
      const identity = await identityOf(request);
      let signed: Promise<string> | undefined;
      return {
        identity,
        forwardedIdentity: () =>
          config.identitySecret ? (signed ??= signForwardedIdentity(identity, config.identitySecret)) : Promise.resolve(undefined),
      };
    },
    readiness: async () => {
      const subgraphs = await Promise.all(
        SUBGRAPHS.map(async ({ name }) => {
          const url = new URL('/ready', config.subgraphUrls[name]);
          const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
          return [name, ok ? 'ready' : 'unavailable'] as const;
        }),
      );
      // The router still serves what it can when a subgraph is down, so it stays ready; the details say what is missing.
      return { subgraphs: Object.fromEntries(subgraphs) };
    },
  });
  return { server, logger };
}
