import { raw, wrap } from '@mikro-orm/core';
import {
  canManagePesantren,
  conflict,
  forbidden,
  notFound,
  pageSize,
  parseId,
  parseInput,
  pesantrenInScope,
  selectsField,
  totalCountOf,
} from '@opop/server-kit';
import type { CatalogueContext } from '../../context.ts';
import type { Resolvers } from '../../generated/graphql.ts';
import { Product } from '../product/product.entity.ts';
import { SearchOutboxEvent } from '../search/outbox.entity.ts';
import type { Seller } from '../seller/seller.entity.ts';
import { placeOrder } from './checkout.ts';
import { OrderLine, OrderRequest, type OrderStatus } from './order.entity.ts';
import { cancelReason, orderRequestInput } from './order.input.ts';
import { orderMessage, whatsappUrl } from './whatsapp.ts';

/** Which status each decision may start from, and where it leads. */
const ORDER_ACTIONS = {
  confirm: { from: ['REQUESTED'], to: 'CONFIRMED', verb: 'confirm' },
  cancel: { from: ['REQUESTED', 'CONFIRMED'], to: 'CANCELLED', verb: 'cancel' },
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus; verb: string }>;
type OrderAction = keyof typeof ORDER_ACTIONS;

async function sellerOf(ctx: CatalogueContext, order: OrderRequest): Promise<Seller> {
  if (wrap(order.seller).isInitialized()) return order.seller;
  const seller = await ctx.loaders.sellerById.load(order.seller.id);
  if (!seller) throw new Error(`seller ${order.seller.id} of order ${order.id} is missing`);
  return seller;
}

/**
 * Confirms or cancels an order of the caller's pesantren. The status changes with a
 * compare-and-set UPDATE, so two people deciding at once cannot both win, and a cancellation
 * cannot return its stock twice.
 */
async function decide(ctx: CatalogueContext, rawId: string, action: OrderAction, rawReason: string | null): Promise<OrderRequest> {
  const { identity } = ctx;
  const id = parseId(rawId, 'id');
  const reason = action === 'cancel' ? parseInput(cancelReason, rawReason, 'reason') : null;
  const order = await ctx.orders.findOne(id);
  if (!order) throw notFound('Order request');
  if (!canManagePesantren(identity, order.seller.pesantrenId)) throw forbidden('You may only manage the order requests of your own pesantren');
  const rule = ORDER_ACTIONS[action];
  const changed = await ctx.em.transactional(async (tx) => {
    const updated = await tx.nativeUpdate(
      OrderRequest,
      { id, status: { $in: [...rule.from] } },
      { status: rule.to, decidedBy: identity.subject, updatedAt: new Date(), ...(action === 'cancel' ? { cancelReason: reason } : {}) },
    );
    if (updated === 0) return false;
    if (action === 'cancel') {
      // Product rows in id order, as reservations take them, so the two cannot deadlock.
      const lines = (await tx.find(OrderLine, { order: id })).sort((a, b) => (a.product.id < b.product.id ? -1 : 1));
      for (const line of lines) {
        await tx.nativeUpdate(Product, { id: line.product.id }, { stock: raw('stock + ?', [line.quantity]), updatedAt: new Date() });
        // A native update bypasses the flush hook that writes outbox events: write this one here.
        tx.create(SearchOutboxEvent, { productId: line.product.id, sellerId: null });
      }
      await tx.flush();
    }
    return true;
  });
  const current = (await ctx.em.refresh(order, { populate: ['seller'] }))!;
  if (!changed) throw conflict(`Cannot ${rule.verb} an order request that is ${current.status}; it must be ${rule.from.join(' or ')}`);
  if (action === 'cancel') ctx.search.notify();
  ctx.logger.info({ orderId: id, number: current.number, action, by: identity.subject }, 'order request decided');
  return current;
}

export const orderResolvers: Resolvers = {
  Query: {
    managedOrders: (_parent, { first, after, status }, ctx, info) => {
      const { identity } = ctx;
      return ctx.orders.page(
        { pesantrenId: pesantrenInScope(identity, null), status: status ?? null },
        { first: pageSize(first), after, includeCount: selectsField(info, 'totalCount') },
      );
    },
  },

  Mutation: {
    requestOrder: async (_parent, { input }, ctx) => {
      const data = parseInput(orderRequestInput, input, 'input');
      const checkout = await placeOrder(ctx.em, data);
      for (const [orderId, lines] of checkout.linesByOrder ?? []) ctx.loaders.orderLines.prime(orderId, lines);
      ctx.search.notify();
      // Order ids and numbers only: buyer details are personal data and stay out of the logs.
      ctx.logger.info({ idempotencyKey: checkout.idempotencyKey, orders: checkout.orders.map((order) => order.number) }, 'order requested');
      return checkout;
    },
    confirmOrderRequest: (_parent, { id }, ctx) => decide(ctx, id, 'confirm', null),
    cancelOrderRequest: (_parent, { id, reason }, ctx) => decide(ctx, id, 'cancel', reason),
  },

  OrderCheckout: {
    totalRupiah: (checkout) => checkout.orders.reduce((sum, order) => sum + order.totalRupiah, 0),
  },

  OrderRequest: {
    seller: (order, _args, ctx) => sellerOf(ctx, order),
    lines: (order, _args, ctx) => ctx.loaders.orderLines.load(order.id),
    whatsappUrl: async (order, _args, ctx) => {
      const [seller, lines] = await Promise.all([sellerOf(ctx, order), ctx.loaders.orderLines.load(order.id)]);
      const message = orderMessage({
        number: order.number,
        sellerName: seller.name,
        lines,
        totalRupiah: order.totalRupiah,
        paymentMethod: order.paymentMethod,
        buyerName: order.buyerName,
        deliveryAddress: order.deliveryAddress,
        note: order.note ?? null,
      });
      return whatsappUrl(seller.whatsapp ?? null, message);
    },
  },

  OrderLine: {
    product: async (line, _args, ctx) => {
      // Not filtered by listing: the order's managers may see a product that has since been withdrawn.
      const product = await ctx.loaders.productById.load(line.product.id);
      if (!product) throw new Error(`product ${line.product.id} of order line ${line.id} is missing`);
      return product;
    },
    subtotalRupiah: (line) => line.quantity * line.unitPriceRupiah,
  },

  OrderRequestConnection: {
    totalCount: totalCountOf,
  },
};
