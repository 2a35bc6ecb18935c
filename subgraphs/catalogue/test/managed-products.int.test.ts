import { generateWorld, type ProductRecord } from '@opop/demo-data';
import { adminIdentity, identityHeaders, operatorIdentity, schemaDrift, testEngines, type GraphQLResponse } from '@opop/server-kit/testing';
import type { EntityReferences } from '@opop/server-kit';
import { expectError, useTestSubgraph } from '@opop/server-kit/test-harness';
import { describe, expect, it } from 'vitest';
import { Migration20261205010000_product_status_since as StatusSince } from '../migrations/Migration20261205010000_product_status_since.ts';
import { loadCatalogue } from '../seeders/catalogue.seeder.ts';
import { createCatalogueService } from '../src/app.ts';
import { EMBEDDED_SEARCH } from '../src/config.ts';

/**
 * The managers' product lists (`managedProducts`): the programme office's curation queue with its
 * filters and sorts, and an operator's own list. Every expectation is computed from the seeded
 * demo world, on a clock the test sets, so waiting times are exact.
 */
const world = generateWorld('demo');
const DAY = 86_400_000;
/** Two weeks after the demo world's last curation step: waiting times from 15 days to years. */
const T0 = new Date('2025-07-15T06:00:00.000Z');
let clock = T0;

const pesantrenRegister: EntityReferences = {
  resolve: async <T extends { id: string }>(_typename: string, ids: readonly string[]) =>
    new Map(world.pesantren.filter((p) => ids.includes(p.id)).map((p) => [p.id, { id: p.id, regency: { code: p.regencyCode } } as unknown as T])),
};

type Product = ProductRecord;
const sellerById = new Map(world.sellers.map((s) => [s.id, s]));
const sellerOf = (p: Product) => sellerById.get(p.sellerId)!;
const categoryBySlug = new Map(world.categories.map((c) => [c.slug, c]));
/** When the product's current status began: its newest curation step (creation when it has none). */
const statusSince = (p: Product) => (p.history.at(-1)?.at ?? p.createdAt).getTime();
const waitedMoreThan = (days: number) => (p: Product) => statusSince(p) < T0.getTime() - days * DAY;
const inCategory = (slug: string) => (p: Product) => p.categorySlug === slug || categoryBySlug.get(p.categorySlug)?.parentSlug === slug;
const named = (...words: string[]) => (p: Product) => words.every((word) => `${p.nameId}\n${p.nameEn}`.toLowerCase().includes(word));
const inRegencies = (...codes: string[]) => (p: Product) => codes.includes(sellerOf(p).regencyCode);
const ofPillars = (...pillars: string[]) => (p: Product) => pillars.includes(sellerOf(p).pillar);
const withStatus = (...statuses: string[]) => (p: Product) => statuses.includes(p.status);
const ofPesantren = (id: string) => (p: Product) => sellerOf(p).pesantrenId === id;
const all = (...conditions: ((p: Product) => boolean)[]) => (p: Product) => conditions.every((condition) => condition(p));

const byWaiting = (a: Product, b: Product) => statusSince(a) - statusSince(b) || (a.id < b.id ? -1 : 1);
const byNewest = (a: Product, b: Product) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1);

const sidogiri = world.pesantren.find((p) => p.slug === 'pondok-pesantren-sidogiri')!;
const other = world.pesantren.find((p) => p.id !== sidogiri.id && world.products.some(ofPesantren(p.id)) && p.regencyCode !== sidogiri.regencyCode)!;
const ofSidogiri = world.products.filter(ofPesantren(sidogiri.id));

type Node = { id: string; statusSince: string; name: { indonesian: string } };
type Page = { totalCount: number; nodes: Node[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };
const QUERY = `query($first: Int, $after: String, $filter: ManagedProductFilter, $sort: ManagedProductSort) {
  managedProducts(first: $first, after: $after, filter: $filter, sort: $sort) { totalCount nodes { id statusSince name { indonesian } } pageInfo { endCursor hasNextPage } }
}`;

describe.each(testEngines())('managed product lists on $name', (engine) => {
  const subgraph = useTestSubgraph('catalogue', engine, {
    create: (config) => createCatalogueService({ ...config, search: { ...EMBEDDED_SEARCH, pollMs: 60_000 } }, { pesantrenReferences: pesantrenRegister, now: () => clock }),
    seed: (em) => loadCatalogue(em, world),
  });
  const { gql } = subgraph;
  const admin = () => identityHeaders(adminIdentity());
  const operator = () => identityHeaders(operatorIdentity(sidogiri.id));

  /** Every page of a listing, following the cursors; each page checked for a count and no error. */
  const everything = async (filter: Record<string, unknown>, sort = 'NEWEST', headers?: Record<string, string>, first = 100) => {
    const nodes: Node[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (let pages = 0; pages < 100; pages++) {
      const response: GraphQLResponse<{ managedProducts: Page }> = await gql(QUERY, { first, after, filter, sort }, headers ?? (await admin()));
      expect(response.errors).toBeUndefined();
      const page = response.data!.managedProducts;
      totalCount = page.totalCount;
      nodes.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return { totalCount, nodes, ids: nodes.map((n) => n.id) };
  };

  describe.skipIf(Boolean(engine.skip))('the office’s curation queue', () => {
    it('knows when each product’s current status began: its newest curation step, kept by the migration that adds it', async () => {
      const { nodes } = await everything({}, 'LONGEST_WAITING');
      expect(nodes.map((n) => n.id)).toEqual([...world.products].sort(byWaiting).map((p) => p.id));
      const byId = new Map(world.products.map((p) => [p.id, p]));
      for (const node of nodes) expect(Date.parse(node.statusSince)).toBe(statusSince(byId.get(node.id)!));

      // A database from before the column: the migration fills it in from the curation history.
      const { orm } = subgraph.service.database;
      await orm.migrator.down({ migrations: [StatusSince.name] });
      await orm.migrator.up({ migrations: [StatusSince.name] });
      expect(await schemaDrift(subgraph.service.database)).toBe('');
      const again = await everything({}, 'LONGEST_WAITING');
      expect(again.nodes).toEqual(nodes);
    });

    it.each([
      ['curation statuses', { curationStatuses: ['SUBMITTED', 'IN_REVIEW'] }, withStatus('SUBMITTED', 'IN_REVIEW')],
      ['regencies', { regencyCodes: ['3506', '3525'] }, inRegencies('3506', '3525')],
      ['a parent category (its subcategories too)', { category: 'busana-muslim' }, inCategory('busana-muslim')],
      ['a leaf category', { category: 'kopi-teh' }, inCategory('kopi-teh')],
      ['pillars', { pillars: ['SANTRIPRENEUR', 'SOSIOPRENEUR'] }, ofPillars('SANTRIPRENEUR', 'SOSIOPRENEUR')],
      ['a word of the Indonesian name, in any case', { search: 'KOPI' }, named('kopi')],
      ['a word of the English name', { search: 'honey' }, named('honey')],
      ['words found in either name', { search: '  keripik   chips ' }, named('keripik', 'chips')],
      ['part of a word', { search: 'ripi' }, named('ripi')],
      ['LIKE’s own characters, taken literally', { search: '%' }, named('%')],
      ['LIKE’s one-character wildcard, taken literally', { search: 'k_pi' }, named('k_pi')],
      ['waiting more than 120 days', { waitingLongerThanDays: 120 }, waitedMoreThan(120)],
      ['waiting more than 365 days', { waitingLongerThanDays: 365 }, waitedMoreThan(365)],
      ['waiting more than 0 days', { waitingLongerThanDays: 0 }, waitedMoreThan(0)],
      ['a pesantren', { pesantrenId: sidogiri.id }, ofPesantren(sidogiri.id)],
      [
        'statuses, regencies, a category and a waiting time together',
        { curationStatuses: ['SUBMITTED', 'IN_REVIEW', 'FEATURED'], regencyCodes: ['3506', '3525', '3515', '3524'], category: 'makanan-minuman', waitingLongerThanDays: 365 },
        all(withStatus('SUBMITTED', 'IN_REVIEW', 'FEATURED'), inRegencies('3506', '3525', '3515', '3524'), inCategory('makanan-minuman'), waitedMoreThan(365)),
      ],
      ['a pillar and a name', { pillars: ['PESANTRENPRENEUR'], search: 'madu' }, all(ofPillars('PESANTRENPRENEUR'), named('madu'))],
    ] as const)('filters by %s', async (_name, filter, expected) => {
      const wanted = world.products.filter(expected);
      const { totalCount, ids } = await everything(filter, 'LONGEST_WAITING');
      expect(totalCount).toBe(wanted.length);
      expect(ids).toEqual([...wanted].sort(byWaiting).map((p) => p.id));
    });

    it('the filters that matter are not vacuous in the demo world', () => {
      for (const condition of [waitedMoreThan(120), waitedMoreThan(365), named('kopi'), inRegencies('3506', '3525')]) {
        const count = world.products.filter(condition).length;
        expect(count).toBeGreaterThan(0);
        expect(count).toBeLessThan(world.products.length);
      }
    });

    it('sorts newest first, longest waiting first, or by name, and pages through each without repeats', async () => {
      const filter = { curationStatuses: ['SUBMITTED', 'IN_REVIEW', 'NEEDS_REVISION'] };
      const wanted = world.products.filter(withStatus('SUBMITTED', 'IN_REVIEW', 'NEEDS_REVISION'));
      const newest = await everything(filter, 'NEWEST', undefined, 7);
      expect(newest.ids).toEqual([...wanted].sort(byNewest).map((p) => p.id));
      const waiting = await everything(filter, 'LONGEST_WAITING', undefined, 7);
      expect(waiting.ids).toEqual([...wanted].sort(byWaiting).map((p) => p.id));
      const names = await everything(filter, 'NAME', undefined, 7);
      // The database's collation orders names (PGlite and PostgreSQL may differ on spaces and case): every product once, initials in order.
      expect(new Set(names.ids).size).toBe(wanted.length);
      expect([...names.ids].sort()).toEqual(wanted.map((p) => p.id).sort());
      const initials = names.nodes.map((n) => n.name.indonesian[0]!.toLowerCase());
      expect(initials).toEqual([...initials].sort());
    });
  });

  describe.skipIf(Boolean(engine.skip))('an operator', () => {
    it.each([
      ['no filter', {}, () => true],
      ['another pesantren', { pesantrenId: other.id }, () => true],
      ['another pesantren’s regency', { regencyCodes: [other.regencyCode] }, inRegencies(other.regencyCode)],
      ['their regency and another', { regencyCodes: [sidogiri.regencyCode, other.regencyCode] }, inRegencies(sidogiri.regencyCode, other.regencyCode)],
      ['a name', { search: ofSidogiri[0]!.nameId.split(' ')[0]! }, named(ofSidogiri[0]!.nameId.split(' ')[0]!.toLowerCase())],
      ['statuses and a waiting time', { curationStatuses: ['FEATURED', 'DRAFT'], waitingLongerThanDays: 120 }, all(withStatus('FEATURED', 'DRAFT'), waitedMoreThan(120))],
    ] as const)('sees only their own pesantren’s products, filtering by %s', async (_name, filter, expected) => {
      const { totalCount, ids } = await everything(filter, 'LONGEST_WAITING', await operator());
      const wanted = ofSidogiri.filter(expected);
      expect(totalCount).toBe(wanted.length);
      expect(ids).toEqual([...wanted].sort(byWaiting).map((p) => p.id));
    });

    it('never learns when another pesantren’s product entered its status, nor does a shopper', async () => {
      const theirs = world.products.find(all(ofPesantren(other.id), withStatus('FEATURED')))!;
      const query = `{ product(id: "${theirs.id}") { slug statusSince } }`;
      expectError(await gql(query, {}, await operator()), 'FORBIDDEN');
      expectError(await gql(query), 'UNAUTHENTICATED');
      expect((await gql<{ product: { statusSince: string } }>(query, {}, await admin())).data?.product.statusSince).toBe(new Date(statusSince(theirs)).toISOString());
    });
  });

  describe.skipIf(Boolean(engine.skip))('bad input', () => {
    it.each([
      ['an unknown category', { filter: { category: "x' or 1=1 --" } }, 'filter.category'],
      ['a malformed regency', { filter: { regencyCodes: ["3514'); delete from product; --"] } }, 'filter.regencyCodes.0'],
      ['too many regencies', { filter: { regencyCodes: Array.from({ length: 51 }, () => '3514') } }, 'filter.regencyCodes'],
      ['a malformed pesantren id', { filter: { pesantrenId: 'sidogiri' } }, 'filter.pesantrenId'],
      ['a negative waiting time', { filter: { waitingLongerThanDays: -1 } }, 'filter.waitingLongerThanDays'],
      ['a waiting time beyond ten years', { filter: { waitingLongerThanDays: 3_651 } }, 'filter.waitingLongerThanDays'],
      ['a search too long', { filter: { search: 'k'.repeat(101) } }, 'filter.search'],
      ['a search of too many words', { filter: { search: 'a b c d e f g h i' } }, 'filter.search'],
      ['a page too large', { first: 101 }, 'first'],
      ['a cursor of another sort order', { sort: 'LONGEST_WAITING', after: 'product.NEWEST~WyIyMDI1LTA3LTE1VDA2OjAwOjAwLjAwMFoiLCJhIl0' }, 'after'],
    ])('refuses %s as BAD_USER_INPUT, on the field', async (_name, args, field) => {
      expectError(await gql(QUERY, args, await admin()), 'BAD_USER_INPUT', field);
    });

    it('refuses a status or sort that does not exist', async () => {
      const response = await gql(QUERY, { filter: { curationStatuses: ['APPROVED'] }, sort: 'OLDEST' }, await admin());
      expect(response.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    });
  });

  describe.skipIf(Boolean(engine.skip))('waiting times as curation happens, on a clock the test sets', () => {
    it('counts from the newest curation step, which the product’s writes keep, and the queue moves with it', async () => {
      const daysBefore = (days: number) => new Date(T0.getTime() - days * DAY);
      const seller = world.sellers.find((s) => s.pesantrenId === sidogiri.id)!;
      try {
        clock = daysBefore(40);
        const created = await gql<{ createProduct: { id: string; statusSince: string } }>(
          `mutation($input: CreateProductInput!) { createProduct(input: $input) { id statusSince } }`,
          { input: { sellerId: seller.id, category: 'kerajinan', nameIndonesian: 'Tasbih Kayu Antrean', descriptionIndonesian: 'Tasbih kayu buatan santri untuk uji antrean.', priceRupiah: 25_000, stock: 5, unit: 'buah', weightGrams: 50 } },
          await operator(),
        );
        expect(created.errors).toBeUndefined();
        const id = created.data!.createProduct.id;
        expect(created.data!.createProduct.statusSince).toBe(daysBefore(40).toISOString());
        clock = daysBefore(20);
        expect((await gql(`mutation { submitProductForCuration(id: "${id}") { id } }`, {}, await operator())).errors).toBeUndefined();
        clock = daysBefore(5);
        expect((await gql(`mutation { startProductReview(id: "${id}") { id } }`, {}, await admin())).errors).toBeUndefined();
        clock = T0;

        const read = await gql<{ product: { statusSince: string; curationHistory: { toStatus: string; at: string }[] } }>(`{ product(id: "${id}") { statusSince curationHistory { toStatus at } } }`, {}, await admin());
        expect(read.data?.product.curationHistory.map((step) => [step.toStatus, step.at])).toEqual([
          ['DRAFT', daysBefore(40).toISOString()],
          ['SUBMITTED', daysBefore(20).toISOString()],
          ['IN_REVIEW', daysBefore(5).toISOString()],
        ]);
        expect(read.data?.product.statusSince).toBe(daysBefore(5).toISOString());

        const queue = { curationStatuses: ['SUBMITTED', 'IN_REVIEW'] };
        const waiting = world.products.filter(withStatus('SUBMITTED', 'IN_REVIEW'));
        expect((await everything({ ...queue, waitingLongerThanDays: 4 })).ids).toContain(id);
        expect((await everything({ ...queue, waitingLongerThanDays: 5 })).ids).not.toContain(id);
        expect((await everything({ ...queue, waitingLongerThanDays: 6 })).ids).not.toContain(id);
        // Every demo product waited longer, so it comes last in the queue's order.
        expect((await everything(queue, 'LONGEST_WAITING')).ids).toEqual([...[...waiting].sort(byWaiting).map((p) => p.id), id]);

        // Ten days on, sent back: it now waits for its operator, since the revision request.
        clock = new Date(T0.getTime() + 10 * DAY);
        expect((await gql(`mutation { requestProductRevision(id: "${id}", reason: "Foto kemasan belum jelas") { id } }`, {}, await admin())).errors).toBeUndefined();
        const revision = { curationStatuses: ['NEEDS_REVISION'], pesantrenId: sidogiri.id };
        expect((await everything({ ...revision, waitingLongerThanDays: 0 })).ids).not.toContain(id);
        clock = new Date(T0.getTime() + 13 * DAY);
        expect((await everything({ ...revision, waitingLongerThanDays: 2 })).ids).toContain(id);
        expect((await everything({ ...revision, waitingLongerThanDays: 3 })).ids).not.toContain(id);
      } finally {
        clock = T0;
      }
    });
  });
});
