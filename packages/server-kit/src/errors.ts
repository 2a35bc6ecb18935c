import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DriverException, ForeignKeyConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { z } from 'zod';
import type { Logger } from './logger.ts';

/**
 * The stable `extensions.code` values clients may branch on. Apollo's own codes
 * (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_REQUEST, PERSISTED_QUERY_NOT_FOUND, …)
 * pass through unchanged as well.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /**
   * More of something was asked for than remains (the last items of a product); the error's
   * extensions say what is short, so a client can offer what is left instead of a dead end.
   */
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  /**
   * A price changed since the client showed it (an order line's `expectedUnitPriceRupiah`, or the
   * unit or weight it was for, `expectedUnit`, `expectedWeightGrams`); the extensions list each
   * changed product with its price, unit and weight now, and nothing was done.
   */
  PRICE_CHANGED: 'PRICE_CHANGED',
  /** A limit of the service itself (not the router's), e.g. orders per phone; extensions say which and `retryAfterSeconds`. */
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const PUBLIC_CODES = new Set<string>([
  ...Object.values(ErrorCode),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'INTROSPECTION_DISABLED',
  'MAX_RECURSIVE_SELECTIONS_EXCEEDED',
  // The router's refusals before execution (router/src/errors.ts says what each means).
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_ALIASES',
  'PERSISTED_QUERY_REQUIRED',
  'RATE_LIMITED',
  'REQUEST_TOO_LARGE',
  'RESPONSE_TOO_LARGE',
]);

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401 };

export interface InputIssue {
  field: string;
  message: string;
}

function typedError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, { extensions: { code, ...extensions, ...(status ? { http: { status } } : {}) } });
}

/**
 * Bad input names the offending field (`input.priceRupiah`) so clients can put the message next to
 * it; `details` add stable extensions a client may branch on (a refusal's `reason`, say).
 */
export function badUserInput(message: string, field?: string, issues?: InputIssue[], details: Record<string, unknown> = {}): GraphQLError {
  return typedError(ErrorCode.BAD_USER_INPUT, field ? `${field}: ${message}` : message, {
    ...details,
    ...(field ? { field } : {}),
    ...(issues ? { issues } : {}),
  });
}

/** The request as a whole is not authenticated (HTTP 401): for checks made before any field resolves. */
export const unauthenticated = (message = 'Authentication required') => typedError(ErrorCode.UNAUTHENTICATED, message);

/**
 * The same error without its HTTP status, for refusals inside a resolver: they concern one field,
 * and a non-2xx status would make the router drop this subgraph's whole answer, fields the caller
 * may read included, instead of keeping the error at its path.
 */
export function withoutHttpStatus(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { extensions });
}
/** The caller may not do this; `field` names the input that asked for more than the caller may have, when one did. */
export const forbidden = (message = 'You are not allowed to do this', field?: string) => typedError(ErrorCode.FORBIDDEN, field ? `${field}: ${message}` : message, field ? { field } : {});
export const notFound = (what: string) => typedError(ErrorCode.NOT_FOUND, `${what} not found`);
/** A dependency of this service (a search engine, say) cannot answer right now; retrying later may work. */
export const serviceUnavailable = (message: string) => typedError(ErrorCode.SERVICE_UNAVAILABLE, message);
/** The request is well-formed but the current state does not allow it (a taken NSPP, a wrong curation step). */
export const conflict = (message: string, field?: string, details: Record<string, unknown> = {}) =>
  typedError(ErrorCode.CONFLICT, message, { ...(field ? { field } : {}), ...details });
/** Not enough left to satisfy the request; `details` say what is short and how much remains. */
export const rateLimited = (message: string, details: Record<string, unknown> & { retryAfterSeconds: number }) => typedError(ErrorCode.RATE_LIMITED, message, details);
export const outOfStock = (message: string, details: Record<string, unknown> = {}) => typedError(ErrorCode.OUT_OF_STOCK, message, details);
/** A price is not what the client showed; `details` list each changed product and its price now. */
export const priceChanged = (message: string, details: Record<string, unknown> = {}) => typedError(ErrorCode.PRICE_CHANGED, message, details);

/**
 * The unique constraint a failed write broke (`pesantren_nspp_unique`), '' when the database did
 * not name it, undefined when the error is not a unique violation: for a service that turns a
 * lost race (two writes of one NSPP at the same moment, both past its check) into the same typed
 * refusal its check gives, or that retries when the value it chose (a slug) was taken meanwhile.
 */
export function brokenUniqueConstraint(error: unknown): string | undefined {
  if (!(error instanceof UniqueConstraintViolationException)) return undefined;
  const named = (error as { constraint?: unknown }).constraint;
  if (typeof named === 'string' && named) return named;
  return /unique constraint "([^"]+)"/.exec(error.message)?.[1] ?? '';
}

/**
 * Validates resolver input at the edge. Every problem is returned in `extensions.issues`; the
 * message leads with the first one so a human reading only the message still knows what to fix.
 */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, root: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: [root, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const [first] = issues as [InputIssue, ...InputIssue[]];
  throw badUserInput(first.message, first.field, issues);
}

/**
 * Apollo `formatError`: known, typed errors go out as they are; anything else is logged with its
 * stack and leaves as a generic INTERNAL_SERVER_ERROR, so no internals (SQL, stack traces, file
 * paths) reach a client.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.['code'];
    if (typeof code === 'string' && PUBLIC_CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
      // Refusals made while building the request context (the router's guard) carry Apollo's
      // prefix, which tells a client nothing.
      return { ...formatted, message: formatted.message.replace(/^Context creation failed: /, ''), extensions: withoutInternals(formatted.extensions) };
    }
    if (original instanceof UniqueConstraintViolationException) {
      return { ...formatted, message: 'A record with the same unique value already exists', extensions: { code: ErrorCode.CONFLICT } };
    }
    if (original instanceof ForeignKeyConstraintViolationException) {
      return { ...formatted, message: 'A referenced record does not exist', extensions: { code: ErrorCode.BAD_USER_INPUT } };
    }
    logger.error({ err: original instanceof DriverException ? { message: original.message, code: original.code } : original, path: formatted.path }, 'unexpected error while serving GraphQL');
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

function withoutInternals(extensions: GraphQLFormattedError['extensions']): Record<string, unknown> {
  const { stacktrace: _stacktrace, exception: _exception, http: _http, ...rest } = extensions ?? {};
  return rest;
}
