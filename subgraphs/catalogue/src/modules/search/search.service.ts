import { raw } from '@mikro-orm/core';
import { counterKeys, isUuid, MAX_VISITORS_PER_NETWORK, type EntityManager, type Visitor } from '@opop/server-kit';
import { isListed, Product } from '../product/product.entity.ts';
import type { SearchIndexer } from './indexer.ts';
import { updateProductRow } from './outbox.ts';
import { ProductView } from './product-view.entity.ts';

/** Writes of the search module: the views that feed popularity ranking. */
export class SearchService {
  readonly #em: EntityManager;
  readonly #search: SearchIndexer;

  constructor(em: EntityManager, search: SearchIndexer) {
    this.#em = em;
    this.#search = search;
  }

  /**
   * Counts a visitor's view of a listed product once a day, and at most MAX_VISITORS_PER_NETWORK
   * visitors per network; answers whether it counted. Unknown or unlisted products count nothing.
   */
  async recordProductView(visitor: Visitor, rawProductId: string): Promise<boolean> {
    if (!isUuid(rawProductId)) return false;
    const productId = rawProductId.toLowerCase();
    const product = await this.#em.findOne(Product, { id: productId }, { fields: ['id', 'curationStatus'] });
    if (!product || !isListed(product)) return false;
    const keys = counterKeys(`product:${productId}`, visitor, new Date().toISOString().slice(0, 10));
    const counted = await this.#em.transactional(async (tx) => {
      if ((await tx.count(ProductView, { networkKey: keys.networkKey })) >= MAX_VISITORS_PER_NETWORK) return false;
      const inserted = await tx.createQueryBuilder(ProductView).insert({ ...keys, productId, at: new Date() }).onConflict('dedupeKey').ignore().execute('run');
      if (!inserted.affectedRows) return false;
      await updateProductRow(tx, productId, {}, { viewCount: raw('view_count + 1') });
      await tx.flush();
      return true;
    });
    if (counted) this.#search.notify();
    return counted;
  }
}
