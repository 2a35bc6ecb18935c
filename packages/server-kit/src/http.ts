import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from '@as-integrations/fastify';
import zlib from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import fastifyCors from '@fastify/cors';
import closeWithGrace from 'close-with-grace';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { FormattedExecutionResult, GraphQLSchema } from 'graphql';
import { createErrorFormatter } from './errors.ts';
import type { KnownQueryLane } from './known-queries.ts';
import type { Logger } from './logger.ts';

export const GRAPHQL_PATH = '/graphql';

export interface GraphQLServerOptions<TContext extends BaseContext> {
  service: string;
  logger: Logger;
  /** Shows Apollo's developer landing page at `/graphql` for browsers; never in production. */
  landingPage: boolean;
  schema?: GraphQLSchema;
  gateway?: GatewayInterface;
  plugins?: ApolloServerPlugin<TContext>[];
  context: (request: FastifyRequest) => Promise<TContext>;
  /** Resolves with details when the service can serve traffic; rejects with the reason otherwise. */
  readiness: () => Promise<Record<string, unknown>>;
  corsOrigins?: '*' | readonly string[];
  /**
   * Paths with their own cross-origin rule instead of `corsOrigins` (e.g. the router's photo
   * upload URLs, which browsers PUT to from the console's origin only). First match wins.
   */
  corsRules?: readonly CorsRule[];
  /** Response headers scripts on other origins may read (`corsOrigins`' requests), e.g. rate-limit headers. */
  corsExposedHeaders?: readonly string[];
  bodyLimitBytes?: number;
  /**
   * Compresses answers of 1 KiB or more for clients that accept it (Brotli at a fast level, or
   * gzip). For what faces clients; not for subgraphs, whose only caller is the router next door.
   */
  compress?: boolean;
  /** Releases what the service holds (database, caches) after HTTP has drained. */
  onClose?: () => Promise<void>;
  /**
   * GET requests that may run without the header Apollo's CSRF prevention asks of a GET. That
   * prevention keeps a web page from making a visitor's browser run an operation with the
   * visitor's cookies; a request this accepts must carry no ambient credential and change nothing
   * (the router: a published query named by its hash, so a CDN or a plain link can ask for it).
   */
  simpleGetAllowed?: (request: FastifyRequest) => boolean;
  /**
   * Answers repeats of queries Apollo has answered (and the lane has checked) without Apollo's
   * request pipeline: a subgraph's, built over the same schema and context (known-queries.ts).
   */
  knownQueries?: KnownQueryLane<TContext>;
  /** Writes an answer's JSON instead of Apollo's own (the router reuses the text it measured). */
  stringifyResult?: (value: FormattedExecutionResult) => string | Promise<string>;
}

/** Cross-origin access to the paths starting with `pathPrefix`: these origins, these methods and request headers. */
export interface CorsRule {
  pathPrefix: string;
  origins: readonly string[];
  methods: readonly string[];
  allowedHeaders: readonly string[];
}

export interface GraphQLServer<TContext extends BaseContext> {
  readonly app: FastifyInstance;
  readonly apollo: ApolloServer<TContext>;
  /** The known-query lane, when the service has one (subgraphs). */
  readonly knownQueries: KnownQueryLane<TContext> | undefined;
  /** Starts listening; resolves with the GraphQL endpoint URL. */
  listen(host: string, port: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * One HTTP shape for every service: `POST|GET /graphql`, `GET /health` (the process is alive),
 * `GET /ready` (its dependencies answer), one log line per request, CORS, a body size limit and
 * a drain on close so in-flight requests finish before the database goes away.
 */
export async function createGraphQLServer<TContext extends BaseContext>(
  options: GraphQLServerOptions<TContext>,
): Promise<GraphQLServer<TContext>> {
  const { logger } = options;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request comes from the onResponse hook below instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });

  app.addHook('onResponse', async (request, reply) => {
    if (request.url === '/health' || request.url === '/ready') return;
    logger.info(
      { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request completed',
    );
  });

  if (options.compress) {
    await app.register(fastifyCompress, {
      threshold: 1024,
      // Answers up to 256 KiB (a search page's is ~20 KiB, the build's largest page 173 KiB)
      // compressed in one synchronous call rather than through a zlib stream: the plugin's
      // default ceiling on two cores is 8 KiB. A stream costs more than the compression of such
      // an answer (a zlib handle, a pipeline and an abort controller each time), and what it
      // held outlived the young-generation collection: on the storefront's search the router's
      // memory promoted to the old generation fell from 195 KB to 138 KB per request. The
      // ceiling was 64 KiB until the partners listing's answer (67 KiB at programme scale)
      // crossed it: the router's compression of it went from ~0.07 ms to ~0.6 ms of CPU (issue
      // 21). A synchronous call holds the event loop ~1–1.5 ms at 172 KiB; larger
      // answers, up to the router's 512 KiB cap, still stream.
      syncThreshold: 256 * 1024,
      encodings: ['br', 'gzip'],
      // Brotli at 3 rather than 4: measured on the router's answers (150 rounds each), 3 took 0.35
      // ms for the partners listing's 67 KiB against 0.55 ms, and 0.07 against 0.14 ms for a
      // search page's 21 KiB, for 2.5% more bytes (14.8 against 14.4 KiB; 2.77 against 2.71 KiB).
      brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 3 } },
      // gzip at zlib's default (6) cost the router 0.53 ms for the partners page's 59 KiB against
      // 0.32 ms at 4, for 6% more bytes (8.8 against 9.3 KiB).
      zlibOptions: { level: 4 },
    });
  }

  const defaultCors = {
    origin: options.corsOrigins === undefined || options.corsOrigins === '*' ? '*' : [...options.corsOrigins],
    methods: ['GET', 'POST', 'OPTIONS'],
    maxAge: 86_400,
    ...(options.corsExposedHeaders?.length ? { exposedHeaders: [...options.corsExposedHeaders] } : {}),
  };
  const corsRules = options.corsRules ?? [];
  await app.register(fastifyCors, {
    // Decided per request, so a path with its own rule gets only its own origins and methods.
    delegator: (request, callback) => {
      const rule = corsRules.find((candidate) => request.url.startsWith(candidate.pathPrefix));
      // An empty list of origins allows none (an empty array would read as "reflect any").
      if (rule) callback(null, { origin: rule.origins.length > 0 ? [...rule.origins] : false, methods: [...rule.methods, 'OPTIONS'], allowedHeaders: [...rule.allowedHeaders], maxAge: 600 });
      else callback(null, defaultCors);
    },
  });

  const apollo = new ApolloServer<TContext>({
    ...(options.gateway ? { gateway: options.gateway } : { schema: options.schema! }),
    logger,
    includeStacktraceInErrorResponses: false,
    ...(options.stringifyResult ? { stringifyResult: options.stringifyResult } : {}),
    formatError: createErrorFormatter(logger),
    plugins: [
      fastifyApolloDrainPlugin(app),
      options.landingPage ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
      ...(options.plugins ?? []),
    ],
  });
  await apollo.start();

  const simpleGetAllowed = options.simpleGetAllowed;
  const apolloHandler = fastifyApolloHandler(apollo, { context: (request) => options.context(request) });
  const knownQueries = options.knownQueries;
  app.route({
    url: GRAPHQL_PATH,
    method: ['GET', 'POST', 'OPTIONS'],
    ...(simpleGetAllowed
      ? {
          preHandler: async (request: FastifyRequest) => {
            if (request.method === 'GET' && simpleGetAllowed(request)) request.headers['apollo-require-preflight'] = 'true';
          },
        }
      : {}),
    handler: knownQueries
      ? async function (this: FastifyInstance, request, reply) {
          const known = await knownQueries.answer(request);
          if (!known) return apolloHandler.call(this, request, reply);
          reply.code(known.status).header('content-type', 'application/json; charset=utf-8');
          for (const [name, value] of known.headers) reply.header(name, value);
          return known.body;
        }
      : apolloHandler,
  });

  app.get('/health', async () => ({ status: 'ok', service: options.service }));
  app.get('/ready', async (_request, reply) => {
    try {
      const details = await options.readiness();
      return { status: 'ready', service: options.service, ...details };
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', service: options.service, reason: (error as Error).message });
    }
  });

  let closing: Promise<void> | undefined;
  return {
    app,
    apollo,
    knownQueries,
    async listen(host, port) {
      await app.listen({ host, port });
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      return `http://${shownHost}:${actualPort}${GRAPHQL_PATH}`;
    },
    close() {
      // Apollo's drain plugin runs inside app.close(); the database closes only after it.
      closing ??= (async () => {
        await app.close();
        await apollo.stop();
        await options.onClose?.();
      })();
      return closing;
    },
  };
}

/**
 * Closes the service on SIGINT/SIGTERM (or a crash) and lets in-flight requests finish, up to
 * ten seconds, before the process exits.
 */
export function closeOnSignals(logger: Logger, close: () => Promise<void>): void {
  let firstSignalAt = 0;
  // A signal repeated at once is the same request delivered twice (a terminal signals the whole
  // process group, and signal-exit, used by a dependency, re-raises it): keep closing gracefully.
  // One sent again later means "stop now".
  const onSecondSignal = (signal: string) => {
    if (Date.now() - firstSignalAt < 1_000) return;
    logger.error({ signal }, 'second signal while shutting down; exiting now');
    process.exit(1);
  };
  closeWithGrace({ delay: 10_000, logger, onSecondSignal }, async ({ signal, err }) => {
    firstSignalAt = Date.now();
    if (err) logger.error({ err }, 'shutting down after an unexpected error');
    else logger.info({ signal }, 'shutting down');
    await close();
  });
}
