import { readFile } from 'node:fs/promises';
import { ApolloGateway } from '@apollo/gateway';
import {
  ANONYMOUS,
  ErrorCode,
  GRAPHQL_PATH,
  clientIpResolver,
  deriveVisitor,
  signVisitor,
  bearerToken,
  createGraphQLServer,
  createLogger,
  unauthenticated,
  verifyAccessToken,
  type GraphQLServer,
  type Identity,
  type Logger,
} from '@opop/server-kit';
import type { FastifyRequest } from 'fastify';
import { ApiKeyLookupError, ApiKeyResolver, identityOfKey, originAllowed, partnersApiKeyLookup, type ApiKeyLookup } from './api-keys.ts';

import { ResponseSizeLimit } from './response-size.ts';
import { performanceOf, protectionOf, type RouterConfig, type RouterProtection } from './config.ts';
import { SignedIdentities, SubgraphConnections } from './connections.ts';
import { SubgraphSource, type RouterContext } from './subgraph-source.ts';
import { memoizeGatewayOperations } from './operation-memo.ts';
import { installResultShaping } from './result-shaping.ts';
import { ResponseCache } from './response-cache.ts';
import { RouterErrorCode, forbiddenHere, httpError, unauthenticatedHere } from './errors.ts';
import { OperationGuard, graphQLParams } from './guard.ts';
import { PersistedOperations } from './persisted.ts';
import { forwardPhotos, PHOTO_UPLOAD_PATH } from './photos.ts';
import { createRateLimits, RATE_LIMIT_HEADERS, rateLimitHeaders, type RateLimits, type RateQuota } from './rate-limit.ts';
import { sendRateLimited, shapeResponses } from './responses.ts';
import { SUBGRAPHS, SUPERGRAPH_PATH, type SubgraphName } from './subgraphs.ts';

export interface RouterOptions {
  logger?: Logger;
  /** Serves this supergraph instead of reading the committed file (tests compose in process). */
  supergraphSdl?: string;
  /** Looks API keys up here instead of asking the partners subgraph (tests of the cache). */
  apiKeyLookup?: ApiKeyLookup;
  /** Namespaces the router's keys in Redis, rate limits and response cache (tests share one Redis). */
  redisKeyPrefix?: string;
}

export interface Router {
  server: GraphQLServer<RouterContext>;
  logger: Logger;
  /** The settings in force, defaults filled in. */
  protection: RouterProtection;
  rateLimits: RateLimits;
  apiKeys: ApiKeyResolver | undefined;
  responseCache: ResponseCache | undefined;
}

const API_KEY_HEADER = 'x-api-key';

const firstHeader = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

export async function createRouter(config: RouterConfig, options: RouterOptions = {}): Promise<Router> {
  const logger = options.logger ?? createLogger('router', config.logLevel);
  const protection = protectionOf(config);
  // Performance only: if a gateway upgrade moved what these replace, Apollo's own code runs.
  if (!memoizeGatewayOperations()) logger.warn('the gateway\'s operations are rebuilt for every request: @apollo/federation-internals no longer exposes operationFromDocument as operation-memo.ts expects');
  if (!installResultShaping()) logger.warn('the gateway shapes results with its own code: @apollo/gateway no longer exposes computeResponse as result-shaping.ts expects');
  const supergraphSdl = options.supergraphSdl ?? (await readFile(config.supergraphPath ?? SUPERGRAPH_PATH, 'utf8'));
  const manifest = await PersistedOperations.load(protection.persistedOperationsPath);
  // Before anything opens a connection: a supergraph with an unsized list stops the router here.
  const guard = new OperationGuard({
    manifest,
    anonymousOperations: protection.anonymousOperations,
    introspection: protection.introspection,
    maxDepth: protection.maxDepth,
    maxAliases: protection.maxAliases,
    costBudgets: protection.costBudgets,
    supergraphSdl,
  });
  const performance = performanceOf(config);
  const responseCache = performance.responseCache
    ? await ResponseCache.create({ maxBytes: performance.responseCacheMegabytes * 2 ** 20, redisUrl: protection.redisUrl, logger, ...(options.redisKeyPrefix ? { prefix: `${options.redisKeyPrefix}response-cache:` } : {}) }, SUBGRAPHS.map((s) => s.name))
    : undefined;
  const connections = new SubgraphConnections(performance.subgraphConnections);
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger,
    // Plans are per process: our clients send a few dozen known operations, each planned once.
    experimental_approximateQueryPlanStoreMiB: performance.queryPlanCacheMegabytes,
    buildService: ({ name, url }) => new SubgraphSource(name, config.subgraphUrls[name as SubgraphName] ?? url!, logger, connections, responseCache),
  });
  const identities = new SignedIdentities(config.identitySecret);

  const lookup = options.apiKeyLookup ?? (config.identitySecret ? partnersApiKeyLookup(config.subgraphUrls.partners, config.identitySecret, logger) : undefined);
  const apiKeys = lookup
    ? new ApiKeyResolver(lookup, { positiveTtlMs: protection.apiKeyCacheSeconds * 1000, negativeTtlMs: protection.apiKeyNegativeCacheSeconds * 1000 })
    : undefined;
  const rateLimits = createRateLimits({
    ip: protection.ipRate,
    key: protection.keyRate,
    keyFailures: protection.keyFailureRate,
    redisUrl: protection.redisUrl,
    ...(options.redisKeyPrefix ? { keyPrefix: options.redisKeyPrefix } : {}),
    logger,
  });
  const clientIp = clientIpResolver(protection.trustedProxies);
  const ips = new WeakMap<FastifyRequest, string>();
  const ipOf = (request: FastifyRequest) => ips.get(request) ?? clientIp(request.raw);
  /** Each signed-in request's quota after it was counted (its key's, or its IP's for a token), for the RateLimit headers. */
  const quotas = new WeakMap<FastifyRequest, RateQuota>();

  async function identityOfApiKey(request: FastifyRequest, key: string): Promise<Identity> {
    if (!apiKeys) throw unauthenticatedHere('This router does not accept API keys (ROUTER_IDENTITY_SECRET is not set)');
    let holder: Awaited<ReturnType<ApiKeyResolver['resolve']>>;
    try {
      holder = await apiKeys.resolve(key);
    } catch (error) {
      if (!(error instanceof ApiKeyLookupError)) throw error;
      logger.warn({ err: { message: error.message } }, 'cannot check an API key');
      throw httpError(503, ErrorCode.SERVICE_UNAVAILABLE, 'API keys cannot be checked right now; try again shortly', {}, { 'retry-after': '5' });
    }
    if (!holder) {
      await rateLimits.recordKeyFailure(ipOf(request));
      throw unauthenticatedHere('The API key is not valid (unknown or revoked)');
    }
    const origin = firstHeader(request.headers.origin);
    if (!originAllowed(holder, origin)) throw forbiddenHere(`This API key may not be used from ${origin}`);
    const decision = await rateLimits.consumeKey(holder.keyId);
    if (!decision.allowed) {
      const seconds = decision.retryAfterSeconds;
      throw httpError(429, RouterErrorCode.RATE_LIMITED, `Too many requests with this API key; try again in ${seconds} s`, { retryAfterSeconds: seconds }, {
        'retry-after': String(seconds),
      });
    }
    if (decision.quota) quotas.set(request, decision.quota);
    return identityOfKey(holder);
  }

  /** A bearer token, when present, is the caller: an API key next to it is not looked at. */
  async function identify(request: FastifyRequest): Promise<Identity> {
    const token = bearerToken(request.headers.authorization);
    if (token) {
      if (!config.accessTokenSecret) throw unauthenticated('This router does not accept access tokens (AUTH_TOKEN_SECRET is not set)');
      return verifyAccessToken(token, config.accessTokenSecret);
    }
    const key = firstHeader(request.headers[API_KEY_HEADER]);
    if (key) return identityOfApiKey(request, key);
    return ANONYMOUS;
  }

  const visitorSecret = config.identitySecret;
  const responseSize = new ResponseSizeLimit(protection.maxResponseBytes);
  const server = await createGraphQLServer<RouterContext>({
    service: 'router',
    logger,
    landingPage: config.environment === 'development',
    gateway,
    corsOrigins: config.corsOrigins,
    // Browsers on the console's origin send photo bytes straight to upload URLs (photos.ts).
    // A widget's script on a partner's page reads how much of its key's quota is left.
    corsExposedHeaders: [...RATE_LIMIT_HEADERS, 'retry-after'],
    corsRules: [{ pathPrefix: PHOTO_UPLOAD_PATH, origins: config.uploadOrigins ?? [], methods: ['PUT'], allowedHeaders: ['content-type'] }],
    bodyLimitBytes: protection.maxBodyBytes,
    compress: true,
    // A published query asked for by GET with its hash alone runs without a preflight header, so
    // a CDN (deploy/nginx.conf) or a plain link can ask for it and keep the public answer. No
    // cookie identifies anyone here (tokens and keys travel in headers a page cannot make a
    // browser send), and Apollo runs no mutation over GET.
    simpleGetAllowed: (request) => {
      const params = graphQLParams('GET', undefined, request.query);
      return params !== undefined && params.query === undefined && params.hash !== undefined && manifest.document(params.hash) !== undefined;
    },
    // The size limit before the cache, so no answer too large to send is ever stored.
    plugins: [guard.plugin<RouterContext>(), responseSize.plugin<RouterContext>(), ...(responseCache ? [responseCache.plugin<RouterContext>()] : [])],
    stringifyResult: responseSize.stringify,
    context: async (request) => {
      const identity = await identify(request);
      const verdict = guard.check(graphQLParams(request.method, request.body, request.query), identity);
      return {
        identity,
        guard: verdict,
        // Anonymous callers too: subgraphs refuse requests that carry no identity signed by the router.
        forwardedIdentity: () => identities.signed(identity),
        ...(visitorSecret ? { forwardedVisitor: () => signVisitor(deriveVisitor(ipOf(request), firstHeader(request.headers['user-agent']), visitorSecret), visitorSecret) } : {}),
        calledSubgraphs: new Set<string>(),
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
    onClose: async () => {
      await rateLimits.close();
      await responseCache?.close();
      await connections.close();
    },
  });

  // Counted before the body is read, so a flood costs the router as little as possible. Requests
  // with an API key are counted per key once it is known; per IP, only their failures count.
  server.app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS' || !request.url.startsWith(GRAPHQL_PATH)) return;
    const ip = clientIp(request.raw);
    ips.set(request, ip);
    const keyed = Boolean(firstHeader(request.headers[API_KEY_HEADER])) && !request.headers.authorization;
    const decision = keyed ? await rateLimits.keyFailuresExhausted(ip) : await rateLimits.consumeIp(ip);
    // A partner whose good key is held back must learn why: the address sent too many bad keys
    // (a walkthrough met the bare "Too many requests" and could not tell what to fix).
    if (!decision.allowed) return sendRateLimited(reply, decision.retryAfterSeconds, keyed ? 'Too many unknown or revoked API keys were sent from this address' : 'Too many requests');
    if (decision.quota && request.headers.authorization) quotas.set(request, decision.quota);
    return undefined;
  });
  // Signed-in callers (keys, tokens) see their quota on every answer, so a partner's client can
  // slow down before a 429. Anonymous answers go without: they are public, and a cache (ours,
  // nginx's, a CDN's) would hand one visitor's count to another.
  server.app.addHook('onSend', async (request, reply, payload) => {
    const quota = quotas.get(request);
    if (quota) for (const [name, value] of rateLimitHeaders(quota)) reply.header(name, value);
    return payload;
  });
  shapeResponses(server.app, logger);
  forwardPhotos(server.app, config.subgraphUrls.catalogue ?? SUBGRAPHS.find((subgraph) => subgraph.name === 'catalogue')!.defaultUrl, rateLimits, clientIp, logger);

  logger.debug({ persistedOperations: manifest.size, rateLimits: rateLimits.store, anonymousOperations: protection.anonymousOperations }, 'router protection');
  return { server, logger, protection, rateLimits, apiKeys, responseCache };
}
