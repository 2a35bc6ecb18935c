import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { sameSalesUnit } from '@opop/identifiers/units';
import { badUserInput, conflict, outOfStock, priceChanged, type EntityManager, type InputIssue } from '@opop/server-kit';
import { isListed, Product } from '../product/product.entity.ts';
import { Seller } from '../seller/seller.entity.ts';
import { OrderCheckout, OrderLine, OrderRequest } from './order.entity.ts';
import type { OrderRequestInput } from './order.input.ts';
import { OrderRepository } from './order.repository.ts';
import { checkOrderLimits, type OrderPolicy } from './order-policy.ts';
import { StockService } from './stock.service.ts';
import { formatRupiah } from './whatsapp.ts';

/** What `requestOrder` answers: the checkout's orders, and their lines when they are at hand. */
export interface Checkout {
  idempotencyKey: string;
  orders: OrderRequest[];
  /** Lines of freshly made orders, so answering does not read back what was just written. */
  linesByOrder?: Map<string, OrderLine[]>;
}

/**
 * Totals are GraphQL `Int`s (32-bit): a checkout above this could not be answered. No pesantren
 * cart comes near it; the limit only stops absurd quantities of absurd prices.
 */
export const MAX_CHECKOUT_RUPIAH = 2_000_000_000;

/** Who sends a checkout, and under which rules. */
export interface CheckoutContext {
  policy: OrderPolicy;
  /** The router's hash of the sender's network; null when called without the router. */
  network: string | null;
  now: Date;
}

/** 256 random bits as 43 base64url characters: the secret of an order's status link. */
export const newStatusToken = (): string => randomBytes(32).toString('base64url');

/** Unambiguous when read aloud or copied by hand: no 0/O, no 1/I. */
const NUMBER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const NUMBER_ATTEMPTS = 5;
/** Indonesia's western time (WIB, East Java) is UTC+7 all year: it has no daylight saving. */
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/** OPOP-241123-7KQ4: the day in WIB, then four random characters; the unique index catches a repeat. */
export function newOrderNumber(now: Date = new Date()): string {
  const day = new Date(now.getTime() + WIB_OFFSET_MS).toISOString();
  const suffix = Array.from({ length: 4 }, () => NUMBER_ALPHABET[randomInt(NUMBER_ALPHABET.length)]).join('');
  return `OPOP-${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}-${suffix}`;
}

/**
 * Fingerprint of what the shopper asked for, after normalisation: a retry that types the phone
 * number differently or lists the cart in another order is still the same request.
 */
export function payloadHash(data: OrderRequestInput): string {
  const canonical = {
    // Not the expected prices, units and weights: they are a condition of placing the order, not part of it. A retry
    // whose answer was lost finds the checkout placed, even if the price it now shows has changed.
    items: data.items.map((item) => [item.productId, item.quantity]).sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
    buyerName: data.buyerName,
    buyerPhone: data.buyerPhone,
    deliveryAddress: data.deliveryAddress,
    paymentMethod: data.paymentMethod,
    note: data.note,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

function checkTotal(total: number): void {
  if (total > MAX_CHECKOUT_RUPIAH) {
    throw badUserInput(`comes to ${formatRupiah(total)}, above the ${formatRupiah(MAX_CHECKOUT_RUPIAH)} one checkout may hold; split it into smaller orders`, 'input.items');
  }
}

/** The stored checkout for this key, or null; a different request under the key is a CONFLICT. */
async function storedCheckout(em: EntityManager, data: OrderRequestInput, hash: string): Promise<Checkout | null> {
  const orders = new OrderRepository(em);
  const stored = await orders.findCheckout(data.idempotencyKey);
  if (!stored) return null;
  if (stored.payloadHash !== hash) {
    throw conflict('This idempotency key was already used for a different order; generate a new key for a new checkout', 'input.idempotencyKey');
  }
  return { idempotencyKey: stored.idempotencyKey, orders: await orders.ordersOf(stored.idempotencyKey) };
}

/** Every line must name a product shoppers can see; all bad lines are reported, the first in the message. */
async function checkListed(em: EntityManager, data: OrderRequestInput): Promise<void> {
  const found = await em.find(Product, { id: { $in: data.items.map((item) => item.productId) } }, { fields: ['id', 'curationStatus', 'priceRupiah'] });
  const byId = new Map(found.map((product) => [product.id, product]));
  const issues: InputIssue[] = [];
  data.items.forEach((item, index) => {
    const product = byId.get(item.productId);
    if (!product || !isListed(product)) issues.push({ field: `input.items.${index}.productId`, message: 'is not a product on sale' });
  });
  if (issues.length > 0) throw badUserInput(issues[0]!.message, issues[0]!.field, issues);
  checkTotal(data.items.reduce((sum, item) => sum + item.quantity * byId.get(item.productId)!.priceRupiah, 0));
}

/**
 * Reserves every line's stock (see `StockService.reserve`) and writes the orders, all in one
 * transaction; when any line falls short, the transaction rolls back and nothing is reserved.
 */
async function reserve(em: EntityManager, data: OrderRequestInput, hash: string, context: CheckoutContext): Promise<Checkout> {
  const { now, policy, network } = context;
  const reservedUntil = new Date(now.getTime() + policy.reservationHours * 60 * 60 * 1000);
  return em.transactional(async (tx) => {
    // The key first: a concurrent duplicate blocks on it here, before it touches any stock.
    const checkout = tx.create(OrderCheckout, { idempotencyKey: data.idempotencyKey, payloadHash: hash, visitorNetwork: network });
    await tx.flush();
    await checkOrderLimits(tx, policy, data.idempotencyKey, data.buyerPhone, network, now);

    const short = await new StockService(tx).reserve(data.items, now);
    if (short.length > 0) throw await shortage(tx, data, short);

    // Read after the updates: the rows are ours until commit, so this is the price the stock was reserved at.
    const products = new Map((await tx.find(Product, { id: { $in: data.items.map((item) => item.productId) } })).map((p) => [p.id, p]));
    const repriced = data.items.flatMap((item, index) => {
      const product = products.get(item.productId)!;
      const otherPrice = item.expectedUnitPriceRupiah !== null && item.expectedUnitPriceRupiah !== product.priceRupiah;
      const otherUnit = item.expectedUnit !== null && !sameSalesUnit(item.expectedUnit, product.unit);
      const otherWeight = item.expectedWeightGrams !== null && item.expectedWeightGrams !== product.weightGrams;
      if (!otherPrice && !otherUnit && !otherWeight) return [];
      return [
        {
          productId: product.id,
          name: product.nameIndonesian,
          expectedUnitPriceRupiah: item.expectedUnitPriceRupiah,
          priceRupiah: product.priceRupiah,
          expectedUnit: item.expectedUnit,
          unit: product.unit,
          expectedWeightGrams: item.expectedWeightGrams,
          weightGrams: product.weightGrams,
          field: `input.items.${index}.${otherPrice ? 'expectedUnitPriceRupiah' : otherUnit ? 'expectedUnit' : 'expectedWeightGrams'}`,
        },
      ];
    });
    // Thrown inside the transaction: the reservation and the checkout's key roll back with it.
    if (repriced.length > 0) {
      // Each part said only where the request named it: a request that sent no unit hears of none.
      const termsSaid = (rupiah: number | null, unit: string | null, grams: number | null) =>
        `${rupiah === null ? 'the price' : formatRupiah(rupiah)}${unit === null ? '' : ` per ${unit}`}${grams === null ? '' : ` of ${grams} g`}`;
      const list = repriced
        .map((p) => `${p.name} (${termsSaid(p.priceRupiah, p.expectedUnit === null ? null : p.unit, p.expectedWeightGrams === null ? null : p.weightGrams)} now, ${termsSaid(p.expectedUnitPriceRupiah, p.expectedUnit, p.expectedWeightGrams)} expected)`)
        .join(', ');
      throw priceChanged(`A price, unit or weight changed, so nothing was ordered: ${list}`, { products: repriced });
    }
    checkTotal(data.items.reduce((sum, item) => sum + item.quantity * products.get(item.productId)!.priceRupiah, 0));

    const bySeller = Map.groupBy(data.items.map((item, position) => ({ item, position, product: products.get(item.productId)! })), (line) => line.product.seller.id);
    const numbers = new Set<string>();
    const orders: OrderRequest[] = [];
    const linesByOrder = new Map<string, OrderLine[]>();
    for (const [sellerId, lines] of bySeller) {
      let number = newOrderNumber(now);
      while (numbers.has(number)) number = newOrderNumber(now);
      numbers.add(number);
      const order = tx.create(OrderRequest, {
        // Set here, not on flush: the lines are keyed by it before anything is written.
        id: randomUUID(),
        number,
        checkout,
        position: orders.length,
        seller: tx.getReference(Seller, sellerId),
        status: 'REQUESTED',
        paymentMethod: data.paymentMethod,
        totalRupiah: lines.reduce((sum, { item, product }) => sum + item.quantity * product.priceRupiah, 0),
        buyerName: data.buyerName,
        buyerPhone: data.buyerPhone,
        deliveryAddress: data.deliveryAddress,
        note: data.note,
        cancelReason: null,
        decidedBy: null,
        decidedAt: null,
        reservedUntil,
        statusToken: newStatusToken(),
      });
      orders.push(order);
      linesByOrder.set(
        order.id,
        lines.map(({ item, position, product }) =>
          tx.create(OrderLine, {
            order,
            position,
            product,
            productName: product.nameIndonesian,
            productNameEnglish: product.nameEnglish ?? null,
            unit: product.unit,
            weightGrams: product.weightGrams,
            unitPriceRupiah: product.priceRupiah,
            quantity: item.quantity,
          }),
        ),
      );
    }
    await tx.flush();
    return { idempotencyKey: checkout.idempotencyKey, orders, linesByOrder };
  });
}

/** The OUT_OF_STOCK error for the lines that could not be reserved, with what remains of each. */
async function shortage(tx: EntityManager, data: OrderRequestInput, productIds: string[]): Promise<Error> {
  const current = new Map(
    (await tx.find(Product, { id: { $in: productIds } }, { fields: ['id', 'nameIndonesian', 'stock', 'curationStatus'] })).map((p) => [p.id, p]),
  );
  const products = data.items.flatMap((item, index) => {
    if (!productIds.includes(item.productId)) return [];
    const product = current.get(item.productId)!;
    return [{ productId: item.productId, name: product.nameIndonesian, requested: item.quantity, available: product.stock, field: `input.items.${index}.quantity`, listed: isListed(product) }];
  });
  // Taken off sale between the check and the reservation: that is bad input, not a stock problem.
  const withdrawn = products.find((product) => !product.listed);
  if (withdrawn) return badUserInput('is not a product on sale', withdrawn.field.replace(/quantity$/, 'productId'));
  const list = products.map((p) => `${p.name} (${p.available} left, ${p.requested} asked for)`).join(', ');
  return outOfStock(`Not enough stock, so nothing was ordered: ${list}`, {
    products: products.map(({ productId, name, requested, available, field }) => ({ productId, name, requested, available, field })),
  });
}

/**
 * Sends a cart as order requests, one per seller. A key seen before returns its checkout (or a
 * CONFLICT when the cart differs); a concurrent duplicate loses the race on the key's unique
 * index, and then finds and returns the winner's checkout.
 */
export async function placeOrder(em: EntityManager, data: OrderRequestInput, context: CheckoutContext): Promise<Checkout> {
  const hash = payloadHash(data);
  const replay = await storedCheckout(em.fork(), data, hash);
  if (replay) return replay;
  // Validation reads its own fork, so no product loaded here sits stale in the request's identity map.
  await checkListed(em.fork(), data);
  for (let attempt = 1; ; attempt++) {
    try {
      return await reserve(em, data, hash, context);
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      const winner = await storedCheckout(em.fork(), data, hash);
      if (winner) return winner;
      // No checkout under the key: an order number was taken; draw new ones.
      if (attempt >= NUMBER_ATTEMPTS) throw error;
    }
  }
}
