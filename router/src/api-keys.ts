import { LRUCache } from 'lru-cache';
import { API_KEY_SUBJECT_PREFIX, IDENTITY_HEADER, SERVICE_ROLE, signForwardedIdentity, type Identity, type Logger } from '@opop/server-kit';
import { z } from 'zod';
import { sha256Hex } from './persisted.ts';

/** Who holds an API key, as the partners subgraph answers for the router. */
export interface ApiKeyHolder {
  keyId: string;
  partnerId: string;
  partnerSlug: string;
  role: 'media_partner' | 'academic_partner';
  scopes: string[];
  /** Exact origins browsers may send the key from; empty when any origin may. */
  allowedOrigins: string[];
}

/** Null when the key is unknown or revoked; rejects when the answer cannot be had. */
export type ApiKeyLookup = (secret: string) => Promise<ApiKeyHolder | null>;

/** The router acting for itself: the only identity the partners subgraph answers key lookups for. */
export const ROUTER_SERVICE_IDENTITY: Identity = Object.freeze({ role: SERVICE_ROLE, subject: 'router', pesantrenId: null, scopes: Object.freeze([]) });

export const API_KEY_IDENTITY_QUERY =
  'query ApiKeyIdentity($secret: String!) { apiKeyIdentity(secret: $secret) { keyId partnerId partnerSlug role scopes allowedOrigins } }';

const holderSchema = z.object({
  keyId: z.string().min(1),
  partnerId: z.uuid(),
  partnerSlug: z.string().min(1),
  // Keys act as partners only; anything else from the lookup is a bug there, and refused here.
  role: z.enum(['media_partner', 'academic_partner']),
  scopes: z.array(z.string()),
  allowedOrigins: z.array(z.string()),
});

const answerSchema = z.object({
  data: z.object({ apiKeyIdentity: z.unknown() }).nullish(),
  errors: z.array(z.object({ message: z.string() }).loose()).optional(),
});

export class ApiKeyLookupError extends Error {
  override name = 'ApiKeyLookupError';
}

/**
 * Asks the partners subgraph, directly (the field is hidden from the public schema), as the
 * `service` role. The forwarded identity is short-lived, so it is signed per lookup; lookups are
 * rare thanks to the cache in front.
 */
export function partnersApiKeyLookup(partnersUrl: string, identitySecret: string, logger: Logger): ApiKeyLookup {
  return async (secret) => {
    let answer: z.infer<typeof answerSchema>;
    try {
      const response = await fetch(partnersUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          [IDENTITY_HEADER]: await signForwardedIdentity(ROUTER_SERVICE_IDENTITY, identitySecret),
        },
        body: JSON.stringify({ query: API_KEY_IDENTITY_QUERY, variables: { secret } }),
        signal: AbortSignal.timeout(3_000),
      });
      answer = answerSchema.parse(await response.json());
    } catch (error) {
      throw new ApiKeyLookupError(`the partners service did not answer: ${(error as Error).message}`, { cause: error });
    }
    if (answer.errors?.length || !answer.data) throw new ApiKeyLookupError(`the partners service refused the lookup: ${answer.errors?.[0]?.message ?? 'no data'}`);
    const raw = answer.data.apiKeyIdentity;
    if (raw === null || raw === undefined) return null;
    const holder = holderSchema.safeParse(raw);
    if (!holder.success) {
      logger.warn({ issues: holder.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'API key refused: the lookup answered an unexpected holder');
      return null;
    }
    return holder.data;
  };
}

export interface ApiKeyCacheOptions {
  /** How long a holder is remembered: a revoked key keeps working this long at most. */
  positiveTtlMs: number;
  /** How long "no such key" is remembered. */
  negativeTtlMs: number;
  max?: number;
}

/** Longer than any key we issue (opk_live_<8>_<43>) by a margin; anything longer is not asked about. */
const MAX_KEY_LENGTH = 200;
const KEY_SHAPE = /^[\x21-\x7e]+$/;

/**
 * Resolves keys through an LRU cache, keyed by the SHA-256 of the key so no key is kept in
 * memory. Concurrent requests with one key share one lookup (lru-cache coalesces fetches), and an
 * unknown key is remembered as unknown for a while, so each unknown key costs one lookup per
 * negative TTL at most, however often it is sent; how many different keys one IP may try is the
 * key-failure rate limit's business.
 */
export class ApiKeyResolver {
  readonly #cache: LRUCache<string, { holder: ApiKeyHolder | null }, string>;

  constructor(lookup: ApiKeyLookup, options: ApiKeyCacheOptions) {
    // lru-cache reads a TTL of 0 as "forever"; 1 ms is the closest to "do not cache".
    const ttl = (ms: number) => Math.max(1, ms);
    this.#cache = new LRUCache<string, { holder: ApiKeyHolder | null }, string>({
      max: options.max ?? 10_000,
      fetchMethod: async (_hash, _stale, { options: entry, context }) => {
        const holder = await lookup(context);
        entry.ttl = ttl(holder ? options.positiveTtlMs : options.negativeTtlMs);
        return { holder };
      },
    });
  }

  async resolve(secret: string): Promise<ApiKeyHolder | null> {
    if (secret.length > MAX_KEY_LENGTH || !KEY_SHAPE.test(secret)) return null;
    const entry = await this.#cache.fetch(sha256Hex(secret), { context: secret });
    return entry?.holder ?? null;
  }

  /** Forgets every answer (tests; an operator could wire it to a signal). */
  clear(): void {
    this.#cache.clear();
  }
}

/** The subject says it is a key, so logs and the santri record audit tell keys from users' tokens. */
export function identityOfKey(holder: ApiKeyHolder): Identity {
  return { role: holder.role, subject: `${API_KEY_SUBJECT_PREFIX}${holder.keyId}`, pesantrenId: null, scopes: [...holder.scopes], partnerId: holder.partnerId };
}

/**
 * An Origin header is what a browser sends; a key bound to origins is refused from any other.
 * Without the header (server-to-server) the key is accepted: origins protect keys embedded in web
 * pages, and a server can send any header it likes anyway.
 */
export function originAllowed(holder: ApiKeyHolder, origin: string | undefined): boolean {
  if (!origin || holder.allowedOrigins.length === 0) return true;
  const wanted = origin.trim().toLowerCase();
  return holder.allowedOrigins.some((allowed) => allowed.toLowerCase() === wanted);
}
