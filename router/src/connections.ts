import { STATUS_CODES } from 'node:http';
import { FORWARDED_IDENTITY_TTL_SECONDS, signForwardedIdentity, type Identity } from '@opop/server-kit';
import { LRUCache } from 'lru-cache';
import { Agent, Headers, type Dispatcher } from 'undici';
import type { Fetcher, FetcherHeaders, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';

/**
 * Connections to the subgraphs: kept alive and bounded per subgraph, so a burst queues inside the
 * router instead of opening thousands of sockets, and no request pays for a TCP handshake.
 *
 * The gateway asks for a WHATWG-style `fetch`; this one is undici's `request` underneath, with
 * the small response object the gateway reads (status, headers, the body as text or JSON).
 * undici's own `fetch` builds the full Fetch machinery (Request, Headers, body streams) for every
 * subgraph call: profiled at 17% of the router's busy time with the cache off, the largest share
 * after V8 itself. Redirects are not followed (a subgraph never redirects).
 */
export class SubgraphConnections {
  readonly #agent: Agent;
  readonly fetcher: Fetcher;

  constructor(connectionsPerSubgraph: number) {
    this.#agent = new Agent({ connections: connectionsPerSubgraph, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, pipelining: 1 });
    const agent = this.#agent;
    const targets = new Map<string, { origin: string; path: string }>();
    this.fetcher = async (url: string, init: FetcherRequestInit = {}): Promise<FetcherResponse> => {
      let target = targets.get(url);
      if (!target) {
        const parsed = new URL(url);
        target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
        targets.set(url, target);
      }
      const response = await agent.request({
        origin: target.origin,
        path: target.path,
        method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: init.headers ?? {},
        body: init.body ?? null,
        signal: init.signal,
      });
      return new SubgraphResponse(url, response.statusCode, response.headers, await response.body.text());
    };
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

/** A subgraph's answer, read in full, with the part of the Fetch API the gateway uses. */
export class SubgraphResponse implements FetcherResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: FetcherHeaders;
  readonly #body: string;
  bodyUsed = false;

  constructor(url: string, status: number, headers: Record<string, string | string[] | undefined>, body: string) {
    this.url = url;
    this.status = status;
    // undici's Headers: lower-case names, repeated values joined as Fetch joins them.
    const fetchHeaders = new Headers();
    for (const [name, value] of Object.entries(headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) fetchHeaders.append(name, one);
    }
    this.headers = fetchHeaders as unknown as FetcherHeaders;
    this.#body = body;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  get redirected(): boolean {
    return false;
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.#body;
  }

  async json(): Promise<unknown> {
    this.bodyUsed = true;
    return JSON.parse(this.#body);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    const bytes = Buffer.from(this.#body);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  clone(): FetcherResponse {
    return new SubgraphResponse(this.url, this.status, Object.fromEntries(this.headers), this.#body);
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
