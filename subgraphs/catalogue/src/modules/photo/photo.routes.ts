import type { FastifyInstance } from 'fastify';
import { contentTypeOf } from './disk-store.ts';
import { UploadRefusedError, type PhotoPipeline } from './photo.pipeline.ts';
import { MAX_UPLOAD_BYTES, rejections } from './processing.ts';

/** Served variants never change (their key is their content), so caches may keep them for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
const VARIANT_PATH = /^[0-9a-f]{32}\/\d{1,4}\.(?:avif|webp|jpg)$/;

/**
 * The HTTP side of photos, beside /graphql:
 * - `PUT /photos/uploads/<token>`: the bytes of one photo, to a URL from startPhotoUpload;
 * - `GET /photos/p/<content>/<width>.<format>`: a processed photo, from whichever store holds it.
 * The router forwards both from its public origin.
 */
export async function photoRoutes(app: FastifyInstance, pipeline: PhotoPipeline): Promise<void> {
  await app.register(async (scope) => {
    // Only here: photos arrive as raw bytes of any type; their real type is read from the content.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((error: { code?: string; statusCode?: number }, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.code(413).send({ error: { code: 'TOO_LARGE', message: rejections.tooLarge().message } });
      }
      request.log.error({ err: error }, 'photo upload failed');
      return reply.code(error.statusCode && error.statusCode < 500 ? error.statusCode : 500).send({
        error: { code: 'UPLOAD_FAILED', message: 'Unggahan gagal; coba lagi. / The upload failed; try again.' },
      });
    });

    scope.put<{ Params: { '*': string } }>('/photos/uploads/*', async (request, reply) => {
      const body = request.body;
      const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
      try {
        const photo = await pipeline.receiveUpload(request.params['*'], bytes);
        return reply.code(202).send({ photo: { id: photo.id, status: photo.status } });
      } catch (error) {
        if (error instanceof UploadRefusedError) return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
        throw error;
      }
    });

    scope.get<{ Params: { '*': string } }>('/photos/p/*', async (request, reply) => {
      const path = request.params['*'];
      if (!VARIANT_PATH.test(path)) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such photo' } });
      const key = `p/${path}`;
      const etag = `"${path.replace('/', '-')}"`;
      if (request.headers['if-none-match'] === etag) return reply.code(304).header('cache-control', IMMUTABLE).header('etag', etag).send();
      const object = await pipeline.store.get(key);
      if (!object) return reply.code(404).header('cache-control', 'no-store').send({ error: { code: 'NOT_FOUND', message: 'No such photo' } });
      return reply
        .header('content-type', contentTypeOf(key))
        .header('cache-control', IMMUTABLE)
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff')
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(Buffer.from(object.bytes));
    });
  });
}
