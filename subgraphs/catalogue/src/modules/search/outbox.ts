import type { EntityData, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@opop/server-kit';
import { Product } from '../product/product.entity.ts';
import { SearchOutboxEvent } from './outbox.entity.ts';

/**
 * Every write to a product row that does not go through the unit of work (stock reserved or
 * returned, a view counted) goes through here. A native UPDATE is what makes those writes safe
 * under concurrency, but the flush hook (`SearchOutboxSubscriber`) never sees it; recording the
 * outbox event next to the UPDATE, in the caller's transaction, means no such path can forget the
 * index. Answers whether the row matched `where` (and so was changed).
 */
export async function updateProductRow(tx: EntityManager, productId: string, where: FilterQuery<Product>, set: EntityData<Product>): Promise<boolean> {
  const changed = await tx.nativeUpdate(Product, { $and: [{ id: productId }, where] }, set);
  if (changed === 0) return false;
  tx.create(SearchOutboxEvent, { productId, sellerId: null });
  return true;
}
