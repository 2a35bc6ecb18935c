import { FORWARDED_IDENTITY_TTL_SECONDS, signForwardedIdentity, type Identity } from '@opop/server-kit';
import { LRUCache } from 'lru-cache';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Fetcher } from '@apollo/utils.fetcher';

/**
 * Connections to the subgraphs: kept alive and bounded per subgraph, so a burst queues inside the
 * router instead of opening thousands of sockets, and no request pays for a TCP handshake.
 */
export class SubgraphConnections {
  readonly #agent: Agent;
  readonly fetcher: Fetcher;

  constructor(connectionsPerSubgraph: number) {
    this.#agent = new Agent({ connections: connectionsPerSubgraph, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, pipelining: 1 });
    const agent = this.#agent;
    this.fetcher = ((url: string, init?: Parameters<Fetcher>[1]) => undiciFetch(url, { ...(init as object), dispatcher: agent })) as unknown as Fetcher;
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
