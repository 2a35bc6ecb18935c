import { randomBytes } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeQuery, indexTerms, sellerKeywords } from '../src/modules/search/analyzer.ts';
import { EmbeddedSearchIndex } from '../src/modules/search/embedded-index.ts';
import { MeilisearchIndex } from '../src/modules/search/meilisearch-index.ts';
import { priceRangeOf, type ProductDocument, type SearchIndex, type SearchRequest } from '../src/modules/search/search-index.ts';
import { queryRequest } from '../src/modules/search/search.input.ts';

/**
 * The contract every SearchIndex adapter keeps. It runs against the embedded index always, and
 * against Meilisearch whenever MEILI_URL is set (start one with `docker compose up meilisearch`).
 */

const MEILI_URL = process.env['MEILI_URL'] || undefined;
const MEILI_API_KEY = process.env['MEILI_API_KEY'] || undefined;

let sequence = 0;
/** A document shaped as the catalogue builds them: searchTerms from the names, category, regency and seller keywords. */
function doc(overrides: Partial<ProductDocument> & Pick<ProductDocument, 'name'>): ProductDocument {
  sequence++;
  const priceRupiah = overrides.priceRupiah ?? 10_000 * sequence;
  const built: ProductDocument = {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    nameEnglish: '',
    descriptionEnglish: '',
    description: `${overrides.name}. Produk uji.`,
    categoryNames: 'Makanan & Minuman Food & Beverages Makanan Ringan Snacks',
    categorySlugs: ['makanan-minuman', 'makanan-ringan'],
    sellerName: 'Kopontren Uji',
    sellerKeywords: '',
    pesantrenId: '00000000-0000-4000-8000-00000000aaaa',
    regencyCode: '3514',
    regencyName: 'Kabupaten Pasuruan',
    pillar: 'PESANTRENPRENEUR',
    halalCertified: true,
    featured: true,
    inStock: true,
    createdAt: Date.UTC(2024, 0, sequence),
    popularity: sequence,
    searchTerms: '',
    ...overrides,
    priceRupiah,
    priceRange: priceRangeOf(priceRupiah),
  };
  built.sellerKeywords = sellerKeywords(built.sellerName);
  built.searchTerms = indexTerms([built.name, built.nameEnglish, built.categoryNames, built.regencyName, built.sellerKeywords].join(' ')).join(' ');
  return built;
}

const fixtures = [
  doc({ name: 'Keripik Tempe Pedas', priceRupiah: 15_000, popularity: 90, description: 'Keripik tempe gurih, digoreng tanpa tambahan gula.' }),
  doc({ name: 'Keripik Singkong Balado', priceRupiah: 12_000, regencyCode: '3525', regencyName: 'Kabupaten Gresik', pillar: 'SANTRIPRENEUR' }),
  doc({ name: 'Madu Klanceng', priceRupiah: 95_000, regencyCode: '3525', regencyName: 'Kabupaten Gresik', categorySlugs: ['makanan-minuman', 'madu-herbal'], categoryNames: 'Madu & Minuman Herbal Honey' }),
  doc({ name: 'Madu Hutan', nameEnglish: 'Wild Forest Honey', priceRupiah: 60_000, regencyCode: '3524', regencyName: 'Kabupaten Lamongan', categorySlugs: ['makanan-minuman', 'madu-herbal'], categoryNames: 'Madu & Minuman Herbal Honey', halalCertified: false }),
  doc({ name: 'Sarung Tenun Motif Kotak', priceRupiah: 250_000, regencyCode: '3525', regencyName: 'Kabupaten Gresik', categorySlugs: ['busana-muslim', 'sarung'], categoryNames: 'Busana Muslim Sarung', halalCertified: false, pillar: 'SOSIOPRENEUR', sellerName: "Amanah Food (Alumni Raudlatul Qur'an)" }),
  doc({ name: 'Kopi Arabika Ijen', priceRupiah: 75_000, regencyCode: '3511', regencyName: 'Kabupaten Bondowoso', categorySlugs: ['makanan-minuman', 'kopi-teh'], categoryNames: 'Kopi & Teh Coffee', inStock: false }),
  doc({ name: 'Batik Tulis <Madura> & Co', priceRupiah: 400_000, regencyCode: '3528', regencyName: 'Kabupaten Pamekasan', categorySlugs: ['busana-muslim', 'batik'], categoryNames: 'Busana Muslim Batik', halalCertified: false, featured: false }),
];

const request = (query: string, change: Partial<SearchRequest> = {}): SearchRequest => ({
  terms: analyzeQuery(query),
  filters: {},
  sort: 'RELEVANCE',
  page: 1,
  pageSize: 20,
  ...change,
});

const names = (index: SearchIndex, req: SearchRequest) => index.search(req).then((response) => response.hits.map((hit) => fixtures.find((f) => f.id === hit.id)!.name));

async function* batches(documents: ProductDocument[], size = 3) {
  for (let start = 0; start < documents.length; start += size) yield documents.slice(start, start + size);
}

interface Adapter {
  name: string;
  skip: string | undefined;
  create: () => Promise<{ index: SearchIndex; cleanup: () => Promise<void> }>;
}

const ADAPTERS: Adapter[] = [
  { name: 'embedded', skip: undefined, create: async () => ({ index: new EmbeddedSearchIndex(), cleanup: async () => {} }) },
  {
    name: 'meilisearch',
    skip: MEILI_URL ? undefined : 'MEILI_URL is not set, so the Meilisearch run of the contract is skipped',
    create: async () => {
      const uid = `products_contract_${randomBytes(4).toString('hex')}`;
      const client = new Meilisearch({ host: MEILI_URL!, ...(MEILI_API_KEY ? { apiKey: MEILI_API_KEY } : {}) });
      return {
        index: new MeilisearchIndex(MEILI_URL!, MEILI_API_KEY, uid),
        cleanup: async () => {
          await client.deleteIndexIfExists(uid);
          await client.deleteIndexIfExists(`${uid}_rebuild`);
        },
      };
    },
  },
];

describe.each(ADAPTERS)('the $name search index keeps the contract', (adapter) => {
  let index: SearchIndex;
  let cleanup = async () => {};

  beforeAll(async () => {
    if (adapter.skip) return;
    ({ index, cleanup } = await adapter.create());
    await index.prepare();
    await index.replaceAll(batches(fixtures));
  }, 120_000);

  afterAll(async () => cleanup());

  describe.skipIf(Boolean(adapter.skip))('searching', () => {
    it('holds every document it was given, once', async () => {
      expect(await index.count()).toBe(fixtures.length);
      await index.upsert([fixtures[0]!, fixtures[0]!]);
      expect(await index.count()).toBe(fixtures.length);
    });

    it('requires every word of the query, in whatever spelling the analyser accepts', async () => {
      expect(await names(index, request('madu gersik'))).toEqual(['Madu Klanceng']);
      expect(await names(index, request('kripik tempe'))).toEqual(['Keripik Tempe Pedas']);
      expect(await names(index, request('honey'))).toEqual(expect.arrayContaining(['Madu Klanceng', 'Madu Hutan']));
    });

    it('forgives a typo in a longer word', async () => {
      expect(await names(index, request('keripk singkong'))).toEqual(['Keripik Singkong Balado']);
    });

    it('returns everything for an empty query, and nothing for words no product has', async () => {
      expect((await index.search(request(''))).total).toBe(fixtures.length);
      expect((await index.search(request('zzzqqq'))).total).toBe(0);
    });

    it('filters: a parent category finds its children, values within a filter are alternatives', async () => {
      expect((await index.search(request('', { filters: { category: ['busana-muslim'] } }))).total).toBe(2);
      expect((await index.search(request('', { filters: { regency: ['3525', '3524'] } }))).total).toBe(4);
      expect((await index.search(request('', { filters: { regency: ['3525'], pillar: ['SANTRIPRENEUR'] } }))).total).toBe(1);
      expect((await index.search(request('', { filters: { halalCertified: [false] } }))).total).toBe(3);
      expect((await index.search(request('', { filters: { inStock: false } }))).total).toBe(1);
      expect((await index.search(request('', { filters: { featured: false } }))).total).toBe(1);
      expect((await index.search(request('', { filters: { minPriceRupiah: 50_000, maxPriceRupiah: 100_000 } }))).total).toBe(3);
      expect((await index.search(request('', { filters: { priceRange: ['UNDER_25K', 'FROM_250K'] } }))).total).toBe(4);
    });

    it('counts facets disjunctively: choosing a regency keeps the other regencies’ counts', async () => {
      const { facets, total } = await index.search(request('', { filters: { regency: ['3525'] } }));
      expect(total).toBe(3);
      expect(Object.fromEntries(facets.regency)).toEqual({ '3514': 1, '3525': 3, '3524': 1, '3511': 1, '3528': 1 });
      expect(facets.pillar.get('SANTRIPRENEUR')).toBe(1);
      expect(facets.category.get('busana-muslim')).toBe(1);
      expect(facets.halalCertified.get('true')).toBe(2);
    });

    it('sorts by price, newest and popularity', async () => {
      expect(await names(index, request('', { sort: 'PRICE_ASC', pageSize: 3 }))).toEqual(['Keripik Singkong Balado', 'Keripik Tempe Pedas', 'Madu Hutan']);
      expect((await names(index, request('', { sort: 'PRICE_DESC', pageSize: 1 })))[0]).toBe('Batik Tulis <Madura> & Co');
      expect((await names(index, request('', { sort: 'NEWEST', pageSize: 1 })))[0]).toBe('Batik Tulis <Madura> & Co');
      expect((await names(index, request('', { sort: 'POPULARITY', pageSize: 1 })))[0]).toBe('Keripik Tempe Pedas');
    });

    it('pages without losing or repeating a document', async () => {
      const pages = await Promise.all([1, 2, 3, 4].map((page) => index.search(request('', { sort: 'PRICE_ASC', page, pageSize: 2 }))));
      expect(pages.every((p) => p.total === fixtures.length)).toBe(true);
      expect(new Set(pages.flatMap((p) => p.hits.map((h) => h.id))).size).toBe(fixtures.length);
      expect(pages[3]!.hits).toHaveLength(1);
    });

    it('highlights matches as escaped HTML', async () => {
      const [hit] = (await index.search(request('batik'))).hits;
      expect(hit!.nameHighlight).toBe('<mark>Batik</mark> Tulis &lt;Madura&gt; &amp; Co');
      const [kopi] = (await index.search(request('arabika'))).hits;
      expect(kopi!.nameHighlight).toContain('<mark>Arabika</mark>');
    });

    it('highlights the English name too, whichever language the query is in', async () => {
      const hits = (await index.search(request('honey'))).hits;
      const hutan = hits.find((hit) => hit.id === fixtures[3]!.id)!;
      expect(hutan.nameEnglishHighlight).toBe('Wild Forest <mark>Honey</mark>');
      expect(hutan.nameHighlight).toBe('<mark>Madu</mark> Hutan');
      expect(hits.find((hit) => hit.id === fixtures[2]!.id)!.nameEnglishHighlight).toBeNull();
    });

    it('runs a looser query when no product has every word, says which words it left out, and suggests the category', async () => {
      const { total, suggestion, relaxation } = await index.search(request('madu luwak'));
      expect(total).toBe(2);
      expect(relaxation).toEqual({ query: 'madu', ignoredWords: ['luwak'] });
      expect(suggestion).toEqual({ query: null, categorySlug: 'madu-herbal' });
      // Words that each find products but not together: left out from the end, as Meilisearch's `last` strategy does.
      expect(await index.search(request('madu sarung'))).toMatchObject({ total: 2, relaxation: { query: 'madu', ignoredWords: ['sarung'] } });
      // A relaxed query keeps a word that names something: not every product of Gresik for "tahu gresik".
      expect(await index.search(request('tahu gresik'))).toMatchObject({ total: 0, relaxation: null });
      expect(await index.search(request('madu'))).toMatchObject({ suggestion: null, relaxation: null });
    });

    it('splits words typed together when the halves find products together', async () => {
      // Kopi in the name, Bondowoso the regency: not next to each other, so Meilisearch's own split misses it.
      const { total, relaxation } = await index.search(request('kopibondowoso'));
      expect(total).toBe(1);
      expect(relaxation).toEqual({ query: 'kopi bondowoso', ignoredWords: [] });
    });

    it('never finds a product by its description alone, nor by words of its seller’s name that name products', async () => {
      expect((await index.search(request('gula'))).total).toBe(0);
      expect((await index.search(request('gurih'))).total).toBe(0);
      expect((await index.search(request('quran'))).total).toBe(0);
      expect(await names(index, request('raudlatul'))).toEqual(['Sarung Tenun Motif Kotak']);
      expect(await names(index, request('amanah'))).toEqual(['Sarung Tenun Motif Kotak']);
      // The description is still shown.
      expect((await index.search(request('keripik'))).hits[0]!.descriptionSnippet).toContain('gurih');
    });

    it('finds nothing for text that names no product, and everything for an empty query', async () => {
      for (const query of ['🙂🙂', '???', 'murah', 'jual asli original', 'عسل']) expect((await index.search(queryRequest(query))).total, query).toBe(0);
      expect((await index.search(queryRequest(''))).total).toBe(fixtures.length);
      expect(await names(index, queryRequest('ma\u200Bdu klanceng'))).toEqual(['Madu Klanceng']);
    });

    it('reads prices in words as a filter, and "murah" as cheapest first', async () => {
      expect(await names(index, queryRequest('keripik di bawah 14 ribu'))).toEqual(['Keripik Singkong Balado']);
      expect(await names(index, queryRequest('keripik'))).toEqual(['Keripik Tempe Pedas', 'Keripik Singkong Balado']);
      expect(await names(index, queryRequest('keripik murah'))).toEqual(['Keripik Singkong Balado', 'Keripik Tempe Pedas']);
    });

    it('forgets removed documents, ignores unknown ids, and replaces everything on a rebuild', async () => {
      await index.remove([fixtures[6]!.id, '00000000-0000-4000-8000-999999999999']);
      expect((await index.search(request('batik'))).total).toBe(0);
      await index.replaceAll(batches(fixtures.slice(0, 2)));
      expect(await index.count()).toBe(2);
      await index.replaceAll(batches(fixtures));
      expect(await index.count()).toBe(fixtures.length);
    });
  });
});
