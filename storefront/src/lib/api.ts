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
  init: { signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<Result> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...init.headers },
      body: JSON.stringify({ query: document.toString(), variables }),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(`cannot reach ${endpoint}: ${(error as Error).message}`);
  }
  let body: { data?: Result | null; errors?: ApiErrorDetail[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new NetworkError(`${endpoint} answered ${response.status} without a GraphQL response`);
  }
  if (body.errors?.length) throw new ApiError(body.errors);
  if (!body.data) throw new NetworkError(`${endpoint} answered ${response.status} without data`);
  return body.data;
}
