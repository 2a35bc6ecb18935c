import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '@opop/server-kit';
import type { RateWindow } from './config.ts';

/** Where a caller stands in its window after a counted request, for the RateLimit headers. */
export interface RateQuota {
  limit: number;
  remaining: number;
  /** Seconds until the window starts again. */
  resetSeconds: number;
  windowSeconds: number;
}

/** The IETF draft's RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-06), as most clients read them. */
export const RATE_LIMIT_HEADERS = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy'] as const;

export function rateLimitHeaders(quota: RateQuota): [(typeof RATE_LIMIT_HEADERS)[number], string][] {
  return [
    ['ratelimit-limit', String(quota.limit)],
    ['ratelimit-remaining', String(quota.remaining)],
    ['ratelimit-reset', String(quota.resetSeconds)],
    ['ratelimit-policy', `${quota.limit};w=${quota.windowSeconds}`],
  ];
}

/** Allowed with the caller's quota, or without one when the count itself failed (the request goes through). */
export type RateDecision = { allowed: true; quota?: RateQuota } | { allowed: false; retryAfterSeconds: number };

const ALLOWED: RateDecision = { allowed: true };

export interface RateLimits {
  readonly store: 'redis' | 'memory';
  /** Anonymous and token traffic, per client IP. */
  consumeIp(ip: string): Promise<RateDecision>;
  /** Keyed traffic, per key, whichever IP it comes from. */
  consumeKey(keyId: string): Promise<RateDecision>;
  /** Whether this IP has sent too many unknown or revoked keys lately; counts nothing. */
  keyFailuresExhausted(ip: string): Promise<RateDecision>;
  recordKeyFailure(ip: string): Promise<void>;
  /** Resolves once Redis answers, or after `timeoutMs` (at once in memory); counts taken before then were kept in memory. */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimitOptions {
  ip: RateWindow;
  key: RateWindow;
  keyFailures: RateWindow;
  /** Redis shares the counts between router instances; without it each instance counts alone. */
  redisUrl: string | undefined;
  /** Namespaces the Redis keys (tests use their own). */
  keyPrefix?: string;
  logger: Logger;
}

/**
 * rate-limiter-flexible's fixed windows, in Redis when REDIS_URL is set and in memory otherwise.
 * When Redis cannot be reached each instance falls back to counting in its own memory (the
 * insurance limiter), so a Redis outage loosens the limits a little instead of refusing or
 * admitting everyone.
 */
export function createRateLimits(options: RateLimitOptions): RateLimits {
  const prefix = options.keyPrefix ?? 'opop:router:rate';
  let redis: Redis | undefined;
  if (options.redisUrl) {
    // No offline queue: while Redis is away a count fails at once and the memory fallback answers,
    // instead of requests queueing behind a reconnect.
    redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, lazyConnect: false });
    let warned = false;
    redis.on('error', (error: Error) => {
      if (warned) return;
      warned = true;
      options.logger.warn({ err: { message: error.message } }, 'Redis for rate limits is unavailable; counting in memory meanwhile');
    });
    redis.on('ready', () => {
      warned = false;
    });
  }

  const limiter = (name: string, window: RateWindow): RateLimiterAbstract => {
    const base = { keyPrefix: `${prefix}:${name}`, points: window.points, duration: window.seconds };
    const memory = new RateLimiterMemory(base);
    return redis ? new RateLimiterRedis({ ...base, storeClient: redis, rejectIfRedisNotReady: true, insuranceLimiter: memory }) : memory;
  };
  const ip = limiter('ip', options.ip);
  const key = limiter('key', options.key);
  const keyFailures = limiter('key-failures', options.keyFailures);

  async function consume(target: RateLimiterAbstract, window: RateWindow, id: string): Promise<RateDecision> {
    try {
      const counted = await target.consume(id);
      return { allowed: true, quota: { limit: window.points, remaining: Math.max(0, counted.remainingPoints), resetSeconds: Math.max(1, Math.ceil(counted.msBeforeNext / 1000)), windowSeconds: window.seconds } };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      // Neither the store nor the insurance answered: let the request through rather than fail every caller.
      options.logger.error({ err: rejection }, 'rate limiter failed');
      return ALLOWED;
    }
  }

  return {
    store: redis ? 'redis' : 'memory',
    consumeIp: (address) => consume(ip, options.ip, address),
    consumeKey: (keyId) => consume(key, options.key, keyId),
    async keyFailuresExhausted(address) {
      try {
        const state = await keyFailures.get(address);
        if (state && state.consumedPoints >= options.keyFailures.points) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(state.msBeforeNext / 1000)) };
        }
      } catch (error) {
        options.logger.error({ err: error }, 'rate limiter failed');
      }
      return ALLOWED;
    },
    async recordKeyFailure(address) {
      await consume(keyFailures, options.keyFailures, address);
    },
    async ready(timeoutMs = 5_000) {
      if (!redis || redis.status === 'ready') return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        redis!.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    async close() {
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
