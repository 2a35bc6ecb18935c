import { conflict, notFound, parseId, parseInput, requirePesantrenManager, type EntityManager, type Identity, type Logger } from '@opop/server-kit';
import type { SearchIndexer } from '../search/indexer.ts';
import { placeOrder, type Checkout } from './checkout.ts';
import type { OrderPolicy } from './order-policy.ts';
import { OrderLine, OrderRequest, type OrderStatus } from './order.entity.ts';
import { cancelReason, orderRequestInput } from './order.input.ts';
import type { OrderRepository } from './order.repository.ts';
import { StockService } from './stock.service.ts';

/** Which status each decision may start from, and where it leads. */
const ORDER_ACTIONS = {
  confirm: { from: ['REQUESTED'], to: 'CONFIRMED', verb: 'confirm' },
  cancel: { from: ['REQUESTED', 'CONFIRMED'], to: 'CANCELLED', verb: 'cancel' },
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus; verb: string }>;
type OrderAction = keyof typeof ORDER_ACTIONS;

export interface OrderServiceDeps {
  em: EntityManager;
  identity: Identity;
  logger: Logger;
  orders: OrderRepository;
  search: SearchIndexer;
  policy: OrderPolicy;
  /** The router's hash of the caller's network, for the per-network limit; null without the router. */
  network: string | null;
  now: () => Date;
}

/** Writes of order requests: one instance per request, acting as its caller. */
export class OrderService {
  readonly #deps: OrderServiceDeps;

  constructor(deps: OrderServiceDeps) {
    this.#deps = deps;
  }

  /** A shopper's cart, sent as order requests (see `placeOrder`). */
  async request(input: unknown): Promise<Checkout> {
    const { em, logger, search, policy, network, now } = this.#deps;
    const checkout = await placeOrder(em, parseInput(orderRequestInput, input, 'input'), { policy, network, now: now() });
    search.notify();
    // Order ids and numbers only: buyer details are personal data and stay out of the logs.
    logger.info({ idempotencyKey: checkout.idempotencyKey, orders: checkout.orders.map((order) => order.number) }, 'order requested');
    return checkout;
  }

  confirm(rawId: string): Promise<OrderRequest> {
    return this.#decide(rawId, 'confirm', null);
  }

  /** Cancels the order and returns its stock. */
  cancel(rawId: string, rawReason: string | null | undefined): Promise<OrderRequest> {
    return this.#decide(rawId, 'cancel', rawReason ?? null);
  }

  /**
   * Confirms or cancels an order of the caller's pesantren. The status changes with a
   * compare-and-set UPDATE, so two people deciding at once cannot both win, and a cancellation
   * cannot return its stock twice.
   */
  async #decide(rawId: string, action: OrderAction, rawReason: string | null): Promise<OrderRequest> {
    const { em, identity, logger, orders, search, now } = this.#deps;
    const id = parseId(rawId, 'id');
    const reason = action === 'cancel' ? parseInput(cancelReason, rawReason, 'reason') : null;
    const order = await orders.findOne(id);
    if (!order) throw notFound('Order request');
    requirePesantrenManager(identity, order.seller.pesantrenId, 'You may only manage the order requests of your own pesantren');
    const rule = ORDER_ACTIONS[action];
    const at = now();
    const changed = await em.transactional(async (tx) => {
      const updated = await tx.nativeUpdate(
        OrderRequest,
        // A reservation that has run out cannot be confirmed, even before the expiry job has ended it.
        { id, status: { $in: [...rule.from] }, ...(action === 'confirm' ? { reservedUntil: { $gt: at } } : {}) },
        { status: rule.to, decidedBy: identity.subject, decidedAt: at, updatedAt: at, ...(action === 'cancel' ? { cancelReason: reason } : {}) },
      );
      if (updated === 0) return false;
      if (action === 'cancel') {
        const lines = await tx.find(OrderLine, { order: id });
        await new StockService(tx).release(lines.map((line) => ({ productId: line.product.id, quantity: line.quantity })));
        await tx.flush();
      }
      return true;
    });
    const current = (await em.refresh(order, { populate: ['seller'] }))!;
    if (!changed && current.status === 'REQUESTED') throw conflict(`Cannot ${rule.verb} this order request: its reservation ran out at ${current.reservedUntil.toISOString()}, so its stock has gone back on sale`);
    if (!changed) throw conflict(`Cannot ${rule.verb} an order request that is ${current.status}; it must be ${rule.from.join(' or ')}`);
    if (action === 'cancel') search.notify();
    logger.info({ orderId: id, number: current.number, action, by: identity.subject }, 'order request decided');
    return current;
  }
}
