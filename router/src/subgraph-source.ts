import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CHANGES_HEADER, ErrorCode, IDENTITY_HEADER, VISITOR_HEADER, type Identity, type Logger } from '@opop/server-kit';
import { GraphQLError } from 'graphql';
import type { SubgraphAnswer, SubgraphConnections } from './connections.ts';
import type { ResponseCache, ResponseCacheContext } from './response-cache.ts';
import type { GuardVerdict } from './guard.ts';

export interface RouterContext extends ResponseCacheContext {
  identity: Identity;
  /** What the guard checked before Apollo saw the request. */
  guard: GuardVerdict;
  /** The identity signed once per request, however many subgraphs the plan calls. */
  forwardedIdentity: () => Promise<string | undefined>;
  /** The visitor derived from the connection and signed, for counters; computed for mutations only. */
  forwardedVisitor?: () => string;
}

type ProcessOptions = GraphQLDataSourceProcessOptions<RouterContext>;
type SubgraphResult = Awaited<ReturnType<GraphQLDataSource['process']>>;

/**
 * Calls one subgraph for the gateway: forwards the caller's identity, signed, lets the subgraph's
 * `Cache-Control` bound the answer's cache policy, and turns transport failures into typed errors
 * naming the subgraph, so a client learns which part is missing and nothing about internal URLs.
 *
 * Ours rather than the gateway's `RemoteGraphQLDataSource`, which builds a node-fetch `Headers`
 * and a node-fetch `Request` (parsing the URL) for every call and reads the answer through a
 * Fetch-shaped wrapper: that machinery was 4–6% of the router's busy time in a CPU profile of the
 * storefront's search, for a request whose URL and method never change. What the gateway needs of
 * a data source is `process`, answered with the subgraph's `data`, `errors` and `extensions`.
 * Behaviour kept from Apollo's: the body `{ query, variables, operationName, extensions }`, no
 * automatic persisted queries, and a missing or unreadable `Cache-Control` makes the whole answer
 * uncacheable (max-age 0).
 */
export class SubgraphSource implements GraphQLDataSource<RouterContext> {
  readonly #name: string;
  readonly #url: string;
  readonly #logger: Logger;
  readonly #connections: SubgraphConnections;
  readonly #responseCache: ResponseCache | undefined;

  constructor(name: string, url: string, logger: Logger, connections: SubgraphConnections, responseCache: ResponseCache | undefined) {
    this.#name = name;
    this.#url = url;
    this.#logger = logger;
    this.#connections = connections;
    this.#responseCache = responseCache;
  }

  async process(options: ProcessOptions): Promise<SubgraphResult> {
    const { request, context } = options;
    if (!request.query) throw new Error('Missing query');
    const mutation = request.query.trimStart().startsWith('mutation');
    const headers: Record<string, string> = {};
    // What the gateway itself asks of a subgraph (a trace, when usage reporting is on).
    if (request.http?.headers) for (const [name, value] of request.http.headers) headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    const ours = 'forwardedIdentity' in context ? (context as RouterContext) : undefined;
    const token = ours ? await ours.forwardedIdentity() : undefined;
    if (token) headers[IDENTITY_HEADER] = token;
    // Only mutations count visitors (views, widget clicks); queries need no hash of the connection.
    if (mutation && ours?.forwardedVisitor) headers[VISITOR_HEADER] = ours.forwardedVisitor();
    ours?.calledSubgraphs?.add(this.#name);

    const body = JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName, extensions: request.extensions });
    let answer: SubgraphAnswer;
    try {
      answer = await this.#connections.post(this.#url, headers, body);
    } catch (error) {
      throw this.#unavailable((error as Error).message);
    }
    if (answer.status < 200 || answer.status >= 300) throw this.#errorOf(answer);
    const result = parseObject(answer.body);
    if (!result) throw this.#unavailable(`answered HTTP ${answer.status} without a JSON object`);

    if ('incomingRequestContext' in options) {
      const policy = options.incomingRequestContext.overallCachePolicy;
      if (policy && 'restrict' in policy) policy.restrict(cacheHintOf(headerOf(answer, 'cache-control')));
    }
    // A mutation that changed this subgraph's data makes the cached answers built from it stale.
    if (this.#responseCache && mutation && headerOf(answer, CHANGES_HEADER) !== 'none') await this.#responseCache.generations.raise(this.#name);
    return result as SubgraphResult;
  }

  /** A subgraph's refusal is passed on when it says what it is; anything else is "unavailable". */
  #errorOf(answer: SubgraphAnswer): GraphQLError {
    const first = (parseObject(answer.body) as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | undefined)?.errors?.[0];
    const code = first?.extensions?.code;
    if (typeof first?.message === 'string' && first.message && typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      return new GraphQLError(first.message, { extensions: { code } });
    }
    return this.#unavailable(`answered HTTP ${answer.status}`);
  }

  #unavailable(reason: string): GraphQLError {
    this.#logger.warn({ subgraph: this.#name, reason }, 'subgraph unavailable');
    return new GraphQLError(`The ${this.#name} service is unavailable`, {
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, serviceName: this.#name },
    });
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function headerOf(answer: SubgraphAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * A subgraph's `Cache-Control` as a cache hint, read as Apollo's gateway reads it, except that
 * `private` wins over `public` when a header names both (Apollo lets the later check win),
 * directive names are read in any case (HTTP says they are case-insensitive; Apollo ignored
 * `Max-Age` and `PRIVATE`), and a `max-age` that is not a number is ignored rather than making
 * the answer uncacheable when another one is.
 */
export function cacheHintOf(header: string | undefined): { maxAge: number; scope?: 'PUBLIC' | 'PRIVATE' } {
  let maxAge = 0;
  let isPrivate = false;
  let isPublic = false;
  for (const part of header?.trim().split(/\s*,\s*/) ?? []) {
    const [name, raw] = part.split(/\s*=\s*/, 2);
    const value = raw?.replace(/^"|"$/g, '');
    const directive = name!.toLowerCase();
    if (directive === 'max-age' && value !== undefined && /^[0-9]+$/.test(value)) maxAge = Number(value);
    else if (directive === 'private' && value === undefined) isPrivate = true;
    else if (directive === 'public' && value === undefined) isPublic = true;
  }
  return isPrivate ? { maxAge, scope: 'PRIVATE' } : isPublic ? { maxAge, scope: 'PUBLIC' } : { maxAge };
}
