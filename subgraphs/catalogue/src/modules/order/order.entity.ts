import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Product } from '../product/product.entity.ts';
import { Seller } from '../seller/seller.entity.ts';

export const PAYMENT_METHODS = ['COD', 'BANK_TRANSFER', 'QRIS'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const ORDER_STATUSES = ['REQUESTED', 'CONFIRMED', 'CANCELLED', 'EXPIRED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * One `requestOrder` call that succeeded, under the client's idempotency key. The key is the
 * primary key, so two concurrent requests with one key cannot both reserve stock: the second
 * insert waits for the first transaction and then fails on the key.
 */
const OrderCheckoutSchema = defineEntity({
  name: 'OrderCheckout',
  tableName: 'order_checkout',
  properties: {
    idempotencyKey: p.uuid().primary(),
    /** SHA-256 of the normalised cart and buyer details: a replay must match it to get the checkout back. */
    payloadHash: p.string().length(64),
    /**
     * The router's daily-keyed hash of the sender's address (server-kit visitor.ts), so checkouts
     * per network can be limited without keeping addresses. Null when sent without the router.
     */
    visitorNetwork: p.string().length(32).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['visitorNetwork', 'createdAt'] }],
});

export class OrderCheckout extends OrderCheckoutSchema.class {}
OrderCheckoutSchema.setClass(OrderCheckout);

/** A checkout's order to one seller. Holds personal data (buyer name, phone, address). */
const OrderRequestSchema = defineEntity({
  name: 'OrderRequest',
  tableName: 'order_request',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    number: p.string().length(20).unique(),
    checkout: () => p.manyToOne(OrderCheckout).index(),
    /** Where the seller first appears in the cart, so a replay lists the orders as the first answer did. */
    position: p.smallint(),
    seller: () => p.manyToOne(Seller).index(),
    status: p.enum(ORDER_STATUSES).default('REQUESTED').index(),
    paymentMethod: p.enum(PAYMENT_METHODS),
    totalRupiah: p.integer(),
    buyerName: p.string().length(100),
    buyerPhone: p.string().length(15),
    deliveryAddress: p.string().length(500),
    note: p.string().length(500).nullable(),
    cancelReason: p.string().length(500).nullable(),
    /** Subject of the operator or admin who last confirmed or cancelled it. */
    decidedBy: p.string().length(120).nullable(),
    /** When it was confirmed, cancelled or expired; null while REQUESTED. */
    decidedAt: p.datetime().nullable(),
    /** Until when a REQUESTED order holds its stock; the expiry job returns the stock after it. */
    reservedUntil: p.datetime().index(),
    /**
     * The secret of the shopper's status link (43 base64url characters, 256 random bits). Kept as
     * issued, not hashed: a retried checkout must answer the same links (idempotency), and it
     * opens no more than the row it sits in.
     */
    statusToken: p.string().length(43).unique(),
    createdAt: p.datetime().onCreate(() => new Date()).index(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
  indexes: [{ properties: ['buyerPhone', 'createdAt'] }],
});

export class OrderRequest extends OrderRequestSchema.class {}
OrderRequestSchema.setClass(OrderRequest);

/**
 * A line of an order request. Name, unit, weight and price are copied from the product when it is
 * ordered: the seller must honour what the shopper saw, whatever the product says later.
 */
const OrderLineSchema = defineEntity({
  name: 'OrderLine',
  tableName: 'order_line',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    order: () => p.manyToOne(OrderRequest).index(),
    /** The line's index in the cart the shopper sent. */
    position: p.smallint(),
    product: () => p.manyToOne(Product).index(),
    productName: p.string().length(160),
    /** Its English name when it was ordered, for the shopper's English status page; null when it had none. */
    productNameEnglish: p.string().length(160).nullable(),
    unit: p.string().length(30),
    /** The weight of one unit in grams when it was ordered; null for lines ordered before it was kept. */
    weightGrams: p.integer().nullable(),
    unitPriceRupiah: p.integer(),
    quantity: p.integer(),
  },
});

export class OrderLine extends OrderLineSchema.class {}
OrderLineSchema.setClass(OrderLine);
