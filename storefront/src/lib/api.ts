import type { TypedDocumentString } from '../generated/operations.ts';

/** A GraphQL error as the API reports it: a message and a stable code (BAD_USER_INPUT, OUT_OF_STOCK, …). */
export interface ApiErrorDetail {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export class ApiError extends Error {
  override name = 'ApiError';
  readonly errors: readonly ApiErrorDetail[];
  constructor(errors: readonly ApiErrorDetail[]) {
    super(errors.map((error) => error.message).join('; '));
    this.errors = errors;
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

/** The API could not be reached or answered with something that is not GraphQL. */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

/**
 * Runs one typed operation. Used by the build (in Node) and by the islands (in the browser), so it
 * stays small: no client library, just fetch.
 */
export async function execute<Result, Variables>(
  endpoint: string,
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
  init: {
    signal?: AbortSignal;
    headers?: Record<string, string>;
    /**
     * Ask by GET with the query's published hash alone, so the browser and any CDN may keep the
     * public answer for as long as the router says: for what every shopper reads alike (search,
     * the embed picker), never for what must be fresh (a product page's stock line, the build)
     * or carries a secret (an order's link).
     */
    byGet?: boolean;
  } = {},
): Promise<Result> {
  const hash = init.byGet ? (document.__meta__?.['hash'] as string | undefined) : undefined;
  // No fallback to POST: anonymous callers may run only published documents, so a hash the router
  // does not know (a page loaded before a deploy) names a text it would refuse as well.
  const answer = hash
    ? await exchange<Result>(endpoint, `${endpoint}?${publishedQueryParams(hash, variables)}`, { method: 'GET', headers: { accept: ACCEPT, ...init.headers } }, init.signal)
    : await exchange<Result>(
        endpoint,
        endpoint,
        { method: 'POST', headers: { 'content-type': 'application/json', accept: ACCEPT, ...init.headers }, body: JSON.stringify({ query: document.toString(), variables }) },
        init.signal,
      );
  const { status, body } = answer;
  if (body.errors?.length) throw new ApiError(body.errors);
  if (!body.data) throw new NetworkError(`${endpoint} answered ${status} without data`);
  return body.data;
}

const ACCEPT = 'application/graphql-response+json, application/json';

/** The GraphQL-over-HTTP GET form of a published query: its variables and its hash, JSON-encoded. */
const publishedQueryParams = (hash: string, variables: unknown): string =>
  new URLSearchParams({ variables: JSON.stringify(variables ?? {}), extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }) }).toString();

interface Answer<Result> {
  status: number;
  body: { data?: Result | null; errors?: ApiErrorDetail[] };
}

async function exchange<Result>(endpoint: string, url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Answer<Result>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(`cannot reach ${endpoint}: ${(error as Error).message}`);
  }
  try {
    return { status: response.status, body: (await response.json()) as Answer<Result>['body'] };
  } catch {
    throw new NetworkError(`${endpoint} answered ${response.status} without a GraphQL response`);
  }
}
