import { generateWorld } from '@opop/demo-data';

import {
  adminIdentity,
  countQueries,
  identityHeaders,
  recordMismatches,
  operatorIdentity,
  schemaDrift,
  testEngines,
  type GraphQLResponse,
} from '@opop/server-kit/testing';
import type { EntityClass } from '@mikro-orm/core';
import { ANONYMOUS, recordReader, type EntityReferences } from '@opop/server-kit';
import { expectError, useTestSubgraph } from '@opop/server-kit/test-harness';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../seeders/catalogue.seeder.ts';
import { createCatalogueService } from '../src/app.ts';
import { PRODUCT_FIELD_READS, PRODUCT_READS, productReadFor, WHOLE_ROW } from '../src/modules/product/product.reads.ts';
import { EMBEDDED_SEARCH } from '../src/config.ts';

/** No background polling: these tests count the SQL statements of their requests. */
const QUIET_SEARCH = { ...EMBEDDED_SEARCH, pollMs: 60_000 };

/**
 * What the pesantren subgraph answers about the demo pesantren (the router's suites ask the real
 * one over HTTP): catalogue checks each new seller's pesantren and regency against it.
 */
const demoPesantrenRegister: EntityReferences = {
  resolve: async <T extends { id: string }>(_typename: string, ids: readonly string[]) =>
    new Map(world.pesantren.filter((p) => ids.includes(p.id)).map((p) => [p.id, { id: p.id, regency: { code: p.regencyCode } } as unknown as T])),
};

import { randomUUID } from 'node:crypto';
import { Category } from '../src/modules/category/category.entity.ts';
import { CategoryDirectory, MAX_CATEGORY_CHILDREN, MAX_CATEGORY_DEPTH } from '../src/modules/category/category.directory.ts';
import { CurationEvent } from '../src/modules/curation/curation-event.entity.ts';
import { MAX_CURATION_HISTORY } from '../src/modules/curation/curation.repository.ts';
import { Product } from '../src/modules/product/product.entity.ts';
import { MAX_SELLERS_PER_PESANTREN, SellerRepository } from '../src/modules/seller/seller.repository.ts';
import { Seller } from '../src/modules/seller/seller.entity.ts';
import { SearchOutboxEvent } from '../src/modules/search/outbox.entity.ts';

const world = generateWorld('demo');
const LISTED = new Set(['SUBMITTED', 'IN_REVIEW', 'FEATURED']);
const listed = world.products.filter((p) => LISTED.has(p.status));
const sellerById = new Map(world.sellers.map((s) => [s.id, s]));
const sidogiri = world.pesantren.find((p) => p.slug === 'pondok-pesantren-sidogiri')!;
const sidogiriSeller = world.sellers.find((s) => s.pesantrenId === sidogiri.id && s.pillar === 'PESANTRENPRENEUR')!;
const otherSeller = world.sellers.find((s) => s.pesantrenId !== sidogiri.id)!;
const draft = world.products.find((p) => p.status === 'DRAFT')!;

type Page = { totalCount: number; nodes: { id: string; priceRupiah: number }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } };

describe.each(testEngines())('catalogue subgraph on $name', (engine) => {
  const subgraph = useTestSubgraph('catalogue', engine, {
    create: (config) => createCatalogueService({ ...config, search: QUIET_SEARCH }, { pesantrenReferences: demoPesantrenRegister }),
    seed: (em) => loadCatalogue(em, world),
  });
  const { gql } = subgraph;
  const rows = async () => ({ products: await subgraph.service.database.fork().count(Product, {}), events: await subgraph.service.database.fork().count(CurationEvent, {}) });
  const products = (filter: Record<string, unknown>, extra = '') =>
    gql<{ products: Page }>(`query($filter: ProductFilter) { products(first: 100, filter: $filter ${extra}) { totalCount nodes { id priceRupiah } pageInfo { endCursor hasNextPage } } }`, { filter });

  describe.skipIf(Boolean(engine.skip))('browsing', () => {
    it('migrations build exactly the schema the entities describe, with the category tree', async () => {
      expect(await schemaDrift(subgraph.service.database)).toBe('');
      const { data } = await gql<{ categories: { slug: string; productCount: number; children: { slug: string; path: string[] }[] }[] }>(
        '{ categories { slug productCount children { slug path } } }',
      );
      const food = data!.categories.find((c) => c.slug === 'makanan-minuman')!;
      expect(food.children.map((c) => c.slug)).toContain('air-minum');
      expect(food.children[0]!.path).toEqual(['makanan-minuman', 'makanan-ringan']);
      const foodSlugs = new Set(['makanan-minuman', ...food.children.map((c) => c.slug)]);
      expect(food.productCount).toBe(listed.filter((p) => foodSlugs.has(p.categorySlug)).length);
    });

    it('shows shoppers submitted, in-review and featured products only', async () => {
      const { data } = await products({});
      expect(data?.products.totalCount).toBe(listed.length);
      expect((await gql(`{ product(slug: "${draft.slug}") { id } }`)).data).toEqual({ product: null });
    });

    it.each([
      ['featured', { featured: true }, (p: (typeof world.products)[number]) => p.status === 'FEATURED'],
      ['a price range', { minPriceRupiah: 20_000, maxPriceRupiah: 50_000 }, (p: (typeof world.products)[number]) => p.priceRupiah >= 20_000 && p.priceRupiah <= 50_000],
      ['regencies', { regencyCodes: ['3514', '3525'] }, (p: (typeof world.products)[number]) => ['3514', '3525'].includes(sellerById.get(p.sellerId)!.regencyCode)],
      ['a pillar', { pillars: ['SANTRIPRENEUR'] }, (p: (typeof world.products)[number]) => sellerById.get(p.sellerId)!.pillar === 'SANTRIPRENEUR'],
      ['a pesantren', { pesantrenId: sidogiri.id }, (p: (typeof world.products)[number]) => sellerById.get(p.sellerId)!.pesantrenId === sidogiri.id],
      ['a parent category', { category: 'busana-muslim' }, (p: (typeof world.products)[number]) => ['sarung', 'batik', 'peci-songkok', 'pakaian'].includes(p.categorySlug)],
      ['stock', { inStock: false }, (p: (typeof world.products)[number]) => p.stock === 0],
    ])('filters by %s', async (_name, filter, expected) => {
      const { data, errors } = await products(filter);
      expect(errors).toBeUndefined();
      expect(data?.products.totalCount).toBe(listed.filter(expected).length);
    });

    it('sorts by price and pages through every listed product exactly once', async () => {
      const seen: Page['nodes'] = [];
      let after: string | null = null;
      do {
        const response: GraphQLResponse<{ products: Page }> = await gql(
          'query($after: String) { products(first: 37, after: $after, sort: PRICE_ASC) { nodes { id priceRupiah } pageInfo { endCursor hasNextPage } } }',
          { after },
        );
        seen.push(...response.data!.products.nodes);
        after = response.data!.products.pageInfo.hasNextPage ? response.data!.products.pageInfo.endCursor : null;
      } while (after);
      expect(new Set(seen.map((p) => p.id)).size).toBe(listed.length);
      expect(seen.map((p) => p.priceRupiah)).toEqual([...seen.map((p) => p.priceRupiah)].sort((a, b) => a - b));
    });

    it.each([
      ['a page too large', { first: 101 }, 'first'],
      ['an unknown category', { filter: { category: "x' or 1=1 --" } }, 'filter.category'],
      ['an inverted price range', { filter: { minPriceRupiah: 50_000, maxPriceRupiah: 10_000 } }, 'filter.maxPriceRupiah'],
      ['a negative price', { filter: { minPriceRupiah: -1 } }, 'filter.minPriceRupiah'],
      ['a malformed regency', { filter: { regencyCodes: ["3514'); delete from product; --"] } }, 'filter.regencyCodes.0'],
      ['a cursor of another sort order', { after: 'product.PRICE_ASC~WzEwMDAsImEiXQ' }, 'after'],
      ['a forged cursor', { after: 'product.NEWEST~!!!' }, 'after'],
    ])('refuses %s as BAD_USER_INPUT', async (_name, args, field) => {
      const response = await gql('query($first: Int, $after: String, $filter: ProductFilter) { products(first: $first, after: $after, filter: $filter) { nodes { id } } }', args);
      expectError(response, 'BAD_USER_INPUT', field);
      expect((await rows()).products).toBe(world.products.length);
    });
  });

  describe.skipIf(Boolean(engine.skip))('records for the hot reads', () => {
    // The read paths answer records (server-kit readRecords) where they used to answer entities:
    // every column of every seeded row must read as the ORM reads it, types included.
    it.each([
      ['Product', Product],
      ['Seller', Seller],
      ['Category', Category],
      ['CurationEvent', CurationEvent],
    ] as [string, EntityClass<object>][])('reads every %s row as the ORM hydrates it', async (_name, entity) => {
      const { rows, mismatches } = await recordMismatches(subgraph.service.database.fork(), entity);
      expect(rows).toBeGreaterThan(0);
      expect(mismatches).toEqual([]);
    });
  });

  describe.skipIf(Boolean(engine.skip))('product reads narrowed to the selection', () => {
    // The subgraph's own types, by introspection: each field selected with its subfields, two levels deep.
    interface TypeRef { kind: string; name: string | null; ofType: TypeRef | null }
    interface IntrospectedField { name: string; args: { type: TypeRef; defaultValue: string | null }[]; type: TypeRef }
    let types: Map<string, IntrospectedField[] | null> | undefined;
    const typeRef = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';
    const typesOf = async () =>
      (types ??= new Map(
        (
          await gql<{ __schema: { types: { name: string; fields: IntrospectedField[] | null }[] } }>(
            `{ __schema { types { name fields { name args { defaultValue type { ${typeRef} } } type { ${typeRef} } } } } }`,
          )
        ).data!.__schema.types.map((type) => [type.name, type.fields]),
      ));
    const named = (type: TypeRef): string => (type.ofType ? named(type.ofType) : type.name!);
    const selectionOf = (fields: IntrospectedField[] | null | undefined, depth: number): string => {
      if (!fields) return '';
      if (depth === 0) return '{ __typename }';
      const selectable = fields.filter((field) => field.args.every((arg) => arg.type.kind !== 'NON_NULL' || arg.defaultValue !== null));
      return `{ __typename ${selectable.map((field) => `${field.name} ${selectionOf(types!.get(named(field.type)), depth - 1)}`).join(' ')} }`;
    };
    const productFields = async () => (await typesOf()).get('Product')!.map((field) => field.name);
    const fieldSelection = async (field: string) => `${field} ${selectionOf((await typesOf()).get(named((await typesOf()).get('Product')!.find((f) => f.name === field)!.type)), 2)}`;
    // A listed product, and a draft that only its managers see.
    const subject = () => listed[0]!;
    const asAdmin = async () => identityHeaders(adminIdentity());
    // The product's nullable columns, photo list and stock filled, so a column left unread cannot
    // pass for its real value (null, an empty list, 0); restored after.
    const withEveryColumnSet = async (slug: string, work: () => Promise<void>) => {
      const em = subgraph.service.database.fork();
      const product = await em.findOneOrFail(Product, { slug });
      const original = { images: product.images, stock: product.stock, nameEnglish: product.nameEnglish, descriptionEnglish: product.descriptionEnglish, halalCertificateNumber: product.halalCertificateNumber, bpomNumber: product.bpomNumber, pirtNumber: product.pirtNumber, sniCertificateNumber: product.sniCertificateNumber };
      await em.nativeUpdate(Product, { id: product.id }, { images: [{ url: 'https://example.org/madu-hutan.jpg', alt: { indonesian: 'Madu hutan', english: 'Forest honey' }, width: 800, height: 600 }], stock: 7, nameEnglish: 'Forest honey', descriptionEnglish: 'Raw forest honey from Sumenep.', halalCertificateNumber: 'ID35110000123450922', bpomNumber: 'MD224313001234', pirtNumber: '206351401234525', sniCertificateNumber: 'SNI 8664:2018' });
      try {
        await work();
      } finally {
        await em.nativeUpdate(Product, { id: product.id }, original);
      }
    };
    /** A field's answer, and the codes and paths of the errors, from a response. */
    const answerOf = (response: GraphQLResponse<{ product: Record<string, unknown> | null }>, field: string) => ({
      value: response.data?.product ? response.data.product[field] : response.data?.product,
      errors: (response.errors ?? []).map((error) => `${String(error.extensions?.['code'])} ${error.path?.join('.')}`),
    });

    it('says what every field of the Product type reads, and nothing the type does not have', async () => {
      expect(Object.keys(PRODUCT_FIELD_READS).sort()).toEqual((await productFields()).sort());
    });

    it.each([
      ['a listed product, asked by an admin', () => subject().slug, asAdmin, true],
      ['a listed product, asked by a shopper', () => subject().slug, async () => ({}), false],
      ['a draft, asked by an admin', () => draft.slug, asAdmin, true],
    ])('answers every Product field of %s from the narrowest read that covers it as from the whole row', async (_case, slugOf, headersOf, seesEveryField) => {
      await withEveryColumnSet(slugOf(), async () => {
        const headers = await headersOf();
        const reads = new Set<string>();
        for (const field of await productFields()) {
          const read = productReadFor([field]);
          reads.add(read.name);
          const narrowed = await gql<{ product: Record<string, unknown> | null }>(`{ product(slug: "${slugOf()}") { ${await fieldSelection(field)} } }`, {}, headers);
          // bpomNumber is in no narrowed set: this reads the whole row.
          const whole = await gql<{ product: Record<string, unknown> | null }>(`{ product(slug: "${slugOf()}") { ${await fieldSelection(field)} bpomNumber } }`, {}, headers);
          expect(productReadFor([field, 'bpomNumber'])).toBe(WHOLE_ROW);
          expect(answerOf(narrowed, field), `${field} (${read.name})`).toEqual(answerOf(whole, field));
          if (seesEveryField) {
            // Those who may see every field of the product see each with a value.
            expect(narrowed.errors, `${field} (${read.name})`).toBeUndefined();
            expect(narrowed.data?.product?.[field], field).not.toBeNull();
          }
        }
        // Every narrowed set was exercised by some field on its own.
        expect([...reads].sort()).toEqual([...PRODUCT_READS.map((read) => read.name), WHOLE_ROW.name].sort());
      });
    });

    it('reads live stock and price with two columns beyond the keys, and a card without the long texts', async () => {
      const statementOf = async (selection: string) => {
        const { result, queries } = await countQueries(subgraph.service.database, () => gql(`{ product(slug: "${subject().slug}") { ${selection} } }`));
        expect(result.errors).toBeUndefined();
        expect(queries).toHaveLength(1);
        return queries[0]!;
      };
      const stock = await statementOf('stock inStock priceRupiah');
      expect(stock).toMatch(/"stock"/);
      expect(stock).not.toMatch(/p\.\*|name_indonesian|description/);
      const card = await statementOf('id slug name { indonesian english } priceRupiah unit unitName { english } inStock images { width } pesantren { id }');
      expect(card).toMatch(/name_indonesian/);
      expect(card).not.toMatch(/p\.\*|description/);
      expect(await statementOf('description { indonesian }')).toMatch(/p\.\*/);
    });

    it('answers any combination of fields as the whole row does, through fragments, aliases and skipped fields, with a few statements', async () => {
      const fields = await productFields();
      const inCard = fields.filter((field) => productReadFor([field]) !== WHOLE_ROW);
      const selections = new Map(await Promise.all(fields.map(async (field) => [field, await fieldSelection(field)] as const)));
      const statements = new Set<string>();
      let seed = 7;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const headers = await asAdmin();
      await withEveryColumnSet(subject().slug, async () => {
        for (let round = 0; round < 40; round++) {
          // Half the rounds from the fields a narrowed set covers, so narrow combinations are tried too.
          const chosen = (round % 2 === 0 ? inCard : fields).filter(() => random() < 0.3);
          const [first, ...rest] = chosen.length > 0 ? chosen : ['stock'];
          const select = (extra: string) => `query { product(slug: "${subject().slug}") { ...Picked alias: ${selections.get(first!)} ... on Product { __typename } ${extra} } }
            fragment Picked on Product { __typename ${rest.map((field, index) => (index % 3 === 0 ? selections.get(field)!.replace(field, `${field} @skip(if: false)`) : selections.get(field))).join(' ')} }`;
          const { result, queries } = await countQueries(subgraph.service.database, () => gql<{ product: Record<string, unknown> }>(select(''), {}, headers));
          const whole = await gql<{ product: Record<string, unknown> }>(select('wholeRow: bpomNumber'), {}, headers);
          expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
          const { wholeRow: _wholeRow, ...wholeProduct } = whole.data!.product;
          expect(result.data!.product, chosen.join(' ')).toEqual(wholeProduct);
          const read = queries.find((sql) => /from "[^"]+"\."product" p join/.test(sql));
          expect(read, queries.join('\n')).toBeDefined();
          statements.add(read!);
        }
      });
      // More than one set was used, and never more than the fixed sets.
      expect(statements.size).toBeGreaterThan(1);
      expect(statements.size).toBeLessThanOrEqual(PRODUCT_READS.length + 1);
    });
  });

  describe.skipIf(Boolean(engine.skip))('counts shared across requests', () => {
    it('lets caches keep a category menu with its shared counts for a minute, not the hour categories are kept', async () => {
      const cachePolicy = async (query: string) =>
        (await fetch(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await identityHeaders(ANONYMOUS)) }, body: JSON.stringify({ query }) })).headers.get('cache-control');
      expect(await cachePolicy('{ categories { slug } }')).toBe('max-age=3600, public');
      expect(await cachePolicy('{ categories { slug productCount } }')).toBe('max-age=60, public');
    });

    it("reuses a shoppers' count, and counts a product this process lists as soon as it commits", async () => {
      const category = 'makanan-ringan';
      const count = async () => (await gql<{ products: { totalCount: number } }>(`{ products(first: 1, filter: { category: "${category}" }) { totalCount } }`)).data!.products.totalCount;
      const before = await count();
      const em = subgraph.service.database.fork();
      const { table } = recordReader(em, Product);
      const demoted = (await em.getConnection().execute<{ id: string; curation_status: string }[]>(
        `select p.id, p.curation_status from ${table} p join "${em.config.get('schema')}"."category" c on c.id = p.category_id where c.slug = ? and p.curation_status in ('SUBMITTED', 'IN_REVIEW') limit 2`,
        [category],
      ));
      expect(demoted).toHaveLength(2);
      let createdId: string | undefined;
      try {
        // Written behind the service's back (no flush through it): the shared count does not see it yet.
        await em.getConnection().execute(`update ${table} set curation_status = 'DRAFT' where id in (?)`, [demoted.map((row) => row.id)]);
        expect(await count()).toBe(before);
        // Listed through the service: its commit drops the shared counts, so both changes show.
        const operator = await identityHeaders(operatorIdentity(sidogiri.id));
        const created = await gql<{ createProduct: { id: string } }>(
          'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
          { input: { sellerId: sidogiriSeller.id, category, nameIndonesian: 'Keripik Uji Hitung', descriptionIndonesian: 'Keripik untuk menguji hitungan.', priceRupiah: 15_000, stock: 10, unit: 'bungkus', weightGrams: 200 } },
          operator,
        );
        expect(created.errors).toBeUndefined();
        createdId = created.data!.createProduct.id;
        const submitted = await gql('mutation($id: ID!) { submitProductForCuration(id: $id) { id } }', { id: createdId }, operator);
        expect(submitted.errors).toBeUndefined();
        expect(await count()).toBe(before - 2 + 1);
      } finally {
        // Listed as the world was, for the tests after this one.
        for (const row of demoted) await em.getConnection().execute(`update ${table} set curation_status = ? where id = ?`, [row.curation_status, row.id]);
        if (createdId) await em.getConnection().execute(`update ${table} set curation_status = 'DRAFT' where id = ?`, [createdId]);
      }
    });
  });

  describe.skipIf(Boolean(engine.skip))('batched federation', () => {
    it('resolves 100 product references, with their pesantren keys, in one SQL query, and their sellers in one more', async () => {
      const representations = listed.slice(0, 100).map((p) => ({ __typename: 'Product', id: p.id }));
      const expectedPesantren = listed.slice(0, 100).map((p) => sellerById.get(p.sellerId)!.pesantrenId);
      // What the router asks for on every search page and card: the product and its pesantren key.
      const cards = await countQueries(subgraph.service.database, () =>
        gql<{ _entities: { slug: string; pesantren: { id: string } }[] }>('query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { slug pesantren { id } } } }', {
          r: representations,
        }),
      );
      expect(cards.result.errors).toBeUndefined();
      expect(cards.result.data?._entities.map((e) => e.pesantren.id)).toEqual(expectedPesantren);
      expect(cards.queries, cards.queries.join('\n')).toHaveLength(1);
      // The seller's own fields are one batched query more, however many products ask.
      const withSellers = await countQueries(subgraph.service.database, () =>
        gql<{ _entities: { slug: string; pesantren: { id: string }; seller: { name: string } }[] }>(
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { slug pesantren { id } seller { name } } } }',
          { r: representations },
        ),
      );
      expect(withSellers.result.errors).toBeUndefined();
      expect(withSellers.result.data?._entities.map((e) => e.pesantren.id)).toEqual(expectedPesantren);
      expect(withSellers.result.data?._entities.map((e) => e.seller.name)).toEqual(listed.slice(0, 100).map((p) => sellerById.get(p.sellerId)!.name));
      expect(withSellers.queries, withSellers.queries.join('\n')).toHaveLength(2);
    });

    it('loads the first page of products of every pesantren in one SQL query, and pages on from it', async () => {
      const representations = world.pesantren.map((p) => ({ __typename: 'Pesantren', id: p.id }));
      const { result, queries } = await countQueries(subgraph.service.database, () =>
        gql<{ _entities: { products: Page }[] }>(
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Pesantren { products(first: 2) { totalCount nodes { id priceRupiah } pageInfo { endCursor hasNextPage } } } } }',
          { r: representations },
        ),
      );
      expect(result.errors).toBeUndefined();
      expect(queries).toHaveLength(1);
      const ofPesantren = (id: string) =>
        listed.filter((p) => sellerById.get(p.sellerId)!.pesantrenId === id).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
      world.pesantren.forEach((pesantren, index) => {
        const page = result.data!._entities[index]!.products;
        expect(page.totalCount).toBe(ofPesantren(pesantren.id).length);
        expect(page.nodes.map((n) => n.id)).toEqual(ofPesantren(pesantren.id).slice(0, 2).map((p) => p.id));
      });
      const first = result.data!._entities[0]!.products;
      const next = await gql<{ products: Page }>(
        `query($after: String) { products(first: 2, after: $after, filter: { pesantrenId: "${sidogiri.id}" }) { nodes { id } } }`,
        { after: first.pageInfo.endCursor },
      );
      expect(next.data?.products.nodes.map((n) => n.id)).toEqual(ofPesantren(sidogiri.id).slice(2, 4).map((p) => p.id));
    });
  });

  describe.skipIf(Boolean(engine.skip))('operators, admins and curation', () => {
    const create = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id slug curationStatus featured } }`;
    const valid = () => ({
      sellerId: sidogiriSeller.id,
      category: 'makanan-ringan',
      nameIndonesian: 'Keripik Tempe Uji',
      nameEnglish: 'Test Tempeh Chips',
      descriptionIndonesian: 'Keripik tempe renyah untuk pengujian.',
      priceRupiah: 15_000,
      stock: 10,
      unit: 'bungkus',
      weightGrams: 200,
    });
    let productId = '';

    it('lets an operator add a product as a draft that shoppers do not see', async () => {
      expectError(await gql(create, { input: valid() }), 'UNAUTHENTICATED');
      const created = await gql<{ createProduct: { id: string; slug: string; curationStatus: string } }>(create, { input: valid() }, await identityHeaders(operatorIdentity(sidogiri.id)));
      expect(created.errors).toBeUndefined();
      expect(created.data?.createProduct).toMatchObject({ curationStatus: 'DRAFT', slug: expect.stringMatching(/^keripik-tempe-uji-/) });
      productId = created.data!.createProduct.id;
      expect((await gql(`{ product(id: "${productId}") { id } }`)).data).toEqual({ product: null });
      const managed = await gql<{ managedProducts: { nodes: { id: string }[] } }>(
        '{ managedProducts(first: 100, filter: { curationStatuses: [DRAFT] }) { nodes { id } } }',
        {},
        await identityHeaders(operatorIdentity(sidogiri.id)),
      );
      expect(managed.data?.managedProducts.nodes.map((n) => n.id)).toContain(productId);
    });

    it.each([
      ['a negative price', { priceRupiah: -5 }, 'input.priceRupiah'],
      ['an unknown category', { category: 'narkoba' }, 'input.category'],
      ['an oversized name', { nameIndonesian: 'K'.repeat(161) }, 'input.nameIndonesian'],
      ['a malformed halal number', { halalCertificateNumber: 'HALAL-123' }, 'input.halalCertificateNumber'],
      ['a malformed BPOM number', { bpomNumber: 'MD12' }, 'input.bpomNumber'],
      ['a fractional price', { priceRupiah: 1500.5 }, undefined],
      ['a price of Rp 0 (found by a new-user walkthrough)', { priceRupiah: 0 }, 'input.priceRupiah'],
    ])('refuses %s and writes nothing', async (_name, change, field) => {
      const before = await rows();
      expectError(await gql(create, { input: { ...valid(), ...change } }, await identityHeaders(operatorIdentity(sidogiri.id))), 'BAD_USER_INPUT', field);
      expect(await rows()).toEqual(before);
    });

    it('refuses products for another pesantren’s seller', async () => {
      const before = await rows();
      expectError(await gql(create, { input: { ...valid(), sellerId: otherSeller.id } }, await identityHeaders(operatorIdentity(sidogiri.id))), 'FORBIDDEN');
      expect(await rows()).toEqual(before);
    });

    it('walks the curation workflow with its rules', async () => {
      const operator = await identityHeaders(operatorIdentity(sidogiri.id));
      const admin = await identityHeaders(adminIdentity());
      const act = (mutation: string, headers: Record<string, string>, extra = '') =>
        gql<Record<string, { curationStatus: string; featured: boolean }>>(`mutation { ${mutation}(id: "${productId}"${extra}) { curationStatus featured } }`, {}, headers);
      const update = (input: Record<string, unknown>) =>
        gql<{ updateProduct: { curationStatus: string } }>(
          `mutation($input: UpdateProductInput!) { updateProduct(id: "${productId}", input: $input) { curationStatus } }`,
          { input },
          operator,
        );

      expect((await act('submitProductForCuration', operator)).data?.['submitProductForCuration']?.curationStatus).toBe('SUBMITTED');
      expect((await gql(`{ product(id: "${productId}") { id } }`)).data?.['product']).not.toBeNull();
      expectError(await act('startProductReview', operator), 'FORBIDDEN');
      expect((await act('startProductReview', admin)).data?.['startProductReview']?.curationStatus).toBe('IN_REVIEW');

      const refused = await act('featureProduct', admin);
      expectError(refused, 'CONFLICT');
      expect(refused.errors?.[0]?.extensions?.['missing']).toEqual(['halalCertificateNumber', 'pirtNumber or bpomNumber']);

      expect((await update({ halalCertificateNumber: 'ID35140000123456789', pirtNumber: '2063514-123456-25' })).data?.updateProduct.curationStatus).toBe('IN_REVIEW');
      expect((await act('featureProduct', admin, ', note: "Lolos kurasi"')).data?.['featureProduct']).toEqual({ curationStatus: 'FEATURED', featured: true });
      expect((await update({ priceRupiah: 17_500, stock: 3 })).data?.updateProduct.curationStatus).toBe('FEATURED');
      // A form sends every field: the curated ones as they are (the P-IRT number as typed, with its
      // dashes) keep the product featured; only a new price was saved (found by a new-user walkthrough).
      const current = (await gql<{ product: { name: { indonesian: string; english: string | null }; description: { indonesian: string; english: string | null }; category: { slug: string }; halalSelfDeclared: boolean; bpomNumber: string | null; sniCertificateNumber: string | null } }>(
        `{ product(id: "${productId}") { name { indonesian english } description { indonesian english } category { slug } halalSelfDeclared bpomNumber sniCertificateNumber } }`,
      )).data!.product;
      const asSent = {
        category: current.category.slug, nameIndonesian: current.name.indonesian, nameEnglish: current.name.english,
        descriptionIndonesian: current.description.indonesian, descriptionEnglish: current.description.english,
        halalCertificateNumber: 'id35140000123456789', halalSelfDeclared: current.halalSelfDeclared, pirtNumber: '2063514-123456-25',
        bpomNumber: current.bpomNumber, sniCertificateNumber: current.sniCertificateNumber,
      };
      expect((await update({ ...asSent, priceRupiah: 18_000 })).data?.updateProduct.curationStatus).toBe('FEATURED');
      expect((await gql<{ product: { priceRupiah: number } }>(`{ product(id: "${productId}") { priceRupiah } }`)).data?.product.priceRupiah).toBe(18_000);
      expect((await update({ ...asSent, halalCertificateNumber: 'ID35140000123456780' })).data?.updateProduct.curationStatus).toBe('SUBMITTED');

      expectError(await act('requestProductRevision', admin, ', reason: ""'), 'BAD_USER_INPUT', 'reason');
      expect((await act('requestProductRevision', admin, ', reason: "Foto kemasan belum jelas"')).data?.['requestProductRevision']?.curationStatus).toBe('NEEDS_REVISION');
      expect((await gql(`{ product(id: "${productId}") { id } }`)).data).toEqual({ product: null });
      expectError(await act('startProductReview', admin), 'CONFLICT');

      const history = await gql<{ product: { curationHistory: { fromStatus: string | null; toStatus: string; actor: string }[] } }>(
        `{ product(id: "${productId}") { curationHistory { fromStatus toStatus actor } } }`,
        {},
        operator,
      );
      expect(history.data?.product.curationHistory.map((e) => e.toStatus)).toEqual([
        'DRAFT', 'SUBMITTED', 'IN_REVIEW', 'FEATURED', 'SUBMITTED', 'NEEDS_REVISION',
      ]);
      expect(history.data?.product.curationHistory.at(-1)?.actor).toBe('test-admin');
      // The step back to curation names what changed, in the history's language, and nothing else.
      const notes = await gql<{ product: { curationHistory: { toStatus: string; note: string | null }[] } }>(`{ product(id: "${productId}") { curationHistory { toStatus note } } }`, {}, operator);
      expect(notes.data?.product.curationHistory[4]).toEqual({ toStatus: 'SUBMITTED', note: 'Diubah setelah kurasi: nomor sertifikat halal.' });
    });

    it('keeps curation history from shoppers', async () => {
      const featured = listed.find((p) => p.status === 'FEATURED')!;
      expectError(await gql(`{ product(id: "${featured.id}") { slug curationHistory { toStatus } } }`), 'UNAUTHENTICATED');
    });

    it('lets operators add sellers to their own pesantren only', async () => {
      const input = { pesantrenId: sidogiri.id, name: 'Santri Tani Sidogiri', pillar: 'SANTRIPRENEUR', regencyCode: '3514', descriptionIndonesian: 'Kebun sayur santri Sidogiri.', whatsapp: '0813 1111 2222' };
      const createSeller = `mutation($input: CreateSellerInput!) { createSeller(input: $input) { name whatsapp pesantren { id } regency { code } } }`;
      const created = await gql<{ createSeller: { whatsapp: string; pesantren: { id: string } } }>(createSeller, { input }, await identityHeaders(operatorIdentity(sidogiri.id)));
      expect(created.data?.createSeller).toMatchObject({ whatsapp: '6281311112222', pesantren: { id: sidogiri.id } });
      expectError(await gql(createSeller, { input: { ...input, pesantrenId: otherSeller.pesantrenId } }, await identityHeaders(operatorIdentity(sidogiri.id))), 'FORBIDDEN');
      // A pesantren lies in one regency: a seller elsewhere, or in no regency at all, is refused.
      for (const regencyCode of ['9999', '3578']) {
        expectError(await gql(createSeller, { input: { ...input, name: `Santri Tani ${regencyCode}`, regencyCode } }, await identityHeaders(operatorIdentity(sidogiri.id))), 'BAD_USER_INPUT', 'input.regencyCode');
      }
      // A pesantren with no seller yet: only the pesantren subgraph knows where it lies, or that it exists.
      const admin = await identityHeaders(adminIdentity());
      const withoutSellers = world.pesantren.find((p) => !world.sellers.some((seller) => seller.pesantrenId === p.id));
      if (withoutSellers) {
        const elsewhere = withoutSellers.regencyCode === '3578' ? '3514' : '3578';
        expectError(await gql(createSeller, { input: { ...input, pesantrenId: withoutSellers.id, regencyCode: elsewhere } }, admin), 'BAD_USER_INPUT', 'input.regencyCode');
      }
      expectError(await gql(createSeller, { input: { ...input, pesantrenId: '00000000-0000-4000-8000-00000000beef' } }, admin), 'BAD_USER_INPUT', 'input.pesantrenId');
    });

    it("lets operators edit their own pesantren's sellers, through the outbox that redraws their products' pages; refuses others and bad input, writing nothing", async () => {
      const operator = await identityHeaders(operatorIdentity(sidogiri.id));
      const own = world.sellers.find((seller) => seller.pesantrenId === sidogiri.id)!;
      const updateSeller = `mutation($id: ID!, $input: UpdateSellerInput!) { updateSeller(id: $id, input: $input) { id slug name pillar whatsapp description { indonesian english } } }`;
      const read = async (id: string) => subgraph.service.database.fork().findOneOrFail(Seller, { id });
      const outboxEvents = async (sellerId: string) => subgraph.service.database.fork().count(SearchOutboxEvent, { sellerId });
      const before = await read(own.id);
      const eventsBefore = await outboxEvents(own.id);
      const edited = await gql<{ updateSeller: Record<string, unknown> }>(updateSeller, { id: own.id, input: { name: 'Koperasi Santri Sidogiri (ubah)', whatsapp: '0813 2222 3333', descriptionEnglish: null } }, operator);
      // Left out stays, null clears, the number is kept as the API keeps them, and the address (slug) stays.
      expect(edited.data?.updateSeller).toEqual({
        id: own.id, slug: before.slug, name: 'Koperasi Santri Sidogiri (ubah)', pillar: before.pillar, whatsapp: '6281322223333',
        description: { indonesian: before.descriptionIndonesian, english: null },
      });
      expect(await outboxEvents(own.id)).toBe(eventsBefore + 1);

      const unchanged = async (id: string, run: () => Promise<unknown>) => {
        const was = await read(id);
        const events = await outboxEvents(id);
        await run();
        expect(await read(id)).toEqual(was);
        expect(await outboxEvents(id)).toBe(events);
      };
      await unchanged(otherSeller.id, async () => expectError(await gql(updateSeller, { id: otherSeller.id, input: { name: 'Dibajak' } }, operator), 'FORBIDDEN'));
      await unchanged(own.id, async () => expectError(await gql(updateSeller, { id: own.id, input: { name: 'K', whatsapp: '12' } }, operator), 'BAD_USER_INPUT'));
      await unchanged(own.id, async () => expectError(await gql(updateSeller, { id: own.id, input: { descriptionIndonesian: null } }, operator), 'BAD_USER_INPUT', 'input.descriptionIndonesian'));
      expectError(await gql(updateSeller, { id: '00000000-0000-4000-8000-00000000beef', input: { name: 'Tidak ada' } }, operator), 'NOT_FOUND');
      expectError(await gql(updateSeller, { id: own.id, input: { name: 'Tanpa masuk' } }), 'UNAUTHENTICATED');
      // Put back for the tests after this one.
      await gql(updateSeller, { id: own.id, input: { name: before.name, whatsapp: before.whatsapp ? `0${before.whatsapp.slice(2)}` : null, descriptionEnglish: before.descriptionEnglish } }, operator);
    });
  });

  describe.skipIf(Boolean(engine.skip))('list maxima the SDL declares', () => {
    it(`lists at most ${MAX_SELLERS_PER_PESANTREN} sellers of a pesantren, for every pesantren of a batch in one SQL query`, async () => {
      const crowded = randomUUID();
      const em = subgraph.service.database.fork();
      for (let i = 1; i <= MAX_SELLERS_PER_PESANTREN + 5; i++) {
        const id = randomUUID();
        const name = `Penjual ${String(i).padStart(2, '0')}`;
        em.create(Seller, { id, slug: SellerRepository.slugFor(name, id), name, pillar: 'SANTRIPRENEUR', pesantrenId: crowded, regencyCode: '3514', descriptionIndonesian: 'Penjual uji batas daftar.' });
      }
      await em.flush();
      const { result, queries } = await countQueries(subgraph.service.database, () =>
        gql<{ _entities: { sellers: { name: string }[] }[] }>('query($r: [_Any!]!) { _entities(representations: $r) { ... on Pesantren { sellers { name } } } }', {
          r: [crowded, sidogiri.id].map((id) => ({ __typename: 'Pesantren', id })),
        }),
      );
      expect(result.errors).toBeUndefined();
      expect(queries).toHaveLength(1);
      expect(result.data!._entities[0]!.sellers.map((seller) => seller.name)).toEqual(Array.from({ length: MAX_SELLERS_PER_PESANTREN }, (_, i) => `Penjual ${String(i + 1).padStart(2, '0')}`));
      expect(result.data!._entities[1]!.sellers.length).toBe(world.sellers.filter((seller) => seller.pesantrenId === sidogiri.id).length + 1);
    });

    it(`shows the newest ${MAX_CURATION_HISTORY} curation steps of a product, oldest of them first`, async () => {
      const product = listed.at(-1)!;
      const em = subgraph.service.database.fork();
      const start = Date.parse('2026-01-01T00:00:00Z');
      for (let i = 0; i < MAX_CURATION_HISTORY + 10; i++) {
        em.create(CurationEvent, { product: em.getReference(Product, product.id), fromStatus: 'IN_REVIEW', toStatus: 'IN_REVIEW', note: `step ${i}`, actor: 'test-admin', at: new Date(start + i * 60_000) });
      }
      await em.flush();
      const everything = await subgraph.service.database.fork().find(CurationEvent, { product: product.id }, { orderBy: { at: 'asc', id: 'asc' } });
      expect(everything.length).toBeGreaterThan(MAX_CURATION_HISTORY);
      const { data, errors } = await gql<{ product: { curationHistory: { note: string | null }[] } }>(`{ product(id: "${product.id}") { curationHistory { note } } }`, {}, await identityHeaders(adminIdentity()));
      expect(errors).toBeUndefined();
      expect(data!.product.curationHistory.map((step) => step.note)).toEqual(everything.slice(-MAX_CURATION_HISTORY).map((step) => step.note));
    });

    it(`lists at most ${MAX_CATEGORY_CHILDREN} root categories and children of a category, by position`, async () => {
      const em = subgraph.service.database.fork();
      const parent = await em.findOneOrFail(Category, { slug: 'makanan-minuman' });
      const added = Array.from({ length: MAX_CATEGORY_CHILDREN + 5 }, (_, i) =>
        em.create(Category, { slug: `uji-batas-${i}`, parent, nameIndonesian: `Uji batas ${i}`, nameEnglish: null, position: 1_000 + i }),
      );
      const roots = Array.from({ length: MAX_CATEGORY_CHILDREN + 5 }, (_, i) => em.create(Category, { slug: `uji-akar-${i}`, nameIndonesian: `Uji akar ${i}`, nameEnglish: null, position: 1_000 + i }));
      await em.flush();
      try {
        // The tree is read once at start-up (CategoryDirectory): read it again, as a restart would.
        const directory = await CategoryDirectory.load(subgraph.service.database.fork());
        const children = directory.children(directory.bySlug('makanan-minuman')!);
        expect(children).toHaveLength(MAX_CATEGORY_CHILDREN);
        expect(children.map((category) => category.slug)).not.toContain(`uji-batas-${MAX_CATEGORY_CHILDREN + 4}`);
        expect(directory.roots()).toHaveLength(MAX_CATEGORY_CHILDREN);
        // Categories beyond the list are still found by slug, and counted in their parent's subtree.
        expect(directory.subtree(directory.bySlug('makanan-minuman')!).map((category) => category.slug)).toContain(`uji-batas-${MAX_CATEGORY_CHILDREN + 4}`);
      } finally {
        await em.nativeDelete(Category, { id: { $in: [...added, ...roots].map((category) => category.id) } });
      }
    });

    it(`refuses to start on a category tree deeper than the ${MAX_CATEGORY_DEPTH} levels a path may list`, async () => {
      const em = subgraph.service.database.fork();
      const chain: Category[] = [];
      for (let level = 0; level <= MAX_CATEGORY_DEPTH; level++) {
        chain.push(em.create(Category, { slug: `uji-tingkat-${level}`, parent: chain.at(-1) ?? null, nameIndonesian: `Uji tingkat ${level}`, nameEnglish: null, position: 2_000 }));
        await em.flush();
      }
      try {
        await expect(CategoryDirectory.load(subgraph.service.database.fork())).rejects.toThrow(/deeper than 5 levels at uji-tingkat-5/);
        await em.nativeDelete(Category, { id: chain.at(-1)!.id });
        const directory = await CategoryDirectory.load(subgraph.service.database.fork());
        expect(directory.path(directory.bySlug(`uji-tingkat-${MAX_CATEGORY_DEPTH - 1}`)!)).toHaveLength(MAX_CATEGORY_DEPTH);
      } finally {
        for (const category of chain.reverse()) await em.nativeDelete(Category, { id: category.id });
      }
    });
  });
});
