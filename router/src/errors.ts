import { ErrorCode } from '@opop/server-kit';
import { GraphQLError } from 'graphql';

/**
 * The router's own refusals, each with a stable `extensions.code` clients may branch on. All of
 * them happen before any subgraph is called: a refused request runs nothing and writes nothing.
 */
export const RouterErrorCode = {
  /** Fields nested deeper than the router allows (`extensions.depth`, `extensions.maxDepth`). */
  QUERY_TOO_DEEP: 'QUERY_TOO_DEEP',
  /** The operation costs more than the caller's budget (`extensions.cost`, `extensions.maxCost`); see limits.ts for the formula. */
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  /** More aliases than allowed (`extensions.aliases`, `extensions.maxAliases`). */
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  /** Anonymous callers may run only the published operations (schema/persisted-operations.json). */
  PERSISTED_QUERY_REQUIRED: 'PERSISTED_QUERY_REQUIRED',
  /** Too many requests; HTTP 429 with Retry-After (also in `extensions.retryAfterSeconds`). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The body is larger than MAX_BODY_BYTES; HTTP 413. */
  REQUEST_TOO_LARGE: 'REQUEST_TOO_LARGE',
  /** A query's answer is larger than MAX_RESPONSE_BYTES (`extensions.bytes`, `extensions.maxBytes`): ask for fewer items. */
  RESPONSE_TOO_LARGE: 'RESPONSE_TOO_LARGE',
  /** Introspection is off in production: the schema is published as schema/api.graphql. */
  INTROSPECTION_DISABLED: 'INTROSPECTION_DISABLED',
  /** Apollo's code for a request that is not a GraphQL request at all (a batch, a body without `query`). */
  BAD_REQUEST: 'BAD_REQUEST',
} as const;
export type RouterErrorCode = (typeof RouterErrorCode)[keyof typeof RouterErrorCode];

/**
 * A GraphQL request error: nothing ran, so the response has no `data`. HTTP 400, which the
 * router turns into 200 for clients that accept only `application/json`, as the
 * GraphQL-over-HTTP specification asks (see responses.ts).
 */
export function requestError(code: string, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...details, http: { status: 400 } } });
}

/** An HTTP-level refusal with its own status (401, 403, 429): kept whatever the client accepts. */
export function httpError(status: number, code: string, message: string, details: Record<string, unknown> = {}, headers?: Record<string, string>): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...details, http: { status, ...(headers ? { headers: new Map(Object.entries(headers)) } : {}) } },
  });
}

export const forbiddenHere = (message: string) => httpError(403, ErrorCode.FORBIDDEN, message);
export const unauthenticatedHere = (message: string) => httpError(401, ErrorCode.UNAUTHENTICATED, message);
