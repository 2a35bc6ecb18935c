import type { FilterQuery } from '@mikro-orm/core';
import { pageCursor, toConnection, type Connection, type EntityManager } from '@opop/server-kit';
import { OrderCheckout, OrderLine, OrderRequest, type OrderStatus } from './order.entity.ts';

export interface OrderPageOptions {
  first: number;
  after: string | null | undefined;
  includeCount: boolean;
}

/** Whose orders a listing shows: one pesantren's sellers' (an operator), or everyone's (null, an admin). */
export interface OrderScope {
  pesantrenId: string | null;
  status: OrderStatus | null;
}

const SCOPE = 'order.NEWEST';

export class OrderRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  findOne(id: string): Promise<OrderRequest | null> {
    return this.#em.findOne(OrderRequest, { id }, { populate: ['seller'] });
  }

  /** The order a status link opens; tokens are issued 43 characters long, anything else finds nothing. */
  findByStatusToken(token: string): Promise<OrderRequest | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return Promise.resolve(null);
    return this.#em.findOne(OrderRequest, { statusToken: token }, { populate: ['seller'] });
  }

  findCheckout(idempotencyKey: string): Promise<OrderCheckout | null> {
    return this.#em.findOne(OrderCheckout, { idempotencyKey });
  }

  /** A checkout's orders, in the order their sellers first appear in the cart. */
  ordersOf(idempotencyKey: string): Promise<OrderRequest[]> {
    return this.#em.find(OrderRequest, { checkout: idempotencyKey }, { populate: ['seller'], orderBy: { position: 'asc' } });
  }

  linesOf(orderIds: readonly string[]): Promise<OrderLine[]> {
    return this.#em.find(OrderLine, { order: { $in: [...orderIds] } }, { orderBy: { position: 'asc' } });
  }

  /** Newest first, sellers joined in the same query. */
  async page(scope: OrderScope, options: OrderPageOptions): Promise<Connection<OrderRequest>> {
    const where: Record<string, unknown> = {};
    if (scope.status) where['status'] = scope.status;
    if (scope.pesantrenId) where['seller'] = { pesantrenId: scope.pesantrenId };
    const after = pageCursor(options.after, SCOPE);
    const cursor = await this.#em.findByCursor(OrderRequest, {
      where: where as FilterQuery<OrderRequest>,
      populate: ['seller'],
      first: options.first,
      ...(after ? { after } : {}),
      orderBy: { createdAt: 'desc', id: 'desc' },
      includeCount: options.includeCount,
    });
    return toConnection(cursor, SCOPE);
  }
}
