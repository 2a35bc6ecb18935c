import { randomUUID } from 'node:crypto';
import { generateWorld, type CurationStatus, type DemoWorld, type ProductRecord, type SellerRecord } from '@opop/demo-data';
import { adminIdentity, countQueries, identityHeaders, operatorIdentity, testEngines, type GraphQLResponse } from '@opop/server-kit/testing';
import { expectError, useTestSubgraph } from '@opop/server-kit/test-harness';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../seeders/catalogue.seeder.ts';
import { createCatalogueService } from '../src/app.ts';
import { EMBEDDED_SEARCH } from '../src/config.ts';
import { OrderCheckout, OrderRequest, type OrderStatus } from '../src/modules/order/order.entity.ts';
import { isoWeekOf, lastWeeks } from '../src/modules/programme/weeks.ts';

/**
 * The programme office's figures (`programmeStatistics`) on a small world whose every figure is
 * worked out by hand below, then on the demo world, computed from its records. Years and weeks
 * are WIB (UTC+7): a step at 18:00 UTC on 31 December is in the next year.
 */
const demo = generateWorld('demo');
/** Saturday 5 December 2026, 09:00 WIB: the current ISO week is 2026-W49, from Monday 30 November. */
const NOW = new Date('2026-12-05T02:00:00.000Z');

const P1 = randomUUID();
const P2 = randomUUID();
const P3 = randomUUID();
const P4 = randomUUID();
const seller = (pesantrenId: string, regencyCode: string, name: string): SellerRecord => ({
  id: randomUUID(),
  pesantrenId,
  name,
  slug: `${name.toLowerCase().replaceAll(' ', '-')}-${randomUUID().slice(0, 6)}`,
  pillar: 'PESANTRENPRENEUR',
  regencyCode,
  whatsapp: '6281234567890',
  descriptionId: 'Usaha uji untuk angka program.',
  descriptionEn: 'A test business for the programme figures.',
  createdAt: new Date('2018-01-01T00:00:00Z'),
});
// P1 sells in Gresik (3525) and Surabaya (3578); P2 in Gresik; P3 in Jombang (3517); P4 in Kediri (3506), with nothing to sell.
const S1 = seller(P1, '3525', 'Kopontren Satu');
const S2 = seller(P1, '3578', 'Alumni Satu Surabaya');
const S3 = seller(P2, '3525', 'Kopontren Dua');
const S4 = seller(P3, '3517', 'Kopontren Tiga');
const S5 = seller(P4, '3506', 'Kopontren Empat');

/** A product whose curation went through `steps` (status and time), ending in the last one's status. */
const product = (owner: SellerRecord, name: string, steps: [CurationStatus, string][]): ProductRecord => {
  let from: CurationStatus = 'DRAFT';
  const history = steps.map(([to, at]) => {
    const event = { fromStatus: from, toStatus: to, note: null, actor: to === 'SUBMITTED' ? 'test-operator' : 'test-admin', at: new Date(at) };
    from = to;
    return event;
  });
  return {
    id: randomUUID(),
    sellerId: owner.id,
    categorySlug: 'kerajinan',
    slug: `${name.toLowerCase().replaceAll(' ', '-')}-${randomUUID().slice(0, 6)}`,
    nameId: name,
    nameEn: name,
    descriptionId: 'Produk uji untuk angka program.',
    descriptionEn: 'A test product for the programme figures.',
    priceRupiah: 10_000,
    stock: 10,
    unit: 'buah',
    weightGrams: 100,
    halalCertificateNumber: null,
    halalSelfDeclared: false,
    bpomNumber: null,
    pirtNumber: null,
    sniCertificateNumber: null,
    status: from,
    viewCount: 0,
    history,
    createdAt: new Date('2018-01-02T00:00:00Z'),
    updatedAt: new Date('2018-01-02T00:00:00Z'),
  };
};
const featuring = (at: string): [CurationStatus, string][] => [
  ['SUBMITTED', at.replace(/T.*/, 'T00:00:00Z')],
  ['IN_REVIEW', at.replace(/T.*/, 'T00:30:00Z')],
  ['FEATURED', at],
];
const PRODUCTS = [
  // 2019; featured today.
  product(S1, 'Produk A', featuring('2019-06-01T03:00:00Z')),
  // 2020, reopened after an edit, featured again in 2021: counts in 2020 only; featured today.
  product(S1, 'Produk B', [...featuring('2020-03-10T03:00:00Z'), ['SUBMITTED', '2020-05-01T03:00:00Z'], ['IN_REVIEW', '2021-01-20T03:00:00Z'], ['FEATURED', '2021-02-01T03:00:00Z']]),
  // 2021, sent back for revision in 2022: counts in 2021, not featured today.
  product(S2, 'Produk C', [...featuring('2021-08-01T03:00:00Z'), ['NEEDS_REVISION', '2022-01-10T03:00:00Z']]),
  // 18:00 UTC on 31 December 2022 is 01:00 WIB on 1 January 2023: counts in 2023; featured today.
  product(S3, 'Produk D', featuring('2022-12-31T18:00:00Z')),
  // 2018, before the programme's first target year: the years start there; featured today.
  product(S3, 'Produk E', featuring('2018-11-20T03:00:00Z')),
  // 2024 (29 February); featured today, sold in Surabaya by P1's alumni business.
  product(S2, 'Produk I', featuring('2024-02-29T03:00:00Z')),
  // Never featured.
  product(S4, 'Produk F', [['SUBMITTED', '2025-01-01T03:00:00Z']]),
  product(S4, 'Produk G', [['SUBMITTED', '2025-01-01T03:00:00Z'], ['IN_REVIEW', '2025-01-02T03:00:00Z']]),
  product(S2, 'Produk H', []),
];
const small: DemoWorld = { ...demo, sellers: [S1, S2, S3, S4, S5], products: PRODUCTS };

/** Orders around the weeks of NOW: [when, status, total]. */
const ORDERS: [string, OrderStatus, number][] = [
  ['2026-11-29T17:00:00Z', 'REQUESTED', 100_000], // Monday 30 Nov 00:00 WIB: W49
  ['2026-12-05T01:00:00Z', 'CANCELLED', 20_000], // Saturday 5 Dec: W49
  ['2026-11-29T16:59:59Z', 'CONFIRMED', 250_000], // Sunday 29 Nov 23:59:59 WIB: W48
  ['2026-11-24T03:00:00Z', 'CANCELLED', 40_000], // W48
  ['2026-11-25T03:00:00Z', 'CONFIRMED', 1_500_000_000], // W48: with the next, more than an Int holds
  ['2026-11-26T03:00:00Z', 'CONFIRMED', 1_500_000_000], // W48
  ['2026-11-10T03:00:00Z', 'REQUESTED', 75_000], // W46; W47 has none
  ['2026-11-08T10:00:00Z', 'CONFIRMED', 999], // Sunday 8 Nov 17:00 WIB: W45, before the last four weeks
];

const FIGURES = `query($weeks: Int) {
  programmeStatistics {
    asOf
    featuredByYear { year featured stillFeatured target }
    featuredProductTarget featuredProducts pesantrenWithFeaturedProduct pesantrenTarget pesantrenTargetYear
    byRegency { regencyCode regency { code } pesantrenWithSellers pesantrenWithFeaturedProduct featuredProducts }
    ordersByWeek(weeks: $weeks) { weekStart isoWeek orders valueRupiah byStatus { status orders valueRupiah } }
  }
}`;
type Figures = {
  programmeStatistics: {
    asOf: string;
    featuredByYear: { year: number; featured: number; stillFeatured: number; target: number | null }[];
    featuredProductTarget: number;
    featuredProducts: number;
    pesantrenWithFeaturedProduct: number;
    pesantrenTarget: number;
    pesantrenTargetYear: number;
    byRegency: { regencyCode: string; regency: { code: string }; pesantrenWithSellers: number; pesantrenWithFeaturedProduct: number; featuredProducts: number }[];
    ordersByWeek: { weekStart: string; isoWeek: string; orders: number; valueRupiah: number; byStatus: { status: OrderStatus; orders: number; valueRupiah: number }[] }[];
  };
};

const tally = (requested: [number, number], confirmed: [number, number], cancelled: [number, number]) => [
  { status: 'REQUESTED', orders: requested[0], valueRupiah: requested[1] },
  { status: 'CONFIRMED', orders: confirmed[0], valueRupiah: confirmed[1] },
  { status: 'CANCELLED', orders: cancelled[0], valueRupiah: cancelled[1] },
  { status: 'EXPIRED', orders: 0, valueRupiah: 0 },
];

describe('ISO weeks in WIB', () => {
  it.each([
    ['2026-11-30', '2026-W49'],
    ['2024-12-30', '2025-W01'],
    ['2020-12-28', '2020-W53'],
    ['2021-01-04', '2021-W01'],
    ['2023-01-02', '2023-W01'],
    ['2022-01-03', '2022-W01'],
  ])('the week starting %s is %s', (monday, week) => expect(isoWeekOf(monday)).toBe(week));

  it('counts back from the week now falls in, in WIB: Sunday 17:00 UTC is already Monday', () => {
    expect(lastWeeks(new Date('2026-11-29T16:59:59Z'), 1)[0]!.start).toBe('2026-11-23');
    const [week] = lastWeeks(new Date('2026-11-29T17:00:00Z'), 1);
    expect(week).toEqual({ start: '2026-11-30', isoWeek: '2026-W49', from: new Date('2026-11-29T17:00:00Z'), until: new Date('2026-12-06T17:00:00Z') });
    expect(lastWeeks(NOW, 3).map((w) => w.start)).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
  });
});

describe.each(testEngines())('the programme’s figures on $name', (engine) => {
  const subgraph = useTestSubgraph('catalogue', engine, {
    create: (config) => createCatalogueService({ ...config, search: { ...EMBEDDED_SEARCH, pollMs: 60_000 } }, { now: () => NOW }),
    seed: async (em) => {
      await loadCatalogue(em, small);
      for (const [index, [at, status, total]] of ORDERS.entries()) {
        const checkout = em.create(OrderCheckout, { idempotencyKey: randomUUID(), payloadHash: 'f'.repeat(64), createdAt: new Date(at) });
        em.create(OrderRequest, {
          number: `OPOP-TEST-${String(index).padStart(4, '0')}`,
          checkout,
          position: 0,
          seller: S1.id,
          status,
          paymentMethod: 'COD',
          // Far ahead, so the expiry job (which runs on the test's clock) leaves these figures alone.
          reservedUntil: new Date('2100-01-01T00:00:00Z'),
          statusToken: `token-${String(index).padStart(4, '0')}`.padEnd(43, 'x'),
          totalRupiah: total,
          buyerName: 'Pembeli Uji',
          buyerPhone: '6281234567890',
          deliveryAddress: 'Jalan Uji Nomor 1, Gresik',
          createdAt: new Date(at),
          updatedAt: new Date(at),
        });
      }
      await em.flush();
    },
  });
  const { gql } = subgraph;
  const admin = () => identityHeaders(adminIdentity());
  const figures = async (weeks?: number) => {
    const response: GraphQLResponse<Figures> = await gql(FIGURES, weeks === undefined ? {} : { weeks }, await admin());
    expect(response.errors).toBeUndefined();
    return response.data!.programmeStatistics;
  };

  describe.skipIf(Boolean(engine.skip))('worked out by hand', () => {
    it('featured products by the WIB year of their first featuring, against the yearly targets', async () => {
      const result = await figures();
      expect(result.asOf).toBe(NOW.toISOString());
      expect(result.featuredByYear).toEqual([
        { year: 2018, featured: 1, stillFeatured: 1, target: null }, // E
        { year: 2019, featured: 1, stillFeatured: 1, target: 150 }, // A
        { year: 2020, featured: 1, stillFeatured: 1, target: 200 }, // B (its second featuring, in 2021, counts nothing)
        { year: 2021, featured: 1, stillFeatured: 0, target: 200 }, // C, sent back since
        { year: 2022, featured: 0, stillFeatured: 0, target: 200 },
        { year: 2023, featured: 1, stillFeatured: 1, target: 250 }, // D, 01:00 WIB on New Year's Day
        { year: 2024, featured: 1, stillFeatured: 1, target: null }, // I
        { year: 2025, featured: 0, stillFeatured: 0, target: null },
        { year: 2026, featured: 0, stillFeatured: 0, target: null },
      ]);
      expect(result.featuredProductTarget).toBe(1_000);
    });

    it('pesantren with a product featured today, once each, against 1,000 by 2024', async () => {
      const result = await figures();
      expect(result.featuredProducts).toBe(5); // A, B, D, E, I
      expect(result.pesantrenWithFeaturedProduct).toBe(2); // P1 (A, B, I), P2 (D, E)
      expect(result.pesantrenTarget).toBe(1_000);
      expect(result.pesantrenTargetYear).toBe(2024);
    });

    it('by the sellers’ regency: a pesantren selling in two regencies counts in both', async () => {
      expect((await figures()).byRegency).toEqual([
        { regencyCode: '3525', regency: { code: '3525' }, pesantrenWithSellers: 2, pesantrenWithFeaturedProduct: 2, featuredProducts: 4 }, // P1 (A, B), P2 (D, E)
        { regencyCode: '3578', regency: { code: '3578' }, pesantrenWithSellers: 1, pesantrenWithFeaturedProduct: 1, featuredProducts: 1 }, // P1 (I; C is back in revision)
        { regencyCode: '3506', regency: { code: '3506' }, pesantrenWithSellers: 1, pesantrenWithFeaturedProduct: 0, featuredProducts: 0 }, // P4, nothing to sell
        { regencyCode: '3517', regency: { code: '3517' }, pesantrenWithSellers: 1, pesantrenWithFeaturedProduct: 0, featuredProducts: 0 }, // P3, F and G in curation
      ]);
    });

    it('orders per ISO week in WIB, by status now, empty weeks as zeros, totals beyond an Int', async () => {
      expect((await figures(4)).ordersByWeek).toEqual([
        { weekStart: '2026-11-09', isoWeek: '2026-W46', orders: 1, valueRupiah: 75_000, byStatus: tally([1, 75_000], [0, 0], [0, 0]) },
        { weekStart: '2026-11-16', isoWeek: '2026-W47', orders: 0, valueRupiah: 0, byStatus: tally([0, 0], [0, 0], [0, 0]) },
        { weekStart: '2026-11-23', isoWeek: '2026-W48', orders: 4, valueRupiah: 3_000_290_000, byStatus: tally([0, 0], [3, 3_000_250_000], [1, 40_000]) },
        { weekStart: '2026-11-30', isoWeek: '2026-W49', orders: 2, valueRupiah: 120_000, byStatus: tally([1, 100_000], [0, 0], [1, 20_000]) },
      ]);
      const twelve = (await figures()).ordersByWeek;
      expect(twelve.map((week) => week.isoWeek)).toEqual(Array.from({ length: 12 }, (_, index) => `2026-W${38 + index}`));
      expect(twelve.find((week) => week.isoWeek === '2026-W45')).toMatchObject({ orders: 1, valueRupiah: 999 });
      expect((await figures(1)).ordersByWeek.map((week) => week.weekStart)).toEqual(['2026-11-30']);
    });

    it('refuses a number of weeks outside 1 to 104, naming the argument', async () => {
      for (const weeks of [0, 105, -3]) expectError(await gql(FIGURES, { weeks }, await admin()), 'BAD_USER_INPUT', 'weeks');
      expect((await figures(104)).ordersByWeek).toHaveLength(104);
    });

    it('aggregates in the database: one query per figure, whatever is selected', async () => {
      const { database } = subgraph.service;
      const headers = await admin();
      const { result, queries } = await countQueries(database, () => gql(FIGURES, {}, headers));
      expect(result.errors).toBeUndefined();
      expect(queries.filter((sql) => /^\s*select/i.test(sql))).toHaveLength(4);
      const one = await countQueries(database, () => gql('{ programmeStatistics { featuredProducts pesantrenWithFeaturedProduct } }', {}, headers));
      expect(one.queries.filter((sql) => /^\s*select/i.test(sql))).toHaveLength(1);
      const none = await countQueries(database, () => gql('{ programmeStatistics { asOf pesantrenTarget featuredProductTarget } }', {}, headers));
      expect(none.queries).toEqual([]);
    });

    it('refuses operators, partners and anonymous callers', async () => {
      const query = '{ programmeStatistics { featuredProducts } }';
      expectError(await gql(query, {}, await identityHeaders(operatorIdentity(P1))), 'FORBIDDEN');
      for (const role of ['media_partner', 'academic_partner'] as const) {
        expectError(await gql(query, {}, await identityHeaders({ role, subject: `test-${role}`, pesantrenId: null, scopes: ['academics:aggregate'], partnerId: randomUUID() })), 'FORBIDDEN');
      }
      expectError(await gql(query), 'UNAUTHENTICATED');
    });
  });

  describe.skipIf(Boolean(engine.skip))('on the demo world', () => {
    it('matches what its records say', async () => {
      await loadCatalogue(subgraph.service.database.fork(), demo);
      const result = await figures();
      const WIB = 7 * 3_600_000;
      const firstFeatured = demo.products.flatMap((p) => {
        const first = p.history.find((step) => step.toStatus === 'FEATURED');
        return first ? [{ product: p, year: new Date(first.at.getTime() + WIB).getUTCFullYear() }] : [];
      });
      const years = result.featuredByYear.map((row) => row.year);
      expect(years[0]).toBe(2019);
      expect(years.at(-1)).toBe(2026);
      for (const row of result.featuredByYear) {
        const those = firstFeatured.filter((f) => f.year === row.year);
        expect(row).toMatchObject({ featured: those.length, stillFeatured: those.filter((f) => f.product.status === 'FEATURED').length });
      }
      expect(result.featuredByYear.reduce((sum, row) => sum + row.featured, 0)).toBeGreaterThan(0);

      const sellerById = new Map(demo.sellers.map((s) => [s.id, s]));
      const featured = demo.products.filter((p) => p.status === 'FEATURED');
      expect(result.featuredProducts).toBe(featured.length);
      expect(result.pesantrenWithFeaturedProduct).toBe(new Set(featured.map((p) => sellerById.get(p.sellerId)!.pesantrenId)).size);
      const regencies = [...new Set(demo.sellers.map((s) => s.regencyCode))];
      expect(result.byRegency).toHaveLength(regencies.length);
      for (const row of result.byRegency) {
        const here = featured.filter((p) => sellerById.get(p.sellerId)!.regencyCode === row.regencyCode);
        expect(row).toMatchObject({
          pesantrenWithSellers: new Set(demo.sellers.filter((s) => s.regencyCode === row.regencyCode).map((s) => s.pesantrenId)).size,
          pesantrenWithFeaturedProduct: new Set(here.map((p) => sellerById.get(p.sellerId)!.pesantrenId)).size,
          featuredProducts: here.length,
        });
      }
      const order = result.byRegency.map((row) => [-row.pesantrenWithFeaturedProduct, -row.featuredProducts, row.regencyCode] as const);
      expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2])));
      // The demo world has no orders.
      expect(result.ordersByWeek.every((week) => week.orders === 0)).toBe(true);
    });
  });
});
