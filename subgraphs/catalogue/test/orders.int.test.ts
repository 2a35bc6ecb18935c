import { randomInt, randomUUID } from 'node:crypto';
import { generateWorld } from '@opop/demo-data';
import pg from 'pg';
import { adminIdentity, identityHeaders, operatorIdentity, testEngines, visitorHeaders, type GraphQLResponse } from '@opop/server-kit/testing';
import { expectError, useTestSubgraph } from '@opop/server-kit/test-harness';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../seeders/catalogue.seeder.ts';
import { createCatalogueService } from '../src/app.ts';
import { EMBEDDED_SEARCH } from '../src/config.ts';
import { newOrderNumber } from '../src/modules/order/checkout.ts';
import { expireDueOrders } from '../src/modules/order/order-expiry.ts';
import { DEFAULT_ORDER_POLICY } from '../src/modules/order/order-policy.ts';
import { OrderCheckout, OrderLine, OrderRequest } from '../src/modules/order/order.entity.ts';
import { StockService } from '../src/modules/order/stock.service.ts';
import { formatWeight } from '@opop/identifiers/units';
import { formatRupiah, orderMessage } from '../src/modules/order/whatsapp.ts';
import { Product } from '../src/modules/product/product.entity.ts';
import { SearchOutboxEvent } from '../src/modules/search/outbox.entity.ts';
import { Seller } from '../src/modules/seller/seller.entity.ts';

/** No background polling: the tests drain the outbox themselves when they look at the index. */
const QUIET_SEARCH = { ...EMBEDDED_SEARCH, pollMs: 60_000 };

const world = generateWorld('demo');
const LISTED = new Set(['SUBMITTED', 'IN_REVIEW', 'FEATURED']);
const sidogiri = world.pesantren.find((p) => p.slug === 'pondok-pesantren-sidogiri')!;
const listedOf = (sellerId: string) => world.products.filter((p) => p.sellerId === sellerId && LISTED.has(p.status));
const sidogiriSellers = world.sellers.filter((s) => s.pesantrenId === sidogiri.id);
const sidogiriSeller = sidogiriSellers.find((s) => listedOf(s.id).length >= 2)!;
const otherSeller = world.sellers.find((s) => s.pesantrenId !== sidogiri.id && listedOf(s.id).length >= 4)!;
// a1 and a2 share a seller; the others are any of Sidogiri's products.
const [a1, a2, a3, a4, a5, a6] = [...listedOf(sidogiriSeller.id), ...sidogiriSellers.filter((s) => s !== sidogiriSeller).flatMap((s) => listedOf(s.id))];
const [b1, b2, b3, b4] = listedOf(otherSeller.id);
const draft = world.products.find((p) => p.status === 'DRAFT')!;

type Line = { productName: string; productNameEnglish: string | null; unit: string; weightGrams: number | null; unitPriceRupiah: number; quantity: number; subtotalRupiah: number; product: { id: string; stock: number } };
type Order = {
  id: string;
  number: string;
  status: string;
  totalRupiah: number;
  paymentMethod: string;
  buyerName: string;
  buyerPhone: string;
  deliveryAddress: string;
  note: string | null;
  cancelReason: string | null;
  createdAt: string;
  whatsappUrl: string | null;
  seller: { id: string };
  lines: Line[];
};
type Checkout = { requestOrder: { idempotencyKey: string; totalRupiah: number; orders: Order[] } };

/** What the shopper reads back; the buyer details are the seller's operators' and admins' only. */
const SHOPPER_ORDER_FIELDS = `id number status totalRupiah paymentMethod cancelReason createdAt whatsappUrl
  seller { id } lines { productName productNameEnglish unit weightGrams unitPriceRupiah quantity subtotalRupiah product { id stock } }`;
const BUYER_FIELDS = 'buyerName buyerPhone deliveryAddress note';
const ORDER_FIELDS = `${SHOPPER_ORDER_FIELDS} ${BUYER_FIELDS}`;
const REQUEST = `mutation($input: OrderRequestInput!) { requestOrder(input: $input) { idempotencyKey totalRupiah orders { ${SHOPPER_ORDER_FIELDS} } } }`;

/** Whether, within a few seconds, some session of this database is seen waiting for a lock to update a product row. */
async function waitUntilAnUpdateOfProductWaits(url: string): Promise<boolean> {
  const observer = new pg.Client({ connectionString: url });
  await observer.connect();
  try {
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
      const { rows } = await observer.query<{ waiting: number }>(
        `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike 'update %product%set%stock%'`,
      );
      if (rows[0]!.waiting > 0) return true;
    }
    return false;
  } finally {
    await observer.end();
  }
}

/** A new shopper's phone each time, so the per-phone limits only meet the tests written for them. */
const newPhone = () => `0812-${String(randomInt(10_000)).padStart(4, '0')}-${String(randomInt(10_000)).padStart(4, '0')}`;

const cart = (items: { productId: string; quantity: number; expectedUnitPriceRupiah?: number; expectedUnit?: string; expectedWeightGrams?: number }[], overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: randomUUID(),
  items,
  buyerName: 'Siti Aminah',
  buyerPhone: newPhone(),
  deliveryAddress: 'Jl. Raya Sidogiri No. 5, Kraton, Pasuruan',
  paymentMethod: 'COD',
  ...overrides,
});

describe('order text and numbers', () => {
  it('formats rupiah the Indonesian way', () => {
    expect([0, 500, 25_000, 1_250_000, 2_000_000_000].map(formatRupiah)).toEqual(['Rp 0', 'Rp 500', 'Rp 25.000', 'Rp 1.250.000', 'Rp 2.000.000.000']);
  });

  it('numbers orders by the day in WIB, with four unambiguous characters', () => {
    // 23:30 UTC on 22 November is already 23 November in East Java.
    expect(newOrderNumber(new Date('2024-11-22T23:30:00Z'))).toMatch(/^OPOP-241123-[2-9A-HJ-NP-Z]{4}$/);
    expect(new Set(Array.from({ length: 200 }, () => newOrderNumber())).size).toBeGreaterThan(195);
  });

  it('writes the order out in Bahasa Indonesia', () => {
    const text = orderMessage({
      number: 'OPOP-241123-7KQ4',
      sellerName: 'Kopontren Sidogiri',
      lines: [
        { productName: 'Keripik Tempe', unit: 'bungkus', weightGrams: 250, unitPriceRupiah: 15_000, quantity: 2 },
        { productName: 'Beras Organik', unit: 'karung', weightGrams: 1_250, unitPriceRupiah: 30_000, quantity: 1 },
        // Ordered before lines kept their weight.
        { productName: 'Sarung Tenun', unit: 'lembar', weightGrams: null, unitPriceRupiah: 90_000, quantity: 1 },
      ],
      totalRupiah: 150_000,
      paymentMethod: 'BANK_TRANSFER',
      buyerName: 'Siti',
      deliveryAddress: 'Jl. Mawar 1, Pasuruan',
      note: null,
    });
    expect(text).toContain('No. pesanan: OPOP-241123-7KQ4');
    expect(text).toContain('1. Keripik Tempe: 2 bungkus (250 g) x Rp 15.000 = Rp 30.000');
    expect(text).toContain('2. Beras Organik: 1 karung (1,25 kg) x Rp 30.000 = Rp 30.000');
    expect(text).toContain('3. Sarung Tenun: 1 lembar x Rp 90.000 = Rp 90.000');
    expect(text).toContain('Total: Rp 150.000');
    expect(text).toContain('Pembayaran: Transfer bank');
    expect(text).not.toContain('Catatan');
  });
});

describe.each(testEngines())('order requests on $name', (engine) => {
  const subgraph = useTestSubgraph('catalogue', engine, { create: (config) => createCatalogueService({ ...config, search: QUIET_SEARCH }), seed: (em) => loadCatalogue(em, world) });
  const { gql } = subgraph;
  const requestOrder = (input: Record<string, unknown>) => gql<Checkout>(REQUEST, { input });
  const rows = async () => {
    const em = subgraph.service.database.fork();
    return {
      checkouts: await em.count(OrderCheckout, {}),
      orders: await em.count(OrderRequest, {}),
      lines: await em.count(OrderLine, {}),
      outbox: await em.count(SearchOutboxEvent, {}),
    };
  };
  const stockOf = async (...ids: string[]) => {
    const products = await subgraph.service.database.fork().find(Product, { id: { $in: ids } });
    return ids.map((id) => products.find((p) => p.id === id)!.stock);
  };
  /** Puts a product in a known state; a native update, so it leaves the outbox alone. */
  const given = (id: string, values: { stock: number; priceRupiah?: number; unit?: string; weightGrams?: number }) => subgraph.service.database.fork().nativeUpdate(Product, { id }, values);

  describe.skipIf(Boolean(engine.skip))('shoppers', () => {
    it('splits a cart by seller, reserves the stock and writes each seller a WhatsApp message', async () => {
      await given(a1!.id, { stock: 10, priceRupiah: 15_000 });
      await given(b1!.id, { stock: 4, priceRupiah: 120_000 });
      await given(a2!.id, { stock: 3, priceRupiah: 25_000 });
      const before = await rows();
      const input = cart(
        [
          { productId: a1!.id, quantity: 2 },
          { productId: b1!.id, quantity: 1 },
          { productId: a2!.id, quantity: 3 },
        ],
        { paymentMethod: 'QRIS', note: 'Tolong dibungkus rapi', buyerPhone: '0812-3456-7890' },
      );
      const response = await requestOrder(input);
      expect(response.errors).toBeUndefined();
      const checkout = response.data!.requestOrder;
      expect(checkout.idempotencyKey).toBe(input.idempotencyKey);
      expect(checkout.totalRupiah).toBe(2 * 15_000 + 120_000 + 3 * 25_000);
      expect(checkout.orders.map((o) => o.seller.id)).toEqual([sidogiriSeller.id, otherSeller.id]);

      const [fromSidogiri, fromOther] = checkout.orders as [Order, Order];
      expect(fromSidogiri).toMatchObject({
        status: 'REQUESTED',
        totalRupiah: 105_000,
        paymentMethod: 'QRIS',
        cancelReason: null,
      });
      // Not even a retry of the same request reads the buyer details back; the seller's operators and admins do.
      expectError(await gql(`mutation($input: OrderRequestInput!) { requestOrder(input: $input) { orders { number buyerName } } }`, { input }), 'UNAUTHENTICATED');
      const asAdmin = await gql<{ managedOrders: { nodes: Order[] } }>(`{ managedOrders(first: 10) { nodes { number ${BUYER_FIELDS} } } }`, {}, await identityHeaders(adminIdentity()));
      expect(asAdmin.data!.managedOrders.nodes.find((order) => order.number === fromSidogiri.number)).toMatchObject({
        buyerName: 'Siti Aminah',
        buyerPhone: '6281234567890',
        note: 'Tolong dibungkus rapi',
      });
      expect(fromSidogiri.lines).toEqual([
        { productName: a1!.nameId, productNameEnglish: a1!.nameEn ?? null, unit: a1!.unit, weightGrams: a1!.weightGrams, unitPriceRupiah: 15_000, quantity: 2, subtotalRupiah: 30_000, product: { id: a1!.id, stock: 8 } },
        { productName: a2!.nameId, productNameEnglish: a2!.nameEn ?? null, unit: a2!.unit, weightGrams: a2!.weightGrams, unitPriceRupiah: 25_000, quantity: 3, subtotalRupiah: 75_000, product: { id: a2!.id, stock: 0 } },
      ]);
      expect(fromOther.totalRupiah).toBe(120_000);
      expect(fromOther.lines.map((l) => [l.product.id, l.quantity, l.subtotalRupiah])).toEqual([[b1!.id, 1, 120_000]]);
      for (const order of checkout.orders) expect(order.number).toMatch(/^OPOP-\d{6}-[2-9A-HJ-NP-Z]{4}$/);
      expect(fromSidogiri.number).not.toBe(fromOther.number);

      const link = new URL(fromSidogiri.whatsappUrl!);
      expect(`${link.origin}${link.pathname}`).toBe(`https://wa.me/${sidogiriSeller.whatsapp}`);
      const text = link.searchParams.get('text')!;
      expect(text).toContain(`No. pesanan: ${fromSidogiri.number}`);
      expect(text).toContain(`1. ${a1!.nameId}: 2 ${a1!.unit} (${formatWeight(a1!.weightGrams)}) x Rp 15.000 = Rp 30.000`);
      expect(text).toContain(`2. ${a2!.nameId}: 3 ${a2!.unit} (${formatWeight(a2!.weightGrams)}) x Rp 25.000 = Rp 75.000`);
      expect(text).toContain('Total: Rp 105.000');
      expect(text).toContain('Pembayaran: QRIS');
      expect(text).toContain('Nama: Siti Aminah');
      expect(text).toContain('Alamat: Jl. Raya Sidogiri No. 5, Kraton, Pasuruan');
      expect(text).toContain('Catatan: Tolong dibungkus rapi');
      expect(new URL(fromOther.whatsappUrl!).searchParams.get('text')).toContain('Rp 120.000');

      expect(await stockOf(a1!.id, b1!.id, a2!.id)).toEqual([8, 3, 0]);
      // One index event per product, in the order's transaction.
      expect(await rows()).toEqual({ checkouts: before.checkouts + 1, orders: before.orders + 2, lines: before.lines + 3, outbox: before.outbox + 3 });
    });

    it('lets the search index see the sold-out product through the outbox', async () => {
      // The operator restocks through the API, so the index learns of it the usual way first.
      const restocked = await gql(
        `mutation { updateProduct(id: "${a6!.id}", input: { stock: 1 }) { stock } }`,
        {},
        await identityHeaders(operatorIdentity(sidogiri.id)),
      );
      expect(restocked.errors).toBeUndefined();
      await subgraph.service.indexer.drain();
      const soldOut = async () =>
        (
          await gql<{ searchProducts: { hits: { product: { id: string } }[] } }>(
            'query($q: String) { searchProducts(query: $q, filters: { inStock: false }, pageSize: 50) { hits { product { id } } } }',
            { q: a6!.nameId },
          )
        ).data!.searchProducts.hits.map((hit) => hit.product.id);
      expect(await soldOut()).not.toContain(a6!.id);
      expect((await requestOrder(cart([{ productId: a6!.id, quantity: 1 }]))).errors).toBeUndefined();
      // The order woke the indexer; draining too makes sure the event has been applied.
      await subgraph.service.indexer.drain();
      await expect.poll(soldOut).toContain(a6!.id);
    });

    it('gives no WhatsApp link when the seller has no WhatsApp number', async () => {
      await given(b4!.id, { stock: 5 });
      await subgraph.service.database.fork().nativeUpdate(Seller, { id: otherSeller.id }, { whatsapp: null });
      try {
        const response = await requestOrder(cart([{ productId: b4!.id, quantity: 1 }]));
        expect(response.errors).toBeUndefined();
        expect(response.data?.requestOrder.orders[0]!.whatsappUrl).toBeNull();
      } finally {
        await subgraph.service.database.fork().nativeUpdate(Seller, { id: otherSeller.id }, { whatsapp: otherSeller.whatsapp });
      }
    });

    it('sells the last item once when two shoppers order it at the same moment', async () => {
      await given(a3!.id, { stock: 1 });
      const before = await rows();
      const results = await Promise.all([0, 1].map(() => requestOrder(cart([{ productId: a3!.id, quantity: 1 }]))));
      const succeeded = results.filter((r) => !r.errors);
      const refused = results.filter((r) => r.errors);
      expect(succeeded).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expectError(refused[0]!, 'OUT_OF_STOCK');
      expect(refused[0]!.errors![0]!.extensions!['products']).toEqual([
        { productId: a3!.id, name: a3!.nameId, requested: 1, available: 0, field: 'input.items.0.quantity' },
      ]);
      expect(refused[0]!.errors![0]!.message).toContain(`${a3!.nameId} (0 left, 1 asked for)`);
      expect(await stockOf(a3!.id)).toEqual([0]);
      expect((await rows()).orders).toBe(before.orders + 1);
    });

    it('never sells more than there is under a crowd of concurrent shoppers', async () => {
      await given(a4!.id, { stock: 3 });
      const results = await Promise.all(Array.from({ length: 8 }, () => requestOrder(cart([{ productId: a4!.id, quantity: 1 }]))));
      expect(results.filter((r) => !r.errors)).toHaveLength(3);
      for (const refused of results.filter((r) => r.errors)) expectError(refused, 'OUT_OF_STOCK');
      expect(await stockOf(a4!.id)).toEqual([0]);
    });

    it('reserves nothing when one line falls short, and says what is left', async () => {
      await given(a5!.id, { stock: 5 });
      await given(b2!.id, { stock: 2 });
      await given(b3!.id, { stock: 0 });
      const before = await rows();
      const input = cart([
        { productId: a5!.id, quantity: 1 },
        { productId: b2!.id, quantity: 3 },
        { productId: b3!.id, quantity: 1 },
      ]);
      const response = await requestOrder(input);
      expectError(response, 'OUT_OF_STOCK');
      expect(response.errors![0]!.extensions!['products']).toEqual([
        { productId: b2!.id, name: b2!.nameId, requested: 3, available: 2, field: 'input.items.1.quantity' },
        { productId: b3!.id, name: b3!.nameId, requested: 1, available: 0, field: 'input.items.2.quantity' },
      ]);
      expect(await stockOf(a5!.id, b2!.id, b3!.id)).toEqual([5, 2, 0]);
      expect(await rows()).toEqual(before);

      // Nothing was stored under the key, so the shopper may fix the cart and send it again with it.
      const fixed = await requestOrder({ ...input, items: [{ productId: a5!.id, quantity: 1 }, { productId: b2!.id, quantity: 2 }] });
      expect(fixed.errors).toBeUndefined();
      expect(await stockOf(a5!.id, b2!.id)).toEqual([4, 0]);
    });

    it('orders nothing when a price is not the one the shopper was shown, and says the prices now', async () => {
      await given(a6!.id, { stock: 5, priceRupiah: 24_500 });
      await given(b4!.id, { stock: 5, priceRupiah: 12_000 });
      const before = await rows();
      // The shopper saw 23.500 for a6 (its price before a change); b4's is right.
      const input = cart([
        { productId: a6!.id, quantity: 2, expectedUnitPriceRupiah: 23_500 },
        { productId: b4!.id, quantity: 1, expectedUnitPriceRupiah: 12_000 },
      ]);
      const response = await requestOrder(input);
      expectError(response, 'PRICE_CHANGED');
      expect(response.errors![0]!.extensions!['products']).toEqual([
        { productId: a6!.id, name: a6!.nameId, expectedUnitPriceRupiah: 23_500, priceRupiah: 24_500, expectedUnit: null, unit: a6!.unit, expectedWeightGrams: null, weightGrams: a6!.weightGrams, field: 'input.items.0.expectedUnitPriceRupiah' },
      ]);
      // Nothing reserved, nothing written, the key free for the same cart at the price now.
      expect(await stockOf(a6!.id, b4!.id)).toEqual([5, 5]);
      expect(await rows()).toEqual(before);
      const accepted = await requestOrder({ ...input, items: [{ productId: a6!.id, quantity: 2, expectedUnitPriceRupiah: 24_500 }, { productId: b4!.id, quantity: 1, expectedUnitPriceRupiah: 12_000 }] });
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data!.requestOrder.orders.flatMap((order) => order.lines.map((line) => line.unitPriceRupiah)).sort()).toEqual([12_000, 24_500]);
      // A retry whose answer was lost finds the order placed, whatever price its page shows by then.
      const placed = await rows();
      const retried = await requestOrder({ ...input, items: [{ productId: a6!.id, quantity: 2, expectedUnitPriceRupiah: 26_000 }, { productId: b4!.id, quantity: 1 }] });
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.requestOrder.orders.map((order) => order.number)).toEqual(accepted.data!.requestOrder.orders.map((order) => order.number));
      expect(await rows()).toEqual(placed);
      // A line without an expected price is charged the price at reservation, as before.
      await given(a6!.id, { stock: 5, priceRupiah: 25_000 });
      const unchecked = await requestOrder(cart([{ productId: a6!.id, quantity: 1 }]));
      expect(unchecked.errors).toBeUndefined();
      expect(unchecked.data!.requestOrder.orders[0]!.lines[0]!.unitPriceRupiah).toBe(25_000);
    });

    it('orders nothing when the unit a price was for changed, even at the same price', async () => {
      await given(a6!.id, { stock: 5, priceRupiah: 24_500, unit: 'lusin' });
      const before = await rows();
      // The seller now sells by the piece at the dozen's price: the shopper saw 24.500 per dozen.
      await given(a6!.id, { stock: 5, unit: 'buah' });
      const input = cart([{ productId: a6!.id, quantity: 1, expectedUnitPriceRupiah: 24_500, expectedUnit: 'lusin' }]);
      const response = await requestOrder(input);
      expectError(response, 'PRICE_CHANGED');
      expect(response.errors![0]!.message).toContain('A price, unit or weight changed, so nothing was ordered');
      expect(response.errors![0]!.message).toContain('Rp 24.500 per buah now, Rp 24.500 per lusin expected');
      expect(response.errors![0]!.extensions!['products']).toEqual([
        { productId: a6!.id, name: a6!.nameId, expectedUnitPriceRupiah: 24_500, priceRupiah: 24_500, expectedUnit: 'lusin', unit: 'buah', expectedWeightGrams: null, weightGrams: a6!.weightGrams, field: 'input.items.0.expectedUnit' },
      ]);
      expect(await stockOf(a6!.id)).toEqual([5]);
      expect(await rows()).toEqual(before);
      // Price and unit both changed: the price's field is named, both are said.
      await given(a6!.id, { stock: 5, priceRupiah: 26_000 });
      const both = await requestOrder(input);
      expectError(both, 'PRICE_CHANGED');
      expect(both.errors![0]!.extensions!['products']).toMatchObject([{ priceRupiah: 26_000, unit: 'buah', expectedUnit: 'lusin', field: 'input.items.0.expectedUnitPriceRupiah' }]);
      // Letter case and spacing are not a different unit: sent as the shopper sees it now, it is ordered.
      await given(a6!.id, { stock: 5, unit: 'toples  kaca' });
      const accepted = await requestOrder({ ...input, items: [{ productId: a6!.id, quantity: 1, expectedUnitPriceRupiah: 26_000, expectedUnit: ' Toples Kaca ' }] });
      expect(accepted.errors).toBeUndefined();
      expect(accepted.data!.requestOrder.orders[0]!.lines[0]!.unitPriceRupiah).toBe(26_000);
    });

    it('orders nothing when the weight a price was for changed, even at the same price and unit', async () => {
      await given(a6!.id, { stock: 5, priceRupiah: 20_000, unit: 'toples', weightGrams: 250 });
      const before = await rows();
      // The seller now fills a 200 g jar at the 250 g jar's price.
      await given(a6!.id, { stock: 5, weightGrams: 200 });
      const input = cart([{ productId: a6!.id, quantity: 1, expectedUnitPriceRupiah: 20_000, expectedUnit: 'toples', expectedWeightGrams: 250 }]);
      const response = await requestOrder(input);
      expectError(response, 'PRICE_CHANGED');
      expect(response.errors![0]!.message).toContain('Rp 20.000 per toples of 200 g now, Rp 20.000 per toples of 250 g expected');
      expect(response.errors![0]!.extensions!['products']).toEqual([
        { productId: a6!.id, name: a6!.nameId, expectedUnitPriceRupiah: 20_000, priceRupiah: 20_000, expectedUnit: 'toples', unit: 'toples', expectedWeightGrams: 250, weightGrams: 200, field: 'input.items.0.expectedWeightGrams' },
      ]);
      expect(await stockOf(a6!.id)).toEqual([5]);
      expect(await rows()).toEqual(before);
      // Price and weight both changed: the price's field is named, both are said.
      await given(a6!.id, { stock: 5, priceRupiah: 21_000 });
      const both = await requestOrder(input);
      expectError(both, 'PRICE_CHANGED');
      expect(both.errors![0]!.message).toContain('Rp 21.000 per toples of 200 g now, Rp 20.000 per toples of 250 g expected');
      expect(both.errors![0]!.extensions!['products']).toMatchObject([{ priceRupiah: 21_000, weightGrams: 200, expectedWeightGrams: 250, field: 'input.items.0.expectedUnitPriceRupiah' }]);
      await given(a6!.id, { stock: 5, priceRupiah: 20_000 });
      // Sent with the weight it has now, it is ordered; a request that names no weight is not held to one.
      const accepted = await requestOrder({ ...input, items: [{ productId: a6!.id, quantity: 1, expectedUnitPriceRupiah: 20_000, expectedUnit: 'toples', expectedWeightGrams: 200 }] });
      expect(accepted.errors).toBeUndefined();
      // The order keeps the weight it was placed at: the seller honours the 200 g jar it says, even if the product changes again.
      await given(a6!.id, { stock: 4, weightGrams: 150 });
      const [placed] = (await gql<{ managedOrders: { nodes: Order[] } }>(`{ managedOrders(first: 1) { nodes { number ${ORDER_FIELDS} } } }`, {}, await identityHeaders(adminIdentity()))).data!.managedOrders.nodes;
      expect(placed!.number).toBe(accepted.data!.requestOrder.orders[0]!.number);
      expect(placed!.lines[0]).toMatchObject({ weightGrams: 200, unit: 'toples', unitPriceRupiah: 20_000 });
      const unweighed = await requestOrder(cart([{ productId: a6!.id, quantity: 1, expectedUnitPriceRupiah: 20_000 }]));
      expect(unweighed.errors).toBeUndefined();
    });

    it('refuses an expected weight that is no weight', async () => {
      for (const expectedWeightGrams of [0, -250, 1_000_001]) {
        const response = await requestOrder(cart([{ productId: a6!.id, quantity: 1, expectedWeightGrams }]));
        expectError(response, 'BAD_USER_INPUT', 'input.items.0.expectedWeightGrams');
      }
      // Not a whole number: GraphQL's Int refuses it before the catalogue sees it.
      expectError(await requestOrder(cart([{ productId: a6!.id, quantity: 1, expectedWeightGrams: 2.5 }])), 'BAD_USER_INPUT');
    });

    it('refuses, not charges, an order that arrives while a price change is being written', async () => {
      await given(a6!.id, { stock: 5, priceRupiah: 30_000 });
      const before = await rows();
      let ordered!: Promise<GraphQLResponse<Checkout>>;
      await subgraph.service.database.fork().transactional(async (tx) => {
        await tx.nativeUpdate(Product, { id: a6!.id }, { priceRupiah: 31_000 });
        // The shopper saw 30.000; the order arrives while the new price is written, not yet committed.
        ordered = requestOrder(cart([{ productId: a6!.id, quantity: 1, expectedUnitPriceRupiah: 30_000 }]));
        // On PostgreSQL the commit waits until the order is seen waiting for the product's row, so
        // the order has read nothing of it before (PGlite serves one session: the order runs after).
        if (engine.url) expect(await waitUntilAnUpdateOfProductWaits(engine.url)).toBe(true);
        else await new Promise((resolve) => setTimeout(resolve, 300));
      });
      const response = await ordered;
      expectError(response, 'PRICE_CHANGED');
      expect(response.errors![0]!.extensions!['products']).toMatchObject([{ productId: a6!.id, expectedUnitPriceRupiah: 30_000, priceRupiah: 31_000 }]);
      expect(await stockOf(a6!.id)).toEqual([5]);
      expect(await rows()).toEqual(before);
    });

    it('never charges a price the shopper was not shown while prices change under a stream of orders', async () => {
      // Orders at the price shown and price changes, sent together: whichever lands first, an order
      // is either placed at the price its shopper saw or refused with the price now.
      await given(a6!.id, { stock: 50, priceRupiah: 40_000 });
      const outcomes = { placed: 0, refused: 0 };
      for (let round = 0; round < 12; round++) {
        const shown = 40_000 + round * 100;
        await subgraph.service.database.fork().nativeUpdate(Product, { id: a6!.id }, { priceRupiah: shown });
        const [response] = await Promise.all([
          requestOrder(cart([{ productId: a6!.id, quantity: 1, expectedUnitPriceRupiah: shown }])),
          new Promise((resolve) => setTimeout(resolve, randomInt(4))).then(() => subgraph.service.database.fork().nativeUpdate(Product, { id: a6!.id }, { priceRupiah: shown + 50 })),
        ]);
        if (response.errors) {
          expectError(response, 'PRICE_CHANGED');
          expect(response.errors[0]!.extensions!['products']).toMatchObject([{ priceRupiah: shown + 50 }]);
          outcomes.refused++;
        } else {
          expect(response.data!.requestOrder.orders[0]!.lines[0]!.unitPriceRupiah).toBe(shown);
          outcomes.placed++;
        }
      }
      expect(outcomes.placed + outcomes.refused).toBe(12);
      // Each placed order holds one unit, each refused one none.
      expect(await stockOf(a6!.id)).toEqual([50 - outcomes.placed]);
    });

    it('refuses an expected unit that is no unit', async () => {
      for (const expectedUnit of ['', '   ', 'x'.repeat(31)]) {
        const response = await requestOrder(cart([{ productId: a6!.id, quantity: 1, expectedUnit }]));
        expectError(response, 'BAD_USER_INPUT', 'input.items.0.expectedUnit');
      }
    });

    it('refuses an expected price that is no price', async () => {
      for (const expectedUnitPriceRupiah of [0, -5]) {
        const response = await requestOrder(cart([{ productId: a6!.id, quantity: 1, expectedUnitPriceRupiah }]));
        expectError(response, 'BAD_USER_INPUT', 'input.items.0.expectedUnitPriceRupiah');
      }
    });

    it('moves stock through one service that records an outbox event with each product row it changes', async () => {
      await given(a5!.id, { stock: 5 });
      await given(b2!.id, { stock: 1 });
      const before = await rows();
      const stock = (work: (service: StockService) => Promise<unknown>) => subgraph.service.database.fork().transactional((tx) => work(new StockService(tx)));
      expect(await stock((service) => service.reserve([{ productId: b2!.id, quantity: 3 }, { productId: a5!.id, quantity: 2 }]))).toEqual([b2!.id]);
      expect(await stockOf(a5!.id, b2!.id)).toEqual([3, 1]);
      expect((await rows()).outbox).toBe(before.outbox + 1);
      await stock((service) => service.release([{ productId: a5!.id, quantity: 2 }]));
      expect(await stockOf(a5!.id)).toEqual([5]);
      expect((await rows()).outbox).toBe(before.outbox + 2);
    });

    it('returns the same checkout when a request is retried, and reserves once', async () => {
      await given(a1!.id, { stock: 10 });
      const input = cart([{ productId: a1!.id, quantity: 2 }, { productId: b1!.id, quantity: 1 }], { paymentMethod: 'BANK_TRANSFER' });
      const first = await requestOrder(input);
      expect(first.errors).toBeUndefined();
      const after = await rows();
      const stock = await stockOf(a1!.id, b1!.id);
      expect(stock[0]).toBe(8);

      // The same request, typed differently: the phone in international form, the cart in another order.
      const retried = await requestOrder({ ...input, buyerPhone: input.buyerPhone.replace(/^0/, '+62 ').replaceAll('-', ' '), items: [...input.items].reverse() });
      expect(retried.errors).toBeUndefined();
      expect(retried.data?.requestOrder.orders.map((o) => o.number)).toEqual(first.data?.requestOrder.orders.map((o) => o.number));
      expect(retried.data?.requestOrder.orders.map((o) => o.id)).toEqual(first.data?.requestOrder.orders.map((o) => o.id));
      expect(retried.data?.requestOrder.totalRupiah).toBe(first.data?.requestOrder.totalRupiah);
      expect(retried.data?.requestOrder.orders[0]!.lines.map((l) => l.quantity)).toEqual([2]);
      expect(await stockOf(a1!.id, b1!.id)).toEqual(stock);
      expect(await rows()).toEqual(after);
    });

    it('makes one checkout of concurrent duplicates', async () => {
      await given(a1!.id, { stock: 10 });
      const before = await rows();
      const input = cart([{ productId: a1!.id, quantity: 1 }]);
      const results = await Promise.all(Array.from({ length: 5 }, () => requestOrder(input)));
      for (const result of results) expect(result.errors).toBeUndefined();
      expect(new Set(results.map((r) => r.data!.requestOrder.orders[0]!.number)).size).toBe(1);
      expect(await stockOf(a1!.id)).toEqual([9]);
      expect((await rows()).checkouts).toBe(before.checkouts + 1);
      expect((await rows()).orders).toBe(before.orders + 1);
    });

    it('refuses a different cart under a used idempotency key', async () => {
      await given(a1!.id, { stock: 10 });
      const input = cart([{ productId: a1!.id, quantity: 1 }]);
      expect((await requestOrder(input)).errors).toBeUndefined();
      const before = await rows();
      expectError(await requestOrder({ ...input, items: [{ productId: a1!.id, quantity: 2 }] }), 'CONFLICT', 'input.idempotencyKey');
      expectError(await requestOrder({ ...input, deliveryAddress: 'Jl. Lain No. 9, Pasuruan' }), 'CONFLICT', 'input.idempotencyKey');
      expect(await stockOf(a1!.id)).toEqual([9]);
      expect(await rows()).toEqual(before);
    });

    it.each([
      ['a landline-like phone', { buyerPhone: '031-123' }, 'input.buyerPhone'],
      ['a foreign phone', { buyerPhone: '+1 202 555 0199' }, 'input.buyerPhone'],
      ['an empty cart', { items: [] }, 'input.items'],
      ['a quantity of 0', { items: [{ productId: a1!.id, quantity: 0 }] }, 'input.items.0.quantity'],
      ['a quantity of 51', { items: [{ productId: a1!.id, quantity: 51 }] }, 'input.items.0.quantity'],
      ['201 units in all', { items: [a1, a2, a3, a4, a5].map((p) => ({ productId: p!.id, quantity: 41 })) }, 'input.items'],
      ['an unknown product', { items: [{ productId: randomUUID(), quantity: 1 }] }, 'input.items.0.productId'],
      ['a draft product', { items: [{ productId: a1!.id, quantity: 1 }, { productId: draft.id, quantity: 1 }] }, 'input.items.1.productId'],
      ['a malformed product id', { items: [{ productId: "1' or '1'='1", quantity: 1 }] }, 'input.items.0.productId'],
      ['a product listed twice', { items: [{ productId: a1!.id, quantity: 1 }, { productId: a1!.id, quantity: 2 }] }, 'input.items.1.productId'],
      ['21 lines', { items: Array.from({ length: 21 }, () => ({ productId: randomUUID(), quantity: 1 })) }, 'input.items'],
      ['a key that is not a UUID', { idempotencyKey: 'checkout-1' }, 'input.idempotencyKey'],
      ['a one-letter name', { buyerName: ' S ' }, 'input.buyerName'],
      ['a short address', { deliveryAddress: 'Pasuruan' }, 'input.deliveryAddress'],
      ['a long note', { note: 'n'.repeat(501) }, 'input.note'],
      ['a cart above two billion rupiah', { items: [{ productId: b1!.id, quantity: 50 }], priceOf: 41_000_000 }, 'input.items'],
    ])('refuses %s as BAD_USER_INPUT and writes nothing', async (_name, change, field) => {
      const { priceOf, ...overrides } = change as Record<string, unknown> & { priceOf?: number };
      await given(a1!.id, { stock: 10 });
      await given(b1!.id, { stock: 1_000, ...(priceOf ? { priceRupiah: priceOf } : {}) });
      const before = await rows();
      expectError(await requestOrder(cart([{ productId: a1!.id, quantity: 1 }], overrides)), 'BAD_USER_INPUT', field);
      expect(await rows()).toEqual(before);
      expect(await stockOf(a1!.id, b1!.id)).toEqual([10, 1_000]);
    });
  });

  describe.skipIf(Boolean(engine.skip))('after the order: status links, payment details, expiry, limits', () => {
    const STATUS = `query($token: String!) { orderStatus(token: $token) { id number status statusToken reservedUntil decidedAt cancelReason totalRupiah paymentMethod
      lines { productName quantity } payment { bankAccount { bankName accountNumber accountHolder } qris { merchantName payload svg } } } }`;
    type StatusView = { id: string; number: string; status: string; statusToken: string | null; reservedUntil: string; decidedAt: string | null; payment: { bankAccount: Record<string, string> | null; qris: { merchantName: string; payload: string; svg: string } | null } | null };
    const statusOf = async (token: string) => (await gql<{ orderStatus: StatusView | null }>(STATUS, { token })).data?.orderStatus ?? null;
    const PLACE = `mutation($input: OrderRequestInput!) { requestOrder(input: $input) { orders { id number statusToken reservedUntil status } } }`;
    const place = (input: Record<string, unknown>, headers: Record<string, string> = {}) =>
      gql<{ requestOrder: { orders: { id: string; number: string; statusToken: string | null; reservedUntil: string; status: string }[] } }>(PLACE, { input }, headers);
    const SET_PAYMENT = `mutation($sellerId: ID!, $input: SellerPaymentInput!) { setSellerPaymentDetails(sellerId: $sellerId, input: $input) {
      id paymentDetails { bankAccount { bankName accountNumber accountHolder } qris { merchantName } } } }`;
    const setPayment = (sellerId: string, input: Record<string, unknown>, headers: Record<string, string>) => gql(SET_PAYMENT, { sellerId, input }, headers);

    it('gives the shopper a private status link per order, the same on a retry, and nobody else the token', async () => {
      await given(a1!.id, { stock: 10 });
      await given(b1!.id, { stock: 10 });
      const input = cart([{ productId: a1!.id, quantity: 1 }, { productId: b1!.id, quantity: 1 }]);
      const first = (await place(input)).data!.requestOrder.orders;
      expect(first).toHaveLength(2);
      for (const order of first) expect(order.statusToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(new Set(first.map((o) => o.statusToken)).size).toBe(2);
      // A retry after a lost answer must hand back working links, not new ones.
      expect((await place(input)).data!.requestOrder.orders.map((o) => o.statusToken)).toEqual(first.map((o) => o.statusToken));

      const seen = await statusOf(first[0]!.statusToken!);
      expect(seen).toMatchObject({ id: first[0]!.id, number: first[0]!.number, status: 'REQUESTED', decidedAt: null, payment: null });
      const hours = (Date.parse(seen!.reservedUntil) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(47.9);
      expect(hours).toBeLessThanOrEqual(48);

      // The seller's operators manage the order but do not get the shopper's link.
      const operator = await identityHeaders(operatorIdentity(sidogiri.id));
      const managed = await gql<{ managedOrders: { nodes: { id: string; statusToken: string | null }[] } }>('{ managedOrders(first: 100) { nodes { id statusToken } } }', {}, operator);
      expect(managed.data!.managedOrders.nodes.find((o) => o.id === first[0]!.id)).toEqual({ id: first[0]!.id, statusToken: null });
      // Buyer details stay hidden from the link's holder, as from every shopper.
      const personal = await gql(`query($token: String!) { orderStatus(token: $token) { buyerPhone } }`, { token: first[0]!.statusToken });
      expectError(personal, 'UNAUTHENTICATED');
    });

    it('finds nothing for a token nobody was given, however it is shaped', async () => {
      await given(a1!.id, { stock: 10 });
      const [order] = (await place(cart([{ productId: a1!.id, quantity: 1 }]))).data!.requestOrder.orders;
      const token = order!.statusToken!;
      const flip = (c: string) => (c === 'A' ? 'B' : 'A');
      for (const guess of [token.slice(0, -1) + flip(token.at(-1)!), token.slice(0, 42), `${token}x`, token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase(), '', "' or 1=1 --", order!.id, order!.number]) {
        expect(await statusOf(guess), guess).toBeNull();
      }
    });

    it('shows the seller’s bank account for a transfer and its QRIS for QRIS, set by its own operators only', async () => {
      const { sampleQris } = await import('../../../packages/identifiers/test/qris-sample.ts');
      const operator = await identityHeaders(operatorIdentity(sidogiri.id));
      const otherOperator = await identityHeaders(operatorIdentity(otherSeller.pesantrenId));
      const qris = sampleQris();

      expectError(await setPayment(sidogiriSeller.id, { bankName: 'BSI' }, {}), 'UNAUTHENTICATED');
      expectError(await setPayment(sidogiriSeller.id, { bankName: 'BSI', bankAccountNumber: '7123456789', bankAccountHolder: 'Kopontren Sidogiri' }, otherOperator), 'FORBIDDEN');
      expectError(await setPayment(sidogiriSeller.id, { bankName: 'BSI', bankAccountNumber: '7123456789' }, operator), 'BAD_USER_INPUT', 'input.bankAccountHolder');
      expectError(await setPayment(sidogiriSeller.id, { bankName: 'BSI', bankAccountNumber: '71-23', bankAccountHolder: 'Kopontren' }, operator), 'BAD_USER_INPUT', 'input.bankAccountNumber');
      expectError(await setPayment(sidogiriSeller.id, { qrisPayload: qris.slice(0, -1) + (qris.endsWith('0') ? '1' : '0') }, operator), 'BAD_USER_INPUT', 'input.qrisPayload');
      expect((await subgraph.service.database.fork().findOne(Seller, { id: sidogiriSeller.id }))!.bankName).toBeNull();

      const set = await setPayment(sidogiriSeller.id, { bankName: 'BSI', bankAccountNumber: '712 345-6789', bankAccountHolder: 'Kopontren Sidogiri', qrisPayload: `${qris}\n` }, operator);
      expect(set.errors).toBeUndefined();
      expect(set.data).toEqual({
        setSellerPaymentDetails: { id: sidogiriSeller.id, paymentDetails: { bankAccount: { bankName: 'BSI', accountNumber: '7123456789', accountHolder: 'Kopontren Sidogiri' }, qris: { merchantName: 'KOPONTREN SIDOGIRI' } } },
      });
      expectError(await gql(`query($id: ID) { seller(id: $id) { paymentDetails { bankAccount { accountNumber } } } }`, { id: sidogiriSeller.id }, otherOperator), 'FORBIDDEN');

      await given(a1!.id, { stock: 10 });
      const orderWith = async (paymentMethod: string) => (await place(cart([{ productId: a1!.id, quantity: 1 }], { paymentMethod }))).data!.requestOrder.orders[0]!.statusToken!;
      const byTransfer = (await statusOf(await orderWith('BANK_TRANSFER')))!.payment!;
      expect(byTransfer.bankAccount).toEqual({ bankName: 'BSI', accountNumber: '7123456789', accountHolder: 'Kopontren Sidogiri' });
      expect(byTransfer.qris?.merchantName).toBe('KOPONTREN SIDOGIRI');
      const byQris = (await statusOf(await orderWith('QRIS')))!.payment!;
      expect(byQris.bankAccount?.accountNumber).toBe('7123456789');
      expect(byQris.qris).toMatchObject({ merchantName: 'KOPONTREN SIDOGIRI', payload: qris });
      expect(byQris.qris!.svg).toMatch(/^<svg[^>]*viewBox/);
      expect(byQris.qris!.svg).not.toMatch(/<script|on\w+=/i);
      expect((await statusOf(await orderWith('COD')))!.payment).toBeNull();

      // Only a QRIS left: a transfer order shows it (the buyer may pay that way); cleared, the shopper asks over WhatsApp (payment null).
      expect((await setPayment(sidogiriSeller.id, { qrisPayload: qris }, operator)).errors).toBeUndefined();
      expect((await statusOf(await orderWith('BANK_TRANSFER')))!.payment).toMatchObject({ bankAccount: null, qris: { merchantName: 'KOPONTREN SIDOGIRI' } });
      expect((await setPayment(sidogiriSeller.id, { bankName: '', bankAccountNumber: '', bankAccountHolder: '', qrisPayload: null }, operator)).errors).toBeUndefined();
      expect((await statusOf(await orderWith('BANK_TRANSFER')))!.payment).toBeNull();
    });

    it('expires an unconfirmed order after its reservation, returns the stock once, and refuses to confirm it late', async () => {
      // Earlier tests' open orders are held far ahead, so only this test's orders fall due here.
      await subgraph.service.database.fork().nativeUpdate(OrderRequest, { status: 'REQUESTED' }, { reservedUntil: new Date('2100-01-01T00:00:00Z') });
      const operator = await identityHeaders(operatorIdentity(sidogiri.id));
      await given(a6!.id, { stock: 5 });
      const [order] = (await place(cart([{ productId: a6!.id, quantity: 3 }]))).data!.requestOrder.orders;
      expect(await stockOf(a6!.id)).toEqual([2]);
      const due = new Date(Date.parse(order!.reservedUntil) + 1_000);

      await expireDueOrders(subgraph.service.database, new Date(Date.parse(order!.reservedUntil) - 1_000));
      expect((await statusOf(order!.statusToken!))!.status).toBe('REQUESTED');
      expect(await stockOf(a6!.id)).toEqual([2]);
      // The job and an operator's cancellation at the same moment: one of them ends it, and the stock returns once.
      const [, cancelled] = await Promise.all([
        expireDueOrders(subgraph.service.database, due),
        gql<{ cancelOrderRequest: { status: string } }>(`mutation($id: ID!) { cancelOrderRequest(id: $id, reason: "Stok dipakai") { status } }`, { id: order!.id }, operator),
      ]);
      const view = await statusOf(order!.statusToken!);
      if (cancelled.errors) expectError(cancelled, 'CONFLICT');
      expect(view!.status).toBe(cancelled.errors ? 'EXPIRED' : 'CANCELLED');
      expect(view!.decidedAt).not.toBeNull();
      expect(await stockOf(a6!.id)).toEqual([5]);
      expect(await expireDueOrders(subgraph.service.database, due)).toBe(0);
      expect(await stockOf(a6!.id)).toEqual([5]);

      // Past its time but not yet swept: it cannot be confirmed either.
      await given(a6!.id, { stock: 5 });
      const [late] = (await place(cart([{ productId: a6!.id, quantity: 1 }]))).data!.requestOrder.orders;
      await subgraph.service.database.fork().nativeUpdate(OrderRequest, { id: late!.id }, { reservedUntil: new Date(Date.now() - 1_000) });
      const refused = await gql(`mutation($id: ID!) { confirmOrderRequest(id: $id) { status } }`, { id: late!.id }, operator);
      expectError(refused, 'CONFLICT');
      expect(refused.errors![0]!.message).toContain('reservation ran out');
      expect(await expireDueOrders(subgraph.service.database, new Date())).toBe(1);
      expect((await statusOf(late!.statusToken!))!.status).toBe('EXPIRED');
      expect(await stockOf(a6!.id)).toEqual([5]);
    });

    it('limits the unconfirmed orders of one phone, also when they are sent all at once, and writes nothing when it refuses', async () => {
      await given(b4!.id, { stock: 100 });
      const phone = newPhone();
      const before = await rows();
      const results = await Promise.all(Array.from({ length: 9 }, () => place(cart([{ productId: b4!.id, quantity: 1 }], { buyerPhone: phone }))));
      const placed = results.filter((r) => !r.errors);
      expect(placed).toHaveLength(DEFAULT_ORDER_POLICY.openCheckoutsPerPhone);
      for (const refused of results.filter((r) => r.errors)) {
        expectError(refused, 'RATE_LIMITED');
        expect(refused.errors![0]!.extensions).toMatchObject({ limit: 'PHONE_OPEN' });
        expect(refused.errors![0]!.extensions!['retryAfterSeconds']).toBeGreaterThan(0);
      }
      expect(await stockOf(b4!.id)).toEqual([100 - DEFAULT_ORDER_POLICY.openCheckoutsPerPhone]);
      expect((await rows()).checkouts).toBe(before.checkouts + DEFAULT_ORDER_POLICY.openCheckoutsPerPhone);
      // The phone typed another way is the same phone.
      const typedAgain = phone.replace(/^0/, '+62 ').replaceAll('-', ' ');
      expectError(await place(cart([{ productId: b4!.id, quantity: 1 }], { buyerPhone: typedAgain })), 'RATE_LIMITED');
      // Once the seller confirms one, the shopper may order again.
      const operator = await identityHeaders(operatorIdentity(otherSeller.pesantrenId));
      await gql(`mutation($id: ID!) { confirmOrderRequest(id: $id) { status } }`, { id: placed[0]!.data!.requestOrder.orders[0]!.id }, operator);
      expect((await place(cart([{ productId: b4!.id, quantity: 1 }], { buyerPhone: phone }))).errors).toBeUndefined();
    });

    it('limits checkouts per phone a day and per network an hour, whoever the phone', async () => {
      await given(b4!.id, { stock: 100 });
      const operator = await identityHeaders(operatorIdentity(otherSeller.pesantrenId));
      const phone = newPhone();
      const confirm = (id: string) => gql(`mutation($id: ID!) { confirmOrderRequest(id: $id) { status } }`, { id }, operator);
      for (let i = 0; i < DEFAULT_ORDER_POLICY.checkoutsPerPhonePerDay; i++) {
        const result = await place(cart([{ productId: b4!.id, quantity: 1 }], { buyerPhone: phone }));
        expect(result.errors, `checkout ${i + 1}`).toBeUndefined();
        await confirm(result.data!.requestOrder.orders[0]!.id);
      }
      const refused = await place(cart([{ productId: b4!.id, quantity: 1 }], { buyerPhone: phone }));
      expectError(refused, 'RATE_LIMITED');
      expect(refused.errors![0]!.extensions).toMatchObject({ limit: 'PHONE_DAILY' });

      // One network, a new phone each time (what the probe did: 642 orders in a minute from one address).
      const network = visitorHeaders({ id: 'v1', network: `net-${randomUUID().slice(0, 8)}` });
      const fromNetwork = [];
      for (let i = 0; i < DEFAULT_ORDER_POLICY.checkoutsPerNetworkPerHour + 3; i++) fromNetwork.push(await place(cart([{ productId: b4!.id, quantity: 1 }]), network));
      expect(fromNetwork.filter((r) => !r.errors)).toHaveLength(DEFAULT_ORDER_POLICY.checkoutsPerNetworkPerHour);
      for (const r of fromNetwork.slice(DEFAULT_ORDER_POLICY.checkoutsPerNetworkPerHour)) expect(r.errors![0]!.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'NETWORK_HOURLY' });
      // Another network is not affected.
      expect((await place(cart([{ productId: b4!.id, quantity: 1 }]), visitorHeaders({ id: 'v2', network: `net-${randomUUID().slice(0, 8)}` }))).errors).toBeUndefined();
    });
  });

  describe.skipIf(Boolean(engine.skip))('operators and admins', () => {
    type Page = { managedOrders: { totalCount: number; nodes: Order[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } };
    const MANAGED = `query($first: Int, $after: String, $status: OrderStatus) {
      managedOrders(first: $first, after: $after, status: $status) { totalCount nodes { ${ORDER_FIELDS} } pageInfo { endCursor hasNextPage } } }`;
    const managed = async (headers: Record<string, string>, variables: Record<string, unknown> = { first: 100 }) => gql<Page>(MANAGED, variables, headers);
    const decide = async (mutation: string, id: string, headers: Record<string, string>, extra = '') =>
      gql<Record<string, Order>>(`mutation($id: ID!) { ${mutation}(id: $id${extra}) { ${ORDER_FIELDS} } }`, { id }, headers);

    it('keeps orders from anyone who is not their seller’s operator or an admin', async () => {
      expectError(await gql(MANAGED, { first: 10 }), 'UNAUTHENTICATED');
      // No other query returns orders (buyer details are personal data), but the one a status link opens, whose buyer details stay hidden.
      const { data } = await gql<{ __schema: { queryType: { fields: { name: string; type: { name: string | null; ofType: { name: string | null } | null } }[] } } }>(
        '{ __schema { queryType { fields { name type { name ofType { name } } } } } }',
      );
      const orderReturning = data!.__schema.queryType.fields.filter((field) => /^Order/.test(field.type.name ?? field.type.ofType?.name ?? ''));
      expect(orderReturning.map((field) => field.name).sort()).toEqual(['managedOrders', 'orderStatus']);
      const entities = await gql('query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ __typename: 'OrderRequest', id: randomUUID() }] });
      expect(entities.errors).toBeDefined();
    });

    it('shows an operator their own pesantren’s orders only, and admins every order', async () => {
      await given(a1!.id, { stock: 20 });
      await given(b1!.id, { stock: 20 });
      const placed = await requestOrder(cart([{ productId: a1!.id, quantity: 1 }, { productId: b1!.id, quantity: 1 }], { buyerPhone: '0812-3456-7890' }));
      const [own, foreign] = placed.data!.requestOrder.orders as [Order, Order];

      const operator = await managed(await identityHeaders(operatorIdentity(sidogiri.id)));
      expect(operator.errors).toBeUndefined();
      const operatorIds = operator.data!.managedOrders.nodes.map((o) => o.id);
      expect(operatorIds).toContain(own.id);
      expect(operatorIds).not.toContain(foreign.id);
      expect(operator.data!.managedOrders.nodes.every((o) => sidogiriSellers.some((s) => s.id === o.seller.id))).toBe(true);
      expect(operator.data!.managedOrders.nodes[0]).toMatchObject({ id: own.id, buyerPhone: '6281234567890', lines: [{ quantity: 1 }] });

      const admin = await managed(await identityHeaders(adminIdentity()));
      const total = await subgraph.service.database.fork().count(OrderRequest, {});
      expect(admin.data!.managedOrders.totalCount).toBe(total);
      expect(admin.data!.managedOrders.nodes.map((o) => o.id)).toEqual(expect.arrayContaining([own.id, foreign.id]));

      // Pages newest first, each order exactly once.
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: GraphQLResponse<Page> = await managed(await identityHeaders(adminIdentity()), { first: 4, after });
        seen.push(...page.data!.managedOrders.nodes.map((o) => o.id));
        after = page.data!.managedOrders.pageInfo.hasNextPage ? page.data!.managedOrders.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
    });

    it('confirms and cancels, returning the reserved stock once', async () => {
      const operator = await identityHeaders(operatorIdentity(sidogiri.id));
      const otherOperator = await identityHeaders(operatorIdentity(otherSeller.pesantrenId));
      await given(a2!.id, { stock: 5 });
      const placed = await requestOrder(cart([{ productId: a2!.id, quantity: 4 }]));
      const order = placed.data!.requestOrder.orders[0]!;
      expect(await stockOf(a2!.id)).toEqual([1]);

      expectError(await decide('confirmOrderRequest', order.id, {}), 'UNAUTHENTICATED');
      expectError(await decide('confirmOrderRequest', order.id, otherOperator), 'FORBIDDEN');
      expectError(await decide('confirmOrderRequest', randomUUID(), operator), 'NOT_FOUND');
      expectError(await decide('confirmOrderRequest', 'not-an-id', operator), 'BAD_USER_INPUT', 'id');
      const confirmed = await decide('confirmOrderRequest', order.id, operator);
      expect(confirmed.data?.['confirmOrderRequest']?.status).toBe('CONFIRMED');
      expectError(await decide('confirmOrderRequest', order.id, operator), 'CONFLICT');

      const confirmedOnly = await managed(operator, { first: 100, status: 'CONFIRMED' });
      expect(confirmedOnly.data!.managedOrders.nodes.map((o) => o.id)).toEqual([order.id]);

      const before = await rows();
      expectError(await decide('cancelOrderRequest', order.id, operator, ', reason: ""'), 'BAD_USER_INPUT', 'reason');
      const cancels = await Promise.all([0, 1].map(() => decide('cancelOrderRequest', order.id, operator, ', reason: "Pembeli membatalkan"')));
      expect(cancels.filter((c) => !c.errors)).toHaveLength(1);
      expectError(cancels.find((c) => c.errors)!, 'CONFLICT');
      expect(cancels.find((c) => !c.errors)!.data?.['cancelOrderRequest']).toMatchObject({ status: 'CANCELLED', cancelReason: 'Pembeli membatalkan' });
      expect(await stockOf(a2!.id)).toEqual([5]);
      // The returned stock reaches the index like any other stock change.
      expect((await rows()).outbox).toBe(before.outbox + 1);
      expectError(await decide('confirmOrderRequest', order.id, operator), 'CONFLICT');
    });

    it('lets an admin cancel any order', async () => {
      await given(b2!.id, { stock: 2 });
      const placed = await requestOrder(cart([{ productId: b2!.id, quantity: 2 }]));
      const cancelled = await decide('cancelOrderRequest', placed.data!.requestOrder.orders[0]!.id, await identityHeaders(adminIdentity()), ', reason: "Stok rusak"');
      expect(cancelled.data?.['cancelOrderRequest']?.status).toBe('CANCELLED');
      expect(await stockOf(b2!.id)).toEqual([2]);
    });

    it('lets `npm run seed` replace a catalogue that has orders', async () => {
      expect((await rows()).orders).toBeGreaterThan(0);
      await loadCatalogue(subgraph.service.database.fork(), world);
      expect(await rows()).toMatchObject({ checkouts: 0, orders: 0, lines: 0 });
    });
  });
});
