import type { EventSubscriber, FlushEventArgs } from '@mikro-orm/core';
import { Product } from '../product/product.entity.ts';
import { Seller } from '../seller/seller.entity.ts';
import { SearchOutboxEvent } from './outbox.entity.ts';

/**
 * Writes an outbox event for every product (or seller) a flush creates, changes or deletes,
 * inside that flush's transaction. Hooking the flush, rather than each mutation, means no code
 * path that changes a product through the unit of work can forget the index. Native UPDATEs,
 * which this hook never sees, go through `updateProductRow` (outbox.ts) instead.
 */
export class SearchOutboxSubscriber implements EventSubscriber {
  readonly #onCommitted: () => void;

  /** `onCommitted` wakes the indexer after a flush that wrote events. */
  constructor(onCommitted: () => void = () => {}) {
    this.#onCommitted = onCommitted;
  }

  onFlush({ em, uow }: FlushEventArgs): void {
    const products = new Set<string>();
    const sellers = new Set<string>();
    for (const changeSet of uow.getChangeSets()) {
      if (changeSet.entity instanceof Product) products.add(changeSet.entity.id);
      else if (changeSet.entity instanceof Seller && changeSet.type !== 'create') sellers.add(changeSet.entity.id);
    }
    for (const productId of products) uow.computeChangeSet(em.create(SearchOutboxEvent, { productId, sellerId: null }));
    for (const sellerId of sellers) uow.computeChangeSet(em.create(SearchOutboxEvent, { productId: null, sellerId }));
  }

  afterFlush({ uow }: FlushEventArgs): void {
    if (uow.getChangeSets().some((changeSet) => changeSet.entity instanceof SearchOutboxEvent)) this.#onCommitted();
  }
}
