import type { FastifyInstance } from 'fastify';
import { request as forward } from 'undici';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from '@opop/server-kit';
import type { RateLimits } from './rate-limit.ts';
import { sendRateLimited } from './responses.ts';

/** The catalogue refuses bigger uploads too; the router refuses them before reading them. */
const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;
/** Where upload URLs live on the public origin (the console's browsers PUT here cross-origin). */
export const PHOTO_UPLOAD_PATH = '/photos/uploads/';
const PASSED_BACK = ['content-type', 'content-length', 'cache-control', 'etag', 'x-content-type-options', 'cross-origin-resource-policy'];

/**
 * Photos on the public origin, forwarded to the catalogue that owns them:
 * - `PUT /photos/uploads/<token>`: an upload URL from startPhotoUpload. The token in the path is
 *   the whole credential (signed, single use, 15 minutes), so the router authenticates nobody
 *   here; it counts the request against the address's rate limit and streams the bytes on.
 * - `GET|HEAD /photos/p/…`: processed photos from the local-disk store. With S3 the photo URLs
 *   point at the bucket (or a CDN) and never reach the router.
 */
export function forwardPhotos(
  app: FastifyInstance,
  catalogueGraphqlUrl: string,
  rateLimits: RateLimits,
  clientIp: (request: IncomingMessage) => string,
  logger: Logger,
): void {
  const catalogue = new URL('/', catalogueGraphqlUrl);

  app.register(async (scope) => {
    // The body is streamed to the catalogue as it arrives, never parsed or buffered here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { bodyLimit: MAX_UPLOAD_BYTES }, (_request, payload, done) => done(null, payload));

    // A wildcard, not a :param: a signed token is longer than Fastify's 100-character parameters.
    scope.put<{ Params: { '*': string } }>(`${PHOTO_UPLOAD_PATH}*`, async (request, reply) => {
      const decision = await rateLimits.consumeIp(clientIp(request.raw));
      if (!decision.allowed) return sendRateLimited(reply, decision.retryAfterSeconds);
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > MAX_UPLOAD_BYTES) {
        return reply.code(413).send({
          error: { code: 'TOO_LARGE', message: 'Foto lebih besar dari 15 MB; kirim ukuran yang lebih kecil. / The photo is larger than 15 MB; send a smaller size.' },
        });
      }
      try {
        const answer = await forward(new URL(`/photos/uploads/${encodeURIComponent(request.params['*'])}`, catalogue), {
          method: 'PUT',
          headers: {
            'content-type': request.headers['content-type'] ?? 'application/octet-stream',
            ...(request.headers['content-length'] ? { 'content-length': request.headers['content-length'] } : {}),
          },
          body: request.body as Readable,
          headersTimeout: 60_000,
          bodyTimeout: 60_000,
        });
        reply.code(answer.statusCode).type(String(answer.headers['content-type'] ?? 'application/json'));
        return reply.send(await answer.body.text());
      } catch (error) {
        logger.warn({ err: error }, 'photo upload could not reach the catalogue');
        return reply.code(503).send({ error: { code: 'SERVICE_UNAVAILABLE', message: 'Layanan foto sedang tidak tersedia; coba lagi sebentar lagi. / The photo service is unavailable; try again shortly.' } });
      }
    });

    scope.route<{ Params: { '*': string } }>({
      method: ['GET', 'HEAD'],
      url: '/photos/p/*',
      handler: async (request, reply) => {
        try {
          const answer = await forward(new URL(`/photos/p/${request.params['*']}`, catalogue), {
            method: request.method as 'GET' | 'HEAD',
            headers: request.headers['if-none-match'] ? { 'if-none-match': request.headers['if-none-match'] } : {},
          });
          reply.code(answer.statusCode);
          for (const name of PASSED_BACK) {
            const value = answer.headers[name];
            if (value !== undefined) reply.header(name, value);
          }
          return reply.send(Buffer.from(await answer.body.arrayBuffer()));
        } catch (error) {
          logger.warn({ err: error }, 'photo could not be fetched from the catalogue');
          return reply.code(503).header('cache-control', 'no-store').send({ error: { code: 'SERVICE_UNAVAILABLE', message: 'Photo service unavailable' } });
        }
      },
    });
  });
}
