import { randomUUID } from 'node:crypto';
import { lockForTransaction, type Database, type EntityManager, type Logger } from '@opop/server-kit';
import { applyCuration } from '../curation/curation.ts';
import { Product, type StoredImage } from '../product/product.entity.ts';
import { Photo, RemovedVariant } from './photo.entity.ts';
import { PHOTO_ATTEMPTS, type PhotoQueue } from './photo.queue.ts';
import { ORIGINALS_PREFIX, type PhotoStore } from './photo-store.ts';
import { contentHashOf, inspectPhoto, MAX_UPLOAD_BYTES, PhotoRejectedError, processPhoto, type PhotoRejection } from './processing.ts';
import type { UploadTokens } from './upload-token.ts';

/** Actors of the platform's own imports (demo data): their photos do not reopen curation. */
export const PLATFORM_ACTOR_PREFIX = 'platform:';

/** How long an upload URL works. */
export const UPLOAD_URL_TTL_MS = 15 * 60_000;
/** Failed photos stay visible (with their reason) this long, then go. */
const FAILED_KEPT_MS = 7 * 24 * 3600_000;
/** How long a removed photo's served files stay (pages naming them are republished within minutes). */
const REMOVED_FILES_GRACE_MS = 3600_000;

export type UploadRefusal = PhotoRejection | 'UPLOAD_URL_INVALID' | 'UPLOAD_URL_USED' | 'LARGER_THAN_DECLARED';

/** An upload the catalogue will not take, with the HTTP status and a message for the sender. */
export class UploadRefusedError extends Error {
  readonly status: number;
  readonly code: UploadRefusal;
  constructor(status: number, code: UploadRefusal, message: string) {
    super(message);
    this.name = 'UploadRefusedError';
    this.status = status;
    this.code = code;
  }
}

const REJECTION_STATUS: Record<PhotoRejection, number> = {
  EMPTY: 400,
  TOO_LARGE: 413,
  UNSUPPORTED_TYPE: 415,
  TOO_MANY_PIXELS: 422,
  TOO_SMALL: 422,
  DAMAGED: 422,
};

export interface PhotoPipelineOptions {
  database: Database;
  store: PhotoStore;
  queue: PhotoQueue;
  tokens: UploadTokens;
  logger: Logger;
  /** The router's public origin, where upload URLs point. */
  publicApiUrl: string;
}

/**
 * A photo's way from upload to product page. Lives as long as the service: the upload route,
 * the processing job and the sweep call it; GraphQL writes go through PhotoService.
 */
export class PhotoPipeline {
  readonly store: PhotoStore;
  readonly #options: PhotoPipelineOptions;

  constructor(options: PhotoPipelineOptions) {
    this.#options = options;
    this.store = options.store;
  }

  async uploadUrl(photoId: string, expiresAt: Date): Promise<string> {
    const token = await this.#options.tokens.sign(photoId, expiresAt);
    return `${this.#options.publicApiUrl.replace(/\/+$/, '')}/photos/uploads/${token}`;
  }

  /**
   * Takes the bytes sent to an upload URL: checks them, keeps the original and queues its
   * processing in one transaction. A refused upload leaves nothing behind, not even its photo.
   */
  async receiveUpload(token: string, bytes: Uint8Array): Promise<Photo> {
    const { database, store, queue, tokens, logger } = this.#options;
    const photoId = await tokens.verify(token);
    if (!photoId) throw new UploadRefusedError(403, 'UPLOAD_URL_INVALID', 'Tautan unggah tidak sah atau sudah kedaluwarsa; minta tautan baru. / The upload link is invalid or has expired; ask for a new one.');
    const em = database.fork();
    const photo = await em.findOne(Photo, { id: photoId });
    if (!photo || photo.status !== 'AWAITING_UPLOAD') {
      throw new UploadRefusedError(409, 'UPLOAD_URL_USED', 'Tautan unggah ini sudah dipakai; minta tautan baru untuk foto lain. / This upload link has been used; ask for a new one for another photo.');
    }
    if (bytes.byteLength > Math.min(photo.declaredBytes, MAX_UPLOAD_BYTES)) {
      throw new UploadRefusedError(413, 'LARGER_THAN_DECLARED', `Berkas lebih besar dari ukuran yang diumumkan (${photo.declaredBytes} byte). / The file is larger than the size announced (${photo.declaredBytes} bytes).`);
    }
    try {
      await inspectPhoto(bytes);
    } catch (error) {
      if (!(error instanceof PhotoRejectedError)) throw error;
      await em.nativeDelete(Photo, { id: photo.id, status: 'AWAITING_UPLOAD' });
      logger.info({ photoId, reason: error.reason }, 'photo upload refused');
      throw new UploadRefusedError(REJECTION_STATUS[error.reason], error.reason, error.message);
    }
    // Unique per upload: two requests racing on one URL never share (or delete) each other's file.
    const originalKey = `${ORIGINALS_PREFIX}${photo.id}-${randomUUID().slice(0, 8)}`;
    await store.put(originalKey, bytes, 'application/octet-stream');
    try {
      const accepted = await em.transactional(async (tx) => {
        const claimed = await tx.nativeUpdate(Photo, { id: photo.id, status: 'AWAITING_UPLOAD' }, { status: 'QUEUED', originalKey, progress: 0 });
        if (claimed === 0) return false;
        await queue.enqueueProcessing(tx, photo.id);
        return true;
      });
      if (!accepted) {
        await store.delete(originalKey);
        throw new UploadRefusedError(409, 'UPLOAD_URL_USED', 'Tautan unggah ini sudah dipakai. / This upload link has been used.');
      }
    } catch (error) {
      if (!(error instanceof UploadRefusedError)) await store.delete(originalKey);
      throw error;
    }
    logger.info({ photoId, bytes: bytes.byteLength }, 'photo uploaded, queued for processing');
    return (await database.fork().findOneOrFail(Photo, { id: photo.id }));
  }

  /**
   * Adds a photo to a product and processes it now, without an upload URL or the queue: for
   * demo data and imports run by the platform itself. The same checks and processing as an
   * upload; a refused photo throws PhotoRejectedError and leaves nothing behind.
   */
  async importPhoto(productId: string, bytes: Uint8Array, alt: { indonesian: string; english: string | null }, actor: string): Promise<Photo> {
    const { database, store } = this.#options;
    await inspectPhoto(bytes);
    const em = database.fork();
    const product = await em.findOneOrFail(Product, { id: productId });
    const position = await em.count(Photo, { product: productId });
    const originalKey = `${ORIGINALS_PREFIX}import-${randomUUID()}`;
    await store.put(originalKey, bytes, 'application/octet-stream');
    const photo = em.create(Photo, {
      product,
      position,
      altIndonesian: alt.indonesian,
      altEnglish: alt.english,
      status: 'QUEUED',
      declaredBytes: bytes.byteLength,
      originalKey,
      uploadedBy: actor,
      uploadExpiresAt: new Date(),
    });
    await em.flush();
    await this.process(photo.id, PHOTO_ATTEMPTS);
    return database.fork().findOneOrFail(Photo, { id: photo.id });
  }

  /**
   * The processing job. Idempotent: a photo already READY (or gone) is left alone. The same
   * photo processed before (same content) reuses the stored variants instead of encoding again.
   * A photo that can never be processed is FAILED at once; other errors are retried.
   */
  async process(photoId: string, attempt: number): Promise<void> {
    const { database, store, logger } = this.#options;
    const em = database.fork();
    const photo = await em.findOne(Photo, { id: photoId });
    if (!photo || (photo.status !== 'QUEUED' && photo.status !== 'PROCESSING')) return;
    const started = performance.now();
    try {
      const original = photo.originalKey ? await store.get(photo.originalKey) : null;
      if (!original) throw new PhotoRejectedError('DAMAGED', 'Berkas asli foto hilang; unggah ulang. / The original file is missing; upload it again.');
      await em.nativeUpdate(Photo, { id: photo.id }, { status: 'PROCESSING', progress: 5 });
      // The content is claimed before any file of it is written or reused: the sweep, holding the
      // same lock, either finished deleting a removed photo's files first or sees this claim.
      const claimed = contentHashOf(original.bytes);
      await this.#withContentLock(claimed, (tx) => tx.nativeUpdate(Photo, { id: photo.id }, { contentHash: claimed }));
      const reused = await this.#processedBefore(em, photo.id, original.bytes);
      let processed = reused;
      if (!processed) {
        let reported = 0;
        const result = await processPhoto(original.bytes, async (percent) => {
          if (percent - reported < 15 && percent < 100) return;
          reported = percent;
          await database.fork().nativeUpdate(Photo, { id: photo.id, status: 'PROCESSING' }, { progress: Math.min(percent, 95) });
        });
        for (const variant of result.variants) {
          if (!(await store.has(variant.key))) await store.put(variant.key, variant.bytes, `image/${variant.format}`);
        }
        processed = {
          contentHash: result.contentHash,
          width: result.width,
          height: result.height,
          color: result.color,
          placeholder: result.placeholder,
          variants: result.variants.map(({ format, width, height, key }) => ({ format, width, height, key })),
        };
      }
      const ready = processed;
      // A fresh unit of work: the one above still holds the photo as it was before the native updates.
      await database.fork().transactional(async (tx) => {
        const current = await tx.findOne(Photo, { id: photo.id }, { populate: ['product'] });
        // Removed while it was processed: the variants stay (others may share them), the photo does not come back.
        if (!current || current.status !== 'PROCESSING') return;
        Object.assign(current, { ...ready, status: 'READY', progress: 100, processedAt: new Date(), originalKey: null });
        await publishPhotos(tx, current.product, current.uploadedBy);
      });
      await store.delete(photo.originalKey!);
      logger.info({ photoId, ms: Math.round(performance.now() - started), reused: Boolean(reused) }, 'photo processed');
    } catch (error) {
      const permanent = error instanceof PhotoRejectedError;
      if (!permanent && attempt < PHOTO_ATTEMPTS) {
        await database.fork().nativeUpdate(Photo, { id: photo.id, status: 'PROCESSING' }, { status: 'QUEUED', progress: 0 });
        logger.warn({ err: error, photoId, attempt }, 'photo processing failed; it will be retried');
        throw error;
      }
      const failure = permanent
        ? error.message
        : 'Foto tidak dapat diproses; hapus dan coba unggah lagi. / The photo could not be processed; remove it and try uploading again.';
      await database.fork().nativeUpdate(Photo, { id: photo.id }, { status: 'FAILED', failure, progress: 0, originalKey: null });
      if (photo.originalKey) await store.delete(photo.originalKey).catch(() => {});
      logger.warn({ err: permanent ? undefined : error, photoId, attempt, reason: permanent ? error.reason : 'error' }, 'photo processing failed for good');
    }
  }

  /** The variants of an earlier photo with the same content, when all of them are still stored. */
  async #processedBefore(em: EntityManager, photoId: string, bytes: Uint8Array) {
    const contentHash = contentHashOf(bytes);
    const earlier = await em.findOne(Photo, { contentHash, status: 'READY', id: { $ne: photoId } }, { orderBy: { processedAt: 'asc' } });
    if (!earlier) return null;
    for (const variant of earlier.variants) if (!(await this.store.has(variant.key))) return null;
    const { width, height, color, placeholder, variants } = earlier;
    return { contentHash, width, height, color, placeholder, variants };
  }

  /**
   * Forgets upload URLs nobody used and failed photos older than a week, and deletes the served
   * files of photos removed over an hour ago whose content no photo shows any more.
   */
  async sweep(now = new Date()): Promise<{ expired: number; failed: number; filesDeleted: number }> {
    const em = this.#options.database.fork();
    const expired = await em.nativeDelete(Photo, { status: 'AWAITING_UPLOAD', uploadExpiresAt: { $lt: now } });
    const failed = await em.nativeDelete(Photo, { status: 'FAILED', createdAt: { $lt: new Date(now.getTime() - FAILED_KEPT_MS) } });
    const filesDeleted = await this.#deleteRemovedVariants(now);
    if (expired + failed + filesDeleted > 0) this.#options.logger.info({ expired, failed, filesDeleted }, 'photo sweep');
    return { expired, failed, filesDeleted };
  }

  /**
   * The files of removed photos, once the grace period is over: pages and caches that still named
   * them have been published again, and a photo processed meanwhile from the same content (which
   * reuses the files) has its row. Under a lock per content, shared with processing (see process).
   */
  async #deleteRemovedVariants(now: Date): Promise<number> {
    const due = await this.#options.database.fork().find(RemovedVariant, { removedAt: { $lt: new Date(now.getTime() - REMOVED_FILES_GRACE_MS) } }, { limit: 500, orderBy: { removedAt: 'asc' } });
    let deleted = 0;
    for (const [contentHash, rows] of Map.groupBy(due, (row) => row.contentHash)) {
      deleted += await this.#withContentLock(contentHash, async (tx) => {
        const users = await tx.find(Photo, { contentHash, status: { $ne: 'FAILED' } }, { fields: ['status'] });
        const keys = rows.map((row) => row.key);
        // Shown again by a READY photo: its own removal will record the files again.
        if (users.some((photo) => photo.status === 'READY')) {
          await tx.nativeDelete(RemovedVariant, { key: { $in: keys } });
          return 0;
        }
        // Being processed from the same content: looked at again after another grace period.
        if (users.length > 0) {
          await tx.nativeUpdate(RemovedVariant, { key: { $in: keys } }, { removedAt: now });
          return 0;
        }
        for (const key of keys) await this.store.delete(key);
        // Forgotten only once the files are gone: a failed delete rolls back and is tried at the next sweep.
        await tx.nativeDelete(RemovedVariant, { key: { $in: keys } });
        return keys.length;
      });
    }
    return deleted;
  }

  /** Runs `work` in a transaction holding the lock of one photo content (its hash). */
  #withContentLock<T>(contentHash: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.#options.database.fork().transactional(async (tx) => {
      await lockForTransaction(tx, `opop-photo-content:${contentHash}`);
      return work(tx);
    });
  }
}

/**
 * Copies a product's READY photos, in order, to what shoppers see (`product.images`), in the
 * caller's transaction; the search outbox hears of it with the product. Changed photos of a
 * FEATURED product send it back to curation (its photos are part of what was approved), unless
 * the platform itself added them (PLATFORM_ACTOR_PREFIX).
 */
export async function publishPhotos(em: EntityManager, product: Product, actor: string): Promise<void> {
  // The photos as the caller left them: its changes are written (in its transaction) before they are read.
  await em.flush();
  const photos = await em.find(Photo, { product: product.id, status: 'READY' }, { orderBy: { position: 'asc', createdAt: 'asc' } });
  const images: StoredImage[] = photos.map((photo) => ({
    photoId: photo.id,
    alt: { indonesian: photo.altIndonesian, english: photo.altEnglish ?? null },
    width: photo.width!,
    height: photo.height!,
    color: photo.color!,
    placeholder: photo.placeholder!,
    variants: photo.variants,
  }));
  if (JSON.stringify(images) === JSON.stringify(product.images)) return;
  product.images = images;
  if (product.curationStatus === 'FEATURED' && !actor.startsWith(PLATFORM_ACTOR_PREFIX)) applyCuration(em, product, 'reopen', actor, 'Foto produk berubah setelah kurasi / Photos changed after curation');
  await em.flush();
}
