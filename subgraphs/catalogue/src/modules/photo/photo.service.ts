import { actorOf, badUserInput, parseInput, type EntityManager, type Identity, type Logger } from '@opop/server-kit';
import { managedProduct } from '../product/product.service.ts';
import type { Product } from '../product/product.entity.ts';
import type { ProductRepository } from '../product/product.repository.ts';
import { Photo, RemovedVariant } from './photo.entity.ts';
import { photoArrangementInput, startPhotoUploadInput } from './photo.input.ts';
import { publishPhotos, UPLOAD_URL_TTL_MS, type PhotoPipeline } from './photo.pipeline.ts';
import { MAX_UPLOAD_BYTES } from './processing.ts';

/** Photos a product may have at once (besides failed ones). */
export const MAX_PHOTOS_PER_PRODUCT = 8;
/** Photos listed to the product's managers, failed ones included (the schema's @listSize). */
export const MAX_LISTED_PHOTOS = 16;

export interface PhotoUploadGrant {
  photo: Photo;
  uploadUrl: string;
  expiresAt: Date;
  maxBytes: number;
}

export interface PhotoServiceDeps {
  em: EntityManager;
  identity: Identity;
  logger: Logger;
  products: ProductRepository;
  pipeline: PhotoPipeline;
}

/** Photo writes of one request, acting as its caller (the product's operator or an admin). */
export class PhotoService {
  readonly #deps: PhotoServiceDeps;

  constructor(deps: PhotoServiceDeps) {
    this.#deps = deps;
  }

  /** A new photo slot at the end of the product's photos, and the URL its bytes go to. */
  async startUpload(input: unknown): Promise<PhotoUploadGrant> {
    const { em, identity, logger, products, pipeline } = this.#deps;
    const data = parseInput(startPhotoUploadInput, input, 'input');
    const product = await managedProduct(products, identity, data.productId);
    const now = new Date();
    const current = (await em.find(Photo, { product: product.id })).filter((photo) => photo.status !== 'AWAITING_UPLOAD' || photo.uploadExpiresAt > now);
    if (current.filter((photo) => photo.status !== 'FAILED').length >= MAX_PHOTOS_PER_PRODUCT) {
      throw badUserInput(`A product has at most ${MAX_PHOTOS_PER_PRODUCT} photos; remove one first`, 'input.productId');
    }
    if (current.length >= MAX_LISTED_PHOTOS) throw badUserInput('Remove the failed photos of this product first', 'input.productId');
    const expiresAt = new Date(now.getTime() + UPLOAD_URL_TTL_MS);
    const photo = em.create(Photo, {
      product,
      position: Math.max(-1, ...current.map((photo) => photo.position)) + 1,
      altIndonesian: data.altIndonesian,
      altEnglish: data.altEnglish ?? null,
      status: 'AWAITING_UPLOAD',
      declaredBytes: data.byteSize,
      uploadedBy: actorOf(identity),
      uploadExpiresAt: expiresAt,
    });
    await em.flush();
    logger.info({ photoId: photo.id, productId: product.id, by: identity.subject }, 'photo upload started');
    return { photo, uploadUrl: await pipeline.uploadUrl(photo.id, expiresAt), expiresAt, maxBytes: MAX_UPLOAD_BYTES };
  }

  /**
   * Orders the product's photos as listed, with the listed descriptions; photos left out are
   * removed (their files stay while another photo uses the same content). One transaction.
   */
  async arrange(productId: string, arrangement: unknown): Promise<Product> {
    const { em, identity, products } = this.#deps;
    const wanted = parseInput(photoArrangementInput, arrangement, 'photos');
    const product = await managedProduct(products, identity, productId);
    const removedOriginals: string[] = [];
    await em.transactional(async (tx) => {
      const photos = await tx.find(Photo, { product: product.id });
      const byId = new Map(photos.map((photo) => [photo.id, photo]));
      wanted.forEach((entry, index) => {
        const photo = byId.get(entry.id.toLowerCase());
        if (!photo || photo.status === 'AWAITING_UPLOAD') throw badUserInput('is not a photo of this product', `photos.${index}.id`);
        photo.position = index;
        photo.altIndonesian = entry.altIndonesian;
        photo.altEnglish = entry.altEnglish ?? null;
      });
      const kept = new Set(wanted.map((entry) => entry.id.toLowerCase()));
      for (const photo of photos) {
        if (kept.has(photo.id) || photo.status === 'AWAITING_UPLOAD') continue;
        if (photo.originalKey) removedOriginals.push(photo.originalKey);
        // Its served files go later, when nothing else shows the same content (PhotoPipeline.sweep).
        for (const variant of photo.variants) if (photo.contentHash) await tx.upsert(RemovedVariant, { key: variant.key, contentHash: photo.contentHash, removedAt: new Date() });
        tx.remove(photo);
      }
      await tx.flush();
      await publishPhotos(tx, product, actorOf(identity));
    });
    for (const key of removedOriginals) await this.#deps.pipeline.store.delete(key);
    return product;
  }
}
