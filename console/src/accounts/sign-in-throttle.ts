import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface ThrottleSettings {
  /** Shared counters across console instances; memory when unset. */
  redisUrl?: string | undefined;
  /** Failed sign-ins one account tolerates before it is locked (consecutive, reset by a success). */
  failuresPerAccount: number;
  lockMinutes: number;
  /** Sign-in attempts one address may make per 10 minutes, whichever accounts they name. */
  attemptsPerAddress: number;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: 'ACCOUNT' | 'ADDRESS' };

/**
 * Slows down password guessing from both sides: one address trying many accounts, and many
 * addresses trying one account (which then locks for `lockMinutes`, with a message saying when
 * to try again). Counting and storage are rate-limiter-flexible's; the policy is ours.
 */
export class SignInThrottle {
  private readonly perAccount: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;
  private readonly redis: Redis | undefined;
  private readonly lockSeconds: number;
  private readonly spentCodes = new LRUCache<string, true>({ max: 100_000, ttl: 90_000 });

  constructor(settings: ThrottleSettings) {
    this.redis = settings.redisUrl
      ? new Redis(settings.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 })
      : undefined;
    const limiter = (keyPrefix: string, points: number, duration: number, blockDuration: number) => {
      const memory = new RateLimiterMemory({ keyPrefix, points, duration, blockDuration });
      return this.redis
        ? new RateLimiterRedis({ keyPrefix, points, duration, blockDuration, storeClient: this.redis, rejectIfRedisNotReady: true, insuranceLimiter: memory })
        : memory;
    };
    const lockSeconds = settings.lockMinutes * 60;
    this.lockSeconds = lockSeconds;
    this.perAccount = limiter('console-signin-account', settings.failuresPerAccount, lockSeconds, lockSeconds);
    this.perAddress = limiter('console-signin-address', settings.attemptsPerAddress, 600, 600);
  }

  /**
   * Before checking a password: counts the attempt against the address and the account, both at
   * once and atomically, so twenty guesses sent in parallel cannot all pass a check made before
   * any of them failed. A right password gives the account's point back (`succeeded`).
   */
  async beforeAttempt(email: string, address: string): Promise<ThrottleVerdict> {
    try {
      await this.perAddress.consume(address);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return { allowed: false, reason: 'ADDRESS', retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
      throw refusal;
    }
    try {
      await this.perAccount.consume(accountKey(email));
      return { allowed: true };
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return { allowed: false, reason: 'ACCOUNT', retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
      throw refusal;
    }
  }

  /** After a wrong password (its attempt already counted): whether the account is now locked, and for how long. */
  async failed(email: string): Promise<{ locked: boolean; retryAfterSeconds: number }> {
    const key = accountKey(email);
    const counted = await this.perAccount.get(key);
    if (!counted || counted.consumedPoints < this.perAccount.points) return { locked: false, retryAfterSeconds: 0 };
    // The lock runs from the failure that used up the allowance, not from the window's start.
    await this.perAccount.block(key, this.lockSeconds);
    return { locked: true, retryAfterSeconds: this.lockSeconds };
  }

  /**
   * Marks a TOTP code as spent by `userId` for its whole window of validity (90 s covers the
   * window and the clock drift better-auth accepts); false when it was already spent. RFC 6238
   * asks verifiers not to accept one code twice, so a code read over someone's shoulder is
   * useless once used.
   */
  async spendCode(userId: string, code: string): Promise<boolean> {
    const key = `console-totp-spent:${userId}:${code}`;
    if (this.redis) return (await this.redis.set(key, '1', 'EX', 90, 'NX')) === 'OK';
    if (this.spentCodes.has(key)) return false;
    this.spentCodes.set(key, true);
    return true;
  }

  /** Clears the account's count: after a right password, or when an admin makes a password link. */
  async succeeded(email: string): Promise<void> {
    await this.perAccount.delete(accountKey(email));
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}

const accountKey = (email: string) => email.trim().toLowerCase();
