import { FORWARDED_IDENTITY_TTL_SECONDS, signForwardedIdentity, type Identity } from '@opop/server-kit';
import { LRUCache } from 'lru-cache';
import { Agent } from 'undici';

/** A subgraph's answer, read in full: undici's headers (lower-case names) and the body as text. */
export interface SubgraphAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Connections to the subgraphs: kept alive and bounded per subgraph, so a burst queues inside the
 * router instead of opening thousands of sockets, and no request pays for a TCP handshake.
 *
 * undici's `request` rather than a `fetch`: undici's own `fetch` builds the full Fetch machinery
 * (Request, Headers, body streams) for every subgraph call, profiled at 17% of the router's busy
 * time with the cache off, the largest share after V8 itself. Redirects are not followed (a
 * subgraph never redirects).
 */
export class SubgraphConnections {
  readonly #agent: Agent;
  readonly #targets = new Map<string, { origin: string; path: string }>();

  constructor(connectionsPerSubgraph: number) {
    this.#agent = new Agent({ connections: connectionsPerSubgraph, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, pipelining: 1 });
  }

  /** POSTs `body` to `url`; rejects only when no answer came (refused, reset, timed out). */
  async post(url: string, headers: Record<string, string>, body: string): Promise<SubgraphAnswer> {
    let target = this.#targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      this.#targets.set(url, target);
    }
    const response = await this.#agent.request({ origin: target.origin, path: target.path, method: 'POST', headers, body });
    return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

/**
 * The signed identities forwarded to subgraphs, each reused for half its validity: signing is an
 * HMAC and a JWT encoding per request otherwise, and nearly every request is the same anonymous
 * caller. Bounded, since every signed-in caller is an entry.
 */
export class SignedIdentities {
  readonly #secret: string | undefined;
  readonly #tokens = new LRUCache<string, Promise<string>>({ max: 10_000, ttl: (FORWARDED_IDENTITY_TTL_SECONDS * 1000) / 2 });

  constructor(secret: string | undefined) {
    this.#secret = secret;
  }

  signed(identity: Identity): Promise<string | undefined> {
    const secret = this.#secret;
    if (!secret) return Promise.resolve(undefined);
    const key = JSON.stringify([identity.role, identity.subject, identity.pesantrenId, identity.scopes, identity.partnerId ?? null]);
    let token = this.#tokens.get(key);
    if (!token) {
      token = signForwardedIdentity(identity, secret);
      this.#tokens.set(key, token);
      token.catch(() => this.#tokens.delete(key));
    }
    return token;
  }
}
