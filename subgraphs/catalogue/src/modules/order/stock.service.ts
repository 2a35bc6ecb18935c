import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@opop/server-kit';
import { LISTED_STATUSES } from '../product/product.entity.ts';
import { updateProductRow } from '../search/outbox.ts';

export interface StockLine {
  productId: string;
  quantity: number;
}

/**
 * The only code that moves stock for orders: reserved when a cart is ordered, returned when an
 * order is cancelled. It lives with orders because only they hold stock; an operator setting a
 * product's stock is an edit of the product, through the product service. Both directions take
 * product rows in id order, so a reservation and a cancellation sharing products cannot
 * deadlock, and both record the search-outbox event with each row they change.
 */
export class StockService {
  readonly #tx: EntityManager;

  /** `tx` is the transaction of the order write the stock belongs to. */
  constructor(tx: EntityManager) {
    this.#tx = tx;
  }

  /**
   * Takes each line's quantity off its product's stock, only if enough remains and the product is
   * on sale (a conditional UPDATE, which on PostgreSQL waits for any concurrent buyer of the row
   * and re-checks against what they left), so the last item cannot be sold twice. Answers the
   * products that fell short; the caller rolls the transaction back if there are any.
   */
  async reserve(lines: readonly StockLine[], now = new Date()): Promise<string[]> {
    const short: string[] = [];
    for (const line of byProductId(lines)) {
      const reserved = await updateProductRow(
        this.#tx,
        line.productId,
        { stock: { $gte: line.quantity }, curationStatus: { $in: [...LISTED_STATUSES] } },
        { stock: raw('stock - ?', [line.quantity]), updatedAt: now },
      );
      if (!reserved) short.push(line.productId);
    }
    return short;
  }

  /** Puts the lines' quantities back, whatever the products' status now. */
  async release(lines: readonly StockLine[], now = new Date()): Promise<void> {
    for (const line of byProductId(lines)) {
      await updateProductRow(this.#tx, line.productId, {}, { stock: raw('stock + ?', [line.quantity]), updatedAt: now });
    }
  }
}

const byProductId = (lines: readonly StockLine[]) => [...lines].sort((a, b) => (a.productId < b.productId ? -1 : 1));
