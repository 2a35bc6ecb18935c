import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { GRAPHQL_PATH, type Logger } from '@opop/server-kit';
import { RouterErrorCode } from './errors.ts';

/**
 * Codes of GraphQL request errors: the request was well-formed HTTP, but nothing could run.
 */
const REQUEST_ERROR_CODES = new Set<string>([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  RouterErrorCode.QUERY_TOO_DEEP,
  RouterErrorCode.QUERY_TOO_COMPLEX,
  RouterErrorCode.TOO_MANY_ALIASES,
  RouterErrorCode.PERSISTED_QUERY_REQUIRED,
  RouterErrorCode.INTROSPECTION_DISABLED,
]);

/** A GraphQL-shaped body for refusals made outside Apollo (rate limits, body size, malformed JSON). */
export function errorBody(message: string, code: string, extensions: Record<string, unknown> = {}): string {
  return JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] });
}

export function sendRateLimited(reply: FastifyReply, retryAfterSeconds: number, reason = 'Too many requests'): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .type('application/json; charset=utf-8')
    .send(errorBody(`${reason}; try again in ${retryAfterSeconds} s`, RouterErrorCode.RATE_LIMITED, { retryAfterSeconds }));
}

/**
 * HTTP status the GraphQL-over-HTTP way. Apollo answers request errors (parse, validation,
 * variable coercion, and the router's own limits) with 400 whatever the client accepts; the
 * specification asks for 400 with `application/graphql-response+json` but 200 with the legacy
 * `application/json`, whose clients read errors from the body and may treat any 4xx as a
 * transport failure. Refusals at the HTTP level (401, 403, 413, 429, malformed JSON, batches)
 * keep their status.
 *
 * Also turns Fastify's own errors (body too large, malformed JSON, unsupported media type) into
 * GraphQL-shaped bodies with stable codes.
 */
export function shapeResponses(app: FastifyInstance, logger: Logger): void {
  // Public answers may be stored by HTTP caches; compressed or not, each must be kept apart.
  app.addHook('onSend', async (request, reply, payload) => {
    const vary = String(reply.getHeader('vary') ?? '');
    if (request.url.startsWith(GRAPHQL_PATH) && !vary.toLowerCase().includes('accept-encoding')) {
      reply.header('vary', vary ? `${vary}, accept-encoding` : 'accept-encoding');
    }
    return payload;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 400 || !request.url.startsWith(GRAPHQL_PATH) || typeof payload !== 'string') return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('application/json')) return payload;
    try {
      const body = JSON.parse(payload) as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
      const codes = body.errors?.map((error) => error.extensions?.code);
      if (codes?.length && codes.every((code) => typeof code === 'string' && REQUEST_ERROR_CODES.has(code))) reply.code(200);
    } catch {
      // Not JSON after all: leave it as it is.
    }
    return payload;
  });

  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) logger.error({ err: error }, 'unexpected error while serving HTTP');
    const [message, code] =
      status === 413
        ? ['The request body is too large', RouterErrorCode.REQUEST_TOO_LARGE]
        : status === 500
          ? ['Internal server error', 'INTERNAL_SERVER_ERROR']
          : [error.message, RouterErrorCode.BAD_REQUEST];
    return reply.code(status).type('application/json; charset=utf-8').send(errorBody(message, code));
  });
}
