import { wrap } from '@mikro-orm/core';
import { pageSize, pesantrenInScope, selectsField, totalCountOf } from '@opop/server-kit';
import type { CatalogueContext } from '../../context.ts';
import type { Resolvers } from '../../generated/graphql.ts';
import type { Seller } from '../seller/seller.entity.ts';
import type { OrderRequest } from './order.entity.ts';
import { salesUnitName } from '../product/sales-units.ts';
import { paymentDetailsOf } from '../seller/payment.ts';
import { orderMessage, whatsappUrl } from './whatsapp.ts';

async function sellerOf(ctx: CatalogueContext, order: OrderRequest): Promise<Seller> {
  if (wrap(order.seller).isInitialized()) return order.seller;
  const seller = await ctx.loaders.sellerById.load(order.seller.id);
  if (!seller) throw new Error(`seller ${order.seller.id} of order ${order.id} is missing`);
  return seller;
}

export const orderResolvers: Resolvers = {
  Query: {
    orderStatus: async (_parent, { token }, ctx) => {
      const order = await ctx.orders.findByStatusToken(token);
      if (order) ctx.issuedStatusTokens.add(order.id);
      return order;
    },
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
      const checkout = await ctx.orderService.request(input);
      for (const order of checkout.orders) ctx.issuedStatusTokens.add(order.id);
      for (const [orderId, lines] of checkout.linesByOrder ?? []) ctx.loaders.orderLines.prime(orderId, lines);
      return checkout;
    },
    confirmOrderRequest: (_parent, { id }, ctx) => ctx.orderService.confirm(id),
    cancelOrderRequest: (_parent, { id, reason }, ctx) => ctx.orderService.cancel(id, reason),
  },

  OrderCheckout: {
    totalRupiah: (checkout) => checkout.orders.reduce((sum, order) => sum + order.totalRupiah, 0),
  },

  OrderRequest: {
    seller: (order, _args, ctx) => sellerOf(ctx, order),
    lines: (order, _args, ctx) => ctx.loaders.orderLines.load(order.id),
    statusToken: (order, _args, ctx) => (ctx.issuedStatusTokens.has(order.id) ? order.statusToken : null),
    payment: async (order, _args, ctx) => {
      if (order.paymentMethod === 'COD') return null;
      // Both ways the seller takes, the chosen one first in the client: a buyer may still switch.
      const details = paymentDetailsOf(await sellerOf(ctx, order));
      return details.bankAccount || details.qris ? details : null;
    },
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
    unitName: (line) => salesUnitName(line.unit),
  },

  OrderRequestConnection: {
    totalCount: totalCountOf,
  },
};
