import { actorOf, conflict, parseInput, type EntityManager, type Identity, type Logger } from '@opop/server-kit';
import type { CategoryDirectory } from '../category/category.directory.ts';
import type { Product } from '../product/product.entity.ts';
import { curationNote } from '../product/product.input.ts';
import type { ProductRepository } from '../product/product.repository.ts';
import { managedProduct } from '../product/product.service.ts';
import { applyCuration, missingForFeaturing, type CurationAction } from './curation.ts';

export interface CurationServiceDeps {
  em: EntityManager;
  identity: Identity;
  logger: Logger;
  categories: CategoryDirectory;
  products: ProductRepository;
  /** When a step is taken. */
  now: () => Date;
}

/**
 * The curation workflow's steps, as the caller: one instance per request. Who may take which step
 * is declared in the SDL; this checks the product is of the caller's pesantren and that the step
 * is allowed from its status. Each step is one flush: status, history entry and outbox event together.
 */
export class CurationService {
  readonly #deps: CurationServiceDeps;

  constructor(deps: CurationServiceDeps) {
    this.#deps = deps;
  }

  submit(productId: string, note: string | null | undefined): Promise<Product> {
    return this.#curate(productId, 'submit', note == null ? null : parseInput(curationNote, note, 'note'));
  }

  startReview(productId: string): Promise<Product> {
    return this.#curate(productId, 'startReview', null);
  }

  feature(productId: string, note: string | null | undefined): Promise<Product> {
    return this.#curate(productId, 'feature', note == null ? null : parseInput(curationNote, note, 'note'));
  }

  requestRevision(productId: string, reason: string): Promise<Product> {
    return this.#curate(productId, 'requestRevision', parseInput(curationNote, reason, 'reason'));
  }

  async #curate(rawId: string, action: CurationAction, note: string | null): Promise<Product> {
    const { em, identity, logger, categories, products, now } = this.#deps;
    const product = await managedProduct(products, identity, rawId);
    if (action === 'feature') {
      const missing = missingForFeaturing(product, categories.get(product.category.id)!);
      if (missing.length > 0) {
        throw conflict(`Cannot feature this product yet: its category requires ${missing.join(', ')}`, undefined, { missing });
      }
    }
    applyCuration(em, product, action, actorOf(identity), note, now());
    await em.flush();
    logger.info({ productId: product.id, action, status: product.curationStatus, by: identity.subject }, 'product curation');
    return product;
  }
}
