import { createHash } from 'node:crypto';
import cluster from 'node:cluster';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext, GraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { Identity, Logger } from '@opop/server-kit';
import type { FormattedExecutionResult } from 'graphql';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/**
 * The response cache of public operations. What may be cached, and for how long, is the
 * subgraphs' call: their `@cacheControl` hints become Cache-Control headers, which the gateway
 * folds into one policy per request. Only anonymous queries answered without errors under a
 * PUBLIC policy with a positive max-age are stored; every other request passes through.
 *
 * Invalidation: each subgraph has a generation, raised whenever a mutation through this router
 * changed its data (the subgraph says so in `x-opop-changes`). An answer remembers the generations
 * of the subgraphs it was built from, snapshotted before it was planned, and is served only while
 * they are current. With Redis the generations and the answers are shared by every router
 * instance; without it, the workers of one machine tell each other through the cluster primary.
 */

/** `hit`, `miss` or `bypass` on every GraphQL answer, for operators and tests. */
export const CACHE_STATUS_HEADER = 'x-opop-cache';

interface CachedAnswer {
  result: FormattedExecutionResult;
  /** The subgraphs the answer was built from, and their generations then. */
  generations: Record<string, number>;
  expiresAt: number;
}

interface AnswerStore {
  get(key: string): Promise<CachedAnswer | undefined>;
  set(key: string, answer: CachedAnswer, ttlSeconds: number): Promise<void>;
}

/** In-process LRU, bounded by the size of the serialised answers. */
class MemoryAnswerStore implements AnswerStore {
  readonly #entries: LRUCache<string, CachedAnswer>;

  constructor(maxBytes: number) {
    this.#entries = new LRUCache<string, CachedAnswer>({ maxSize: maxBytes, sizeCalculation: (answer) => JSON.stringify(answer.result).length + 200 });
  }

  async get(key: string) {
    return this.#entries.get(key);
  }

  async set(key: string, answer: CachedAnswer, ttlSeconds: number) {
    this.#entries.set(key, answer, { ttl: ttlSeconds * 1000 });
  }
}

/** Shared by router instances; Redis evicts by its own policy (allkeys-lru in compose). */
class RedisAnswerStore implements AnswerStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  async get(key: string) {
    const text = await this.#redis.get(this.#prefix + key).catch(() => null);
    return text ? (JSON.parse(text) as CachedAnswer) : undefined;
  }

  async set(key: string, answer: CachedAnswer, ttlSeconds: number) {
    await this.#redis.set(this.#prefix + key, JSON.stringify(answer), 'EX', ttlSeconds).catch(() => undefined);
  }
}

const INVALIDATION_MESSAGE = 'opop:response-cache:changed';

/** Per-subgraph generations, kept in step across instances (Redis) or cluster workers (IPC). */
export class SubgraphGenerations {
  readonly #current = new Map<string, number>();
  readonly #redis: Redis | undefined;
  readonly #prefix: string;
  readonly #onWorkerMessage = (message: unknown) => {
    const changed = message as { type?: string; service?: string };
    if (changed?.type === INVALIDATION_MESSAGE && changed.service) this.#raiseLocally(changed.service);
  };

  constructor(options: { redis?: Redis | undefined; subscriber?: Redis | undefined; prefix: string }) {
    this.#redis = options.redis;
    this.#prefix = options.prefix;
    if (options.subscriber) {
      void options.subscriber.subscribe(this.#channel).catch(() => undefined);
      options.subscriber.on('message', (_channel: string, text: string) => {
        const { service, generation } = JSON.parse(text) as { service: string; generation: number };
        this.#advance(service, generation);
      });
    }
    if (cluster.isWorker) process.on('message', this.#onWorkerMessage);
  }

  get #channel() {
    return `${this.#prefix}changes`;
  }

  /** Reads the shared generations once at start-up, so a new instance does not serve what others invalidated. */
  async load(services: readonly string[]): Promise<void> {
    if (!this.#redis) return;
    const values = await this.#redis.mget(services.map((service) => `${this.#prefix}generation:${service}`)).catch(() => []);
    services.forEach((service, index) => this.#current.set(service, Number(values[index] ?? 0)));
  }

  /** A copy of every generation known now; a subgraph missing from it is at 0. */
  snapshot(): ReadonlyMap<string, number> {
    return new Map(this.#current);
  }

  current(service: string): number {
    return this.#current.get(service) ?? 0;
  }

  #raiseLocally(service: string): void {
    this.#current.set(service, this.current(service) + 1);
  }

  /** Takes a generation another instance reached; never goes back. */
  #advance(service: string, generation: number): void {
    this.#current.set(service, Math.max(this.current(service), generation));
  }

  /** A mutation changed `service`'s data: every cached answer built from it is stale, everywhere. */
  async raise(service: string): Promise<void> {
    this.#raiseLocally(service);
    if (cluster.isWorker) process.send?.({ type: INVALIDATION_MESSAGE, service });
    if (!this.#redis) return;
    try {
      const generation = await this.#redis.incr(`${this.#prefix}generation:${service}`);
      this.#advance(service, generation);
      await this.#redis.publish(this.#channel, JSON.stringify({ service, generation }));
    } catch {
      // Redis is down: this instance has moved on, others keep their answers until their max-age.
    }
  }

  async close(): Promise<void> {
    if (cluster.isWorker) process.off('message', this.#onWorkerMessage);
  }
}

/** In the cluster primary: passes each worker's invalidations on to the other workers. */
export function relayInvalidationsBetweenWorkers(): void {
  cluster.on('message', (from, message: { type?: string }) => {
    if (message?.type !== INVALIDATION_MESSAGE) return;
    for (const worker of Object.values(cluster.workers ?? {})) if (worker && worker !== from) worker.send(message);
  });
}

export interface ResponseCacheContext extends BaseContext {
  identity: Identity;
  /** Filled by the subgraph data sources: which subgraphs this request called. */
  calledSubgraphs?: Set<string>;
  responseCache?: { key: string; generations: ReadonlyMap<string, number>; hit: boolean } | undefined;
}

export interface ResponseCacheOptions {
  maxBytes: number;
  redisUrl: string | undefined;
  /** Namespaces keys in a shared Redis (tests). */
  prefix?: string;
  logger: Logger;
}

export class ResponseCache {
  readonly generations: SubgraphGenerations;
  readonly #store: AnswerStore;
  readonly #connections: Redis[];

  private constructor(store: AnswerStore, generations: SubgraphGenerations, connections: Redis[]) {
    this.#store = store;
    this.generations = generations;
    this.#connections = connections;
  }

  static async create(options: ResponseCacheOptions, services: readonly string[]): Promise<ResponseCache> {
    const prefix = options.prefix ?? 'opop:response-cache:';
    if (!options.redisUrl) return new ResponseCache(new MemoryAnswerStore(options.maxBytes), new SubgraphGenerations({ prefix }), []);
    const connect = () => new Redis(options.redisUrl!, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: true });
    const redis = connect();
    const subscriber = connect();
    await Promise.all([redis.connect(), subscriber.connect()]).catch((error: Error) => {
      options.logger.warn({ err: { message: error.message } }, 'Redis is unreachable: the response cache shares nothing until it answers');
    });
    const generations = new SubgraphGenerations({ redis, subscriber, prefix });
    await generations.load(services);
    return new ResponseCache(new RedisAnswerStore(redis, `${prefix}answer:`), generations, [redis, subscriber]);
  }

  async close(): Promise<void> {
    await this.generations.close();
    for (const connection of this.#connections) connection.disconnect();
  }

  /** The Apollo plugin that reads and writes the cache around each operation. */
  plugin<TContext extends ResponseCacheContext>(): ApolloServerPlugin<TContext> {
    const cache = this;
    return {
      async requestDidStart() {
        return {
          async responseForOperation(requestContext): Promise<GraphQLResponse | null> {
            const { contextValue: context } = requestContext;
            if (!cacheable(requestContext)) return null;
            const key = cacheKey(requestContext);
            // Snapshotted before planning: an answer is never tagged newer than the data it read.
            const generations = cache.generations.snapshot();
            context.responseCache = { key, generations, hit: false };
            // A client that must see the data as it is now (the storefront's builds and publisher,
            // which render pages that stay until the next change) asks with `Cache-Control:
            // no-cache`, as in HTTP: the answer is built afresh and stored for everyone else.
            // Changes made outside a mutation through the router (a photo processed, a reservation
            // expired) raise no generation, so a stored answer may lag them by its max-age.
            if (/\bno-cache\b/i.test(requestContext.request.http?.headers.get('cache-control') ?? '')) return null;
            const answer = await cache.#store.get(key);
            if (!answer || answer.expiresAt <= Date.now() || !cache.#fresh(answer)) return null;
            context.responseCache.hit = true;
            const maxAge = Math.max(0, Math.floor((answer.expiresAt - Date.now()) / 1000));
            return {
              http: { status: undefined, headers: new HeaderMap([['cache-control', `max-age=${maxAge}, public`]]) },
              body: { kind: 'single', singleResult: answer.result },
            };
          },
          async willSendResponse(requestContext) {
            const { contextValue: context, response } = requestContext;
            const entry = context.responseCache;
            response.http.headers.set(CACHE_STATUS_HEADER, entry ? (entry.hit ? 'hit' : 'miss') : 'bypass');
            if (!entry || entry.hit || response.body.kind !== 'single') return;
            const result = response.body.singleResult;
            const policy = requestContext.overallCachePolicy.policyIfCacheable();
            const called = [...(context.calledSubgraphs ?? [])];
            if (result.errors?.length || !policy || policy.scope !== 'PUBLIC' || called.length === 0) return;
            const generations = Object.fromEntries(called.map((service) => [service, entry.generations.get(service) ?? 0]));
            await cache.#store.set(entry.key, { result, generations, expiresAt: Date.now() + policy.maxAge * 1000 }, policy.maxAge);
          },
        };
      },
    };
  }

  #fresh(answer: CachedAnswer): boolean {
    return Object.entries(answer.generations).every(([service, generation]) => this.generations.current(service) === generation);
  }
}

function cacheable(requestContext: GraphQLRequestContext<ResponseCacheContext>): boolean {
  return requestContext.operation?.operation === 'query' && requestContext.contextValue.identity.role === 'anonymous';
}

/** The document's hash, the operation chosen in it and its variables: the same request, the same answer. */
function cacheKey(requestContext: GraphQLRequestContext<ResponseCacheContext>): string {
  const { request, queryHash } = requestContext;
  const rest = createHash('sha256').update(JSON.stringify([request.operationName ?? null, request.variables ?? {}])).digest('base64url');
  return `${queryHash}:${rest}`;
}
