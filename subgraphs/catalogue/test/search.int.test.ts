import { generateWorld } from '@opop/demo-data';
import { createLogger } from '@opop/server-kit';
import { adminIdentity, countQueries, dropTestSchema, identityHeaders, operatorIdentity, postGraphQL, testEngines, testSubgraphConfig, visitorHeaders } from '@opop/server-kit/testing';
import { expectError, useTestSubgraph } from '@opop/server-kit/test-harness';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../seeders/catalogue.seeder.ts';
import { createCatalogueService } from '../src/app.ts';
import { EMBEDDED_SEARCH } from '../src/config.ts';
import { CategoryDirectory } from '../src/modules/category/category.directory.ts';
import { analyzeQuery } from '../src/modules/search/analyzer.ts';
import { EmbeddedSearchIndex } from '../src/modules/search/embedded-index.ts';
import { SearchIndexer } from '../src/modules/search/indexer.ts';
import { SearchOutboxEvent } from '../src/modules/search/outbox.entity.ts';
import { SearchUnavailableError, type ProductDocument, type SearchIndex } from '../src/modules/search/search-index.ts';

const world = generateWorld('demo');
const sidogiri = world.pesantren.find((p) => p.slug === 'pondok-pesantren-sidogiri')!;
const seller = world.sellers.find((s) => s.pesantrenId === sidogiri.id && s.pillar === 'PESANTRENPRENEUR')!;
const logger = createLogger('search-test', 'silent');

type Search = {
  searchProducts: {
    interpretedQuery: string;
    total: number;
    hits: { product: { id: string; name: { indonesian: string }; seller: { regency: { code: string } } }; highlight: { name: string } }[];
    facets: { regencies: { value: string; count: number; selected: boolean; label: { indonesian: string } }[]; priceRanges: { value: string; count: number }[] };
  };
};
const SEARCH = `query($query: String, $filters: ProductSearchFilters, $sort: SearchSort, $page: Int, $pageSize: Int) {
  searchProducts(query: $query, filters: $filters, sort: $sort, page: $page, pageSize: $pageSize) {
    interpretedQuery total
    hits { product { id name { indonesian } seller { regency { code } } } highlight { name } }
    facets { regencies { value count selected label { indonesian } } priceRanges { value count } }
  } }`;

/** A document no database row backs: a rebuild removes it, resuming from the outbox does not. */
const SENTINEL: ProductDocument = {
  id: '00000000-0000-4000-8000-5e4714e10000',
  name: 'Penjaga',
  nameEnglish: '',
  descriptionEnglish: '',
  description: '',
  categoryNames: '',
  categorySlugs: [],
  sellerName: '',
  sellerKeywords: '',
  pesantrenId: sidogiri.id,
  regencyCode: '3514',
  regencyName: '',
  pillar: 'PESANTRENPRENEUR',
  halalCertified: false,
  featured: false,
  inStock: true,
  priceRupiah: 1,
  priceRange: 'UNDER_25K',
  createdAt: 0,
  popularity: 0,
  searchTerms: 'penjaga',
};

/** An index that fails its first writes, as Meilisearch does while restarting. */
class FlakyIndex extends EmbeddedSearchIndex {
  failuresLeft: number;
  attempts = 0;
  constructor(failures: number) {
    super();
    this.failuresLeft = failures;
  }
  override async upsert(...args: Parameters<EmbeddedSearchIndex['upsert']>) {
    this.attempts++;
    if (this.failuresLeft-- > 0) throw new SearchUnavailableError('simulated outage');
    return super.upsert(...args);
  }
}

describe.each(testEngines())('product search on $name', (engine) => {
  // Seeded and indexed before it listens, as a first `npm start` does, so the index is built from the loaded data.
  const subgraph = useTestSubgraph('catalogue', engine, {
    create: (config) => createCatalogueService({ ...config, search: { ...EMBEDDED_SEARCH, pollMs: 100 } }, { logger }),
    seed: async (em, service) => {
      await loadCatalogue(em, world);
      await service.indexer.rebuild();
    },
  });
  const { gql } = subgraph;
  const search = (variables: Record<string, unknown>) => gql<Search>(SEARCH, variables);
  const outboxRows = () => subgraph.service.database.fork().count(SearchOutboxEvent, {});

  describe.skipIf(Boolean(engine.skip))('finding products the way shoppers type', () => {
    it.each([
      ['kripik tempe', 'keripik tempe', /Keripik Tempe/],
      ['kopi arabika ijen', 'kopi arabika ijen', /Kopi Arabika Ijen/],
      ['sarung tenun', 'sarung tenun', /Sarung Tenun/],
      ['tempeh chips', 'tempe chips', /Keripik Tempe/],
      ['sambel bawang', 'sambal bawang', /Sambal Bawang/],
      ['jilbab', 'jilbab', /Kerudung/],
      ['coffee', 'coffee', /Kopi/],
      ['KOPIII', 'kopi', /Kopi/],
    ])('"%s" (read as "%s") finds %s first', async (query, interpreted, expected) => {
      const { data } = await search({ query, pageSize: 5 });
      expect(data?.searchProducts.interpretedQuery).toBe(interpreted);
      expect(data?.searchProducts.total).toBeGreaterThan(0);
      expect(data?.searchProducts.hits[0]!.product.name.indonesian).toMatch(expected);
    });

    it('reads a misspelt regency as the place: "madu gersik" is honey from Gresik', async () => {
      const { data } = await search({ query: 'madu gersik' });
      expect(data?.searchProducts.interpretedQuery).toBe('madu gresik');
      expect(data?.searchProducts.hits.length).toBeGreaterThan(0);
      expect(data?.searchProducts.hits.every((hit) => hit.product.seller.regency.code === '3525')).toBe(true);
      expect(data?.searchProducts.hits[0]!.product.name.indonesian).toMatch(/Madu/);
    });

    it('answers a query no product has every word of with a looser one, said so, and a suggestion', async () => {
      type Answer = { searchProducts: { total: number; relaxedQuery: string | null; ignoredWords: string[]; suggestion: { query: string | null; category: { slug: string } | null } | null } };
      const query = `query($query: String) { searchProducts(query: $query) { total relaxedQuery ignoredWords suggestion { query category { slug name { indonesian english } } } } }`;
      const shorter = (await gql<Answer>(query, { query: 'kopi luwak' })).data!.searchProducts;
      expect(shorter).toMatchObject({ relaxedQuery: 'kopi', ignoredWords: ['luwak'], suggestion: { query: null, category: { slug: 'kopi-teh' } } });
      expect(shorter.total).toBe((await gql<Answer>(query, { query: 'kopi' })).data!.searchProducts.total);
      // Words typed together are split (Meilisearch splits them itself when they stand together in a name, so it may need no relaxation).
      const joined = (await gql<Answer>(query, { query: 'kopiarabika' })).data!.searchProducts;
      expect(joined.total).toBe((await gql<Answer>(query, { query: 'kopi arabika' })).data!.searchProducts.total);
      if (joined.relaxedQuery) expect(joined).toMatchObject({ relaxedQuery: 'kopi arabika', ignoredWords: [] });
      const unknown = (await gql<Answer>(query, { query: 'mukena' })).data!.searchProducts;
      expect(unknown).toMatchObject({ total: 0, relaxedQuery: null, ignoredWords: [] });
      expect(unknown.suggestion).toEqual({ query: null, category: { slug: 'busana-muslim', name: { indonesian: 'Busana Muslim', english: 'Muslim Fashion' } } });
      const found = (await gql<Answer>(query, { query: 'kopi' })).data!.searchProducts;
      expect(found).toMatchObject({ relaxedQuery: null, ignoredWords: [], suggestion: null });
    });

    it('reads a price ceiling from the words, says so, and finds nothing for text that names no product', async () => {
      type Answer = { searchProducts: { total: number; maxPriceFromQuery: number | null; interpretedQuery: string; hits: { product: { priceRupiah: number } }[] } };
      const query = `query($query: String) { searchProducts(query: $query, pageSize: 50) { total maxPriceFromQuery interpretedQuery hits { product { priceRupiah } } } }`;
      const cheap = (await gql<Answer>(query, { query: 'kopi di bawah 50 ribu' })).data!.searchProducts;
      expect(cheap).toMatchObject({ maxPriceFromQuery: 50_000, interpretedQuery: 'kopi' });
      expect(cheap.total).toBeGreaterThan(0);
      expect(cheap.hits.every((hit) => hit.product.priceRupiah <= 50_000)).toBe(true);
      expect((await gql<Answer>(query, { query: 'kopi' })).data!.searchProducts.maxPriceFromQuery).toBeNull();
      for (const nothing of ['🙂🙂', '???', 'murah', 'jual original']) expect((await gql<Answer>(query, { query: nothing })).data!.searchProducts.total, nothing).toBe(0);
      expect((await gql<Answer>(query, { query: '' })).data!.searchProducts.total).toBeGreaterThan(0);
    });

    it('highlights the English name and description for the English pages', async () => {
      const query = `{ searchProducts(query: "tempeh chips", pageSize: 1) { hits { highlight { name nameEnglish descriptionEnglish } } } }`;
      const [hit] = (await gql<{ searchProducts: { hits: { highlight: { name: string; nameEnglish: string; descriptionEnglish: string } }[] } }>(query)).data!.searchProducts.hits;
      expect(hit!.highlight.nameEnglish).toMatch(/<mark>Tempeh<\/mark> <mark>Chips<\/mark>/);
      expect(hit!.highlight.descriptionEnglish).toMatch(/<mark>tempeh<\/mark> <mark>chips<\/mark>/);
    });

    it('highlights what matched', async () => {
      const { data } = await search({ query: 'kripik tempe', pageSize: 1 });
      expect(data?.searchProducts.hits[0]!.highlight.name).toMatch(/<mark>Keripik<\/mark> <mark>Tempe<\/mark>/);
    });

    it('keeps the other regencies’ counts when one is chosen, and marks the choice', async () => {
      const all = (await search({ query: 'keripik' })).data!.searchProducts;
      const chosen = all.facets.regencies[0]!.value;
      const filtered = (await search({ query: 'keripik', filters: { regencyCodes: [chosen] } })).data!.searchProducts;
      expect(filtered.total).toBe(all.facets.regencies[0]!.count);
      expect(filtered.facets.regencies).toEqual(all.facets.regencies.map((facet) => ({ ...facet, selected: facet.value === chosen })));
      expect(filtered.facets.regencies[0]!.label.indonesian).toMatch(/^(Kabupaten|Kota) /);
    });

    it('sorts by price and pages consistently', async () => {
      const page1 = (await search({ query: 'kopi', sort: 'PRICE_ASC', page: 1, pageSize: 3 })).data!.searchProducts;
      const page2 = (await search({ query: 'kopi', sort: 'PRICE_ASC', page: 2, pageSize: 3 })).data!.searchProducts;
      const prices = [...page1.hits, ...page2.hits].map((hit) => world.products.find((p) => p.id === hit.product.id)!.priceRupiah);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
      expect(new Set([...page1.hits, ...page2.hits].map((h) => h.product.id)).size).toBe(page1.hits.length + page2.hits.length);
    });

    it.each([
      ['a huge query', { query: 'kopi '.repeat(100) }, 'arguments.query'],
      ['page 0', { page: 0 }, 'arguments.page'],
      ['a negative page', { page: -3 }, 'arguments.page'],
      ['a page size of 1000', { pageSize: 1000 }, 'arguments.pageSize'],
      ['an unknown category', { filters: { categories: ['narkoba'] } }, 'filters.categories.0'],
      ['a filter value carrying a filter', { filters: { categories: ['makanan" OR 1=1 --'] } }, 'filters.categories.0'],
      ['a malformed regency', { filters: { regencyCodes: ['35 OR pillar = "X"'] } }, 'arguments.filters.regencyCodes.0'],
      ['an inverted price range', { filters: { minPriceRupiah: 50_000, maxPriceRupiah: 5_000 } }, 'arguments.filters.maxPriceRupiah'],
    ])('refuses %s with BAD_USER_INPUT', async (_name, variables, field) => {
      expectError(await search(variables), 'BAD_USER_INPUT', field);
    });

    it("reads the hits' products narrowed to their selected fields, answering as the whole row does, in the index's order", async () => {
      const hitsOf = async (productFields: string) => {
        const { result, queries } = await countQueries(subgraph.service.database, () =>
          gql<{ searchProducts: { hits: { product: Record<string, unknown> }[] } }>(
            `query($query: String!) { searchProducts(query: $query, pageSize: 20) { total hits { product { ...Shown } } } } fragment Shown on Product { ${productFields} }`,
            { query: 'kopi' },
          ),
        );
        expect(result.errors).toBeUndefined();
        const reads = queries.filter((sql) => /from "[^"]+"\."product" p join/.test(sql));
        expect(reads).toHaveLength(1);
        return { hits: result.data!.searchProducts.hits.map((hit) => hit.product), read: reads[0]! };
      };
      const card = 'slug name { indonesian english } priceRupiah unit unitName { english } inStock images { width } pesantren { id } category { slug }';
      const narrowed = await hitsOf(card);
      // description is in no narrowed set: this reads the whole row.
      const whole = await hitsOf(`${card} description { indonesian }`);
      expect(narrowed.read).not.toMatch(/p\.\*|description/);
      expect(whole.read).toMatch(/p\.\*/);
      expect(narrowed.hits.length).toBeGreaterThan(5);
      expect(narrowed.hits).toEqual(whole.hits.map(({ description: _description, ...product }) => product));
    });

    it('answers nonsense and punctuation safely', async () => {
      for (const query of ['"; DROP TABLE product; --', '<script>alert(1)</script>', '%%%', '🙂🙂🙂', 'a'.repeat(200)]) {
        const response = await search({ query });
        expect(response.errors, query).toBeUndefined();
        expect(response.data?.searchProducts.total).toBeGreaterThanOrEqual(0);
      }
    });
  });

  describe.skipIf(Boolean(engine.skip))('keeping the index current through the outbox', () => {
    const create = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`;
    const input = (name: string) => ({
      sellerId: seller.id,
      category: 'kopi-teh',
      nameIndonesian: name,
      descriptionIndonesian: 'Kopi uji untuk pencarian, disangrai santri.',
      priceRupiah: 55_000,
      stock: 5,
      unit: 'bungkus',
      weightGrams: 250,
      halalCertificateNumber: 'ID35140000123456789',
      pirtNumber: '206351412345625',
    });
    const operator = () => identityHeaders(operatorIdentity(sidogiri.id));
    const found = async (query: string) => (await search({ query })).data!.searchProducts.hits.map((hit) => hit.product.name.indonesian);

    it('makes a product findable once it is submitted, and unfindable when sent back, on its own', async () => {
      const created = await gql<{ createProduct: { id: string } }>(create, { input: input('Kopi Luwak Zamrud Santri') }, await operator());
      const id = created.data!.createProduct.id;
      await subgraph.service.indexer.drain();
      expect(await found('zamrud')).toEqual([]);
      await gql(`mutation { submitProductForCuration(id: "${id}") { curationStatus } }`, {}, await operator());
      await expect.poll(() => found('zamrud'), { timeout: 5_000 }).toEqual(['Kopi Luwak Zamrud Santri']);
      await gql(`mutation { requestProductRevision(id: "${id}", reason: "Foto belum jelas") { curationStatus } }`, {}, await identityHeaders(adminIdentity()));
      await expect.poll(() => found('zamrud'), { timeout: 5_000 }).toEqual([]);
    });

    it('writes an outbox event with every change, and none with a write that failed', async () => {
      const before = await outboxRows();
      const refused = await gql(create, { input: { ...input('Kopi Gagal'), priceRupiah: -1 } }, await operator());
      expectError(refused, 'BAD_USER_INPUT');
      expect(await outboxRows()).toBe(before);
      await gql(create, { input: input('Kopi Berhasil Dicatat') }, await operator());
      expect(await outboxRows()).toBeGreaterThan(before);
    });

    it('converges after a crash between the write and the index update', async () => {
      // An index that outlives the process (as Meilisearch does) and its persisted cursor.
      const external = new EmbeddedSearchIndex();
      const categories = await CategoryDirectory.load(subgraph.service.database.fork());
      const options = { persistentCursor: `crash-test-${engine.name}`, pollMs: 60_000, batchSize: 100, maxBackoffMs: 1_000 };
      const before = new SearchIndexer(subgraph.service.database, external, categories, logger, options);
      await before.start();
      await before.stop();
      // The write commits with its outbox event; the process dies before any indexer applies it.
      const created = await gql<{ createProduct: { id: string } }>(create, { input: input('Kopi Nilam Sesudah Crash') }, await operator());
      await gql(`mutation { submitProductForCuration(id: "${created.data!.createProduct.id}") { curationStatus } }`, {}, await operator());
      const lookup = () => external.search({ terms: analyzeQuery('nilam'), filters: {}, sort: 'RELEVANCE', page: 1, pageSize: 5 });
      expect((await lookup()).total).toBe(0);
      // A document only a rebuild would wipe: it shows the new process resumes rather than rebuilds.
      await external.upsert([SENTINEL]);
      // A new process resumes from the stored cursor and catches up.
      const after = new SearchIndexer(subgraph.service.database, external, categories, logger, options);
      await after.start();
      await after.stop();
      expect((await lookup()).hits.map((hit) => hit.id)).toEqual([created.data!.createProduct.id]);
      expect((await external.search({ terms: analyzeQuery('penjaga'), filters: {}, sort: 'RELEVANCE', page: 1, pageSize: 5 })).total).toBe(1);
    });

    it('retries with back-off while the index is down, losing nothing', async () => {
      const flaky = new FlakyIndex(0);
      const categories = await CategoryDirectory.load(subgraph.service.database.fork());
      const indexer = new SearchIndexer(subgraph.service.database, flaky, categories, logger, { persistentCursor: undefined, pollMs: 20, batchSize: 100, maxBackoffMs: 200 });
      await indexer.start();
      flaky.failuresLeft = 3;
      const attemptsBefore = flaky.attempts;
      const created = await gql<{ createProduct: { id: string } }>(create, { input: input('Kopi Safir Tahan Gangguan') }, await operator());
      await gql(`mutation { submitProductForCuration(id: "${created.data!.createProduct.id}") { curationStatus } }`, {}, await operator());
      await expect
        .poll(async () => (await flaky.search({ terms: analyzeQuery('safir'), filters: {}, sort: 'RELEVANCE', page: 1, pageSize: 5 })).total, { timeout: 5_000 })
        .toBe(1);
      expect(flaky.attempts - attemptsBefore).toBeGreaterThanOrEqual(4);
      expect((await indexer.status()).pendingEvents).toBe(0);
      await indexer.stop();
    });

    it('counts each visitor the router identifies once a day, at most 20 per network, whatever visitorId the client sends', async () => {
      const product = (await search({ query: 'brem', pageSize: 1, sort: 'POPULARITY' })).data!.searchProducts.hits[0]!.product;
      const view = (visitor: { id: string; network?: string }, visitorId?: string) =>
        gql<{ recordProductView: boolean }>('mutation($p: ID!, $v: String) { recordProductView(productId: $p, visitorId: $v) }', { p: product.id, v: visitorId ?? null }, visitorHeaders(visitor));
      expect((await view({ id: 'browser-0001' })).data?.recordProductView).toBe(true);
      expect((await view({ id: 'browser-0001' }, 'a-fresh-id-each-time')).data?.recordProductView).toBe(false);
      expect((await view({ id: 'browser-0002' })).data?.recordProductView).toBe(true);
      const rotating = [];
      for (let i = 0; i < 25; i++) rotating.push((await view({ id: `rotating-${i}`, network: 'one-cafe' })).data?.recordProductView);
      expect(rotating.filter(Boolean)).toHaveLength(20);
      expectError(await gql(`mutation { recordProductView(productId: "${product.id}") }`), 'BAD_USER_INPUT');
      expect((await gql<{ recordProductView: boolean }>('mutation { recordProductView(productId: "not-an-id") }', {}, visitorHeaders({ id: 'browser-0003' }))).data?.recordProductView).toBe(false);
    });

    it('reports its status to programme admins', async () => {
      expectError(await gql('{ searchIndexStatus { engine } }'), 'UNAUTHENTICATED');
      await subgraph.service.indexer.drain();
      const status = await gql<{ searchIndexStatus: { engine: string; ready: boolean; pendingEvents: number; documents: number } }>(
        '{ searchIndexStatus { engine ready pendingEvents documents } }',
        {},
        await identityHeaders(adminIdentity()),
      );
      expect(status.data?.searchIndexStatus).toMatchObject({ engine: 'embedded', ready: true, pendingEvents: 0 });
      expect(status.data?.searchIndexStatus.documents).toBeGreaterThan(200);
    });
  });

  describe.skipIf(Boolean(engine.skip))('when the search engine is down', () => {
    it('answers SERVICE_UNAVAILABLE for search while the rest of the catalogue works', async () => {
      const down: SearchIndex = Object.assign(new EmbeddedSearchIndex(), {
        search: async () => {
          throw new SearchUnavailableError('connection refused');
        },
      });
      const degraded = await createCatalogueService({ ...testSubgraphConfig('catalogue', engine), search: EMBEDDED_SEARCH }, { logger, searchIndex: down });
      try {
        const degradedUrl = await degraded.server.listen('127.0.0.1', 0);
        expectError(await postGraphQL(degradedUrl, '{ searchProducts(query: "kopi") { total } }'), 'SERVICE_UNAVAILABLE');
        expect((await postGraphQL(degradedUrl, '{ categories { slug } }')).errors).toBeUndefined();
      } finally {
        await dropTestSchema(degraded.database);
        await degraded.server.close();
      }
    });
  });
});
