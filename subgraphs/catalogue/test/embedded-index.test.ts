import { describe, expect, it } from 'vitest';
import { analyzeQuery, indexTerms } from '../src/modules/search/analyzer.ts';
import { EmbeddedSearchIndex } from '../src/modules/search/embedded-index.ts';
import { FACETS, priceRangeOf, type ProductDocument, type SearchFilters, type SearchRequest, type SearchSort } from '../src/modules/search/search-index.ts';

/**
 * The embedded index takes shortcuts at scale (a top-of-list buffer instead of a full sort, the
 * presorted orders, one-pass facet counting, slot compaction) that the seven-document contract
 * suite never reaches. Here a few thousand generated documents are checked against plain,
 * obviously correct computations over the same documents.
 */

const WORDS = ['keripik tempe', 'keripik singkong', 'kopi arabika', 'kopi robusta', 'madu hutan', 'sarung tenun', 'batik tulis', 'sambal bawang', 'teh daun kelor', 'kerupuk ikan'];
const REGENCIES = [
  ['3525', 'Kabupaten Gresik'],
  ['3524', 'Kabupaten Lamongan'],
  ['3511', 'Kabupaten Bondowoso'],
  ['3528', 'Kabupaten Pamekasan'],
  ['3509', 'Kabupaten Jember'],
] as const;
const CATEGORIES = [
  ['makanan-minuman', 'makanan-ringan'],
  ['makanan-minuman', 'kopi-teh'],
  ['busana-muslim', 'sarung'],
  ['busana-muslim'],
] as const;
const PILLARS = ['PESANTRENPRENEUR', 'SANTRIPRENEUR', 'SOSIOPRENEUR'] as const;

/** A deterministic pseudo-random sequence, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function generate(count: number, seed = 7): ProductDocument[] {
  const next = random(seed);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return Array.from({ length: count }, (_, n) => {
    const [regencyCode, regencyName] = pick(REGENCIES);
    const name = `${pick(WORDS)} ${pick(['pedas', 'original', 'premium', 'khas', 'asli'])}`;
    // Few distinct prices, dates and popularities, so ties are common and their order matters.
    const priceRupiah = 5_000 * (1 + Math.floor(next() * 40));
    const categorySlugs = [...pick(CATEGORIES)];
    const doc: ProductDocument = {
      id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      name,
      nameEnglish: '',
      descriptionEnglish: '',
      description: `${name} dari ${regencyName}.`,
      categoryNames: categorySlugs.join(' '),
      categorySlugs,
      sellerName: 'Kopontren Uji',
      sellerKeywords: 'kopontren uji',
      pesantrenId: '00000000-0000-4000-8000-00000000aaaa',
      regencyCode,
      regencyName,
      pillar: pick(PILLARS),
      halalCertified: next() < 0.7,
      featured: next() < 0.1,
      inStock: next() < 0.8,
      priceRupiah,
      priceRange: priceRangeOf(priceRupiah),
      createdAt: Date.UTC(2024, 0, 1 + Math.floor(next() * 60)),
      popularity: Math.floor(next() * 20),
      searchTerms: '',
    };
    doc.searchTerms = indexTerms([doc.name, doc.categoryNames, doc.regencyName, doc.sellerKeywords].join(' ')).join(' ');
    return doc;
  });
}

async function* once(documents: ProductDocument[]) {
  yield documents;
}

const request = (query: string, change: Partial<SearchRequest> = {}): SearchRequest => ({ terms: analyzeQuery(query), filters: {}, sort: 'RELEVANCE', page: 1, pageSize: 20, ...change });

/** Every hit of a request, read page by page. */
async function allPages(index: EmbeddedSearchIndex, base: SearchRequest, pageSize: number): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const { hits } = await index.search({ ...base, page, pageSize });
    ids.push(...hits.map((hit) => hit.id));
    if (hits.length < pageSize) return ids;
  }
}

const SORT_KEYS: Record<Exclude<SearchSort, 'RELEVANCE'>, (doc: ProductDocument) => number> = {
  PRICE_ASC: (doc) => doc.priceRupiah,
  PRICE_DESC: (doc) => -doc.priceRupiah,
  NEWEST: (doc) => -doc.createdAt,
  POPULARITY: (doc) => -doc.popularity,
};

function matchesFilters(doc: ProductDocument, filters: SearchFilters, except?: string): boolean {
  const within = (facet: string, values: readonly string[] | undefined, docValues: readonly string[]) => facet === except || !values?.length || docValues.some((value) => values.includes(value));
  return (
    within('regency', filters.regency, [doc.regencyCode]) &&
    within('pillar', filters.pillar, [doc.pillar]) &&
    within('category', filters.category, doc.categorySlugs) &&
    within('halalCertified', filters.halalCertified?.map(String), [String(doc.halalCertified)]) &&
    within('priceRange', filters.priceRange, [doc.priceRange]) &&
    (filters.inStock === undefined || doc.inStock === filters.inStock) &&
    (filters.featured === undefined || doc.featured === filters.featured) &&
    doc.priceRupiah >= (filters.minPriceRupiah ?? 0) &&
    doc.priceRupiah <= (filters.maxPriceRupiah ?? Infinity)
  );
}

function expectedFacets(documents: ProductDocument[], filters: SearchFilters): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = Object.fromEntries(FACETS.map((facet) => [facet, {}]));
  for (const doc of documents) {
    const values: Record<string, readonly string[]> = { category: doc.categorySlugs, regency: [doc.regencyCode], pillar: [doc.pillar], halalCertified: [String(doc.halalCertified)], priceRange: [doc.priceRange] };
    for (const facet of FACETS) {
      if (!matchesFilters(doc, filters, facet)) continue;
      for (const value of values[facet]!) counts[facet]![value] = (counts[facet]![value] ?? 0) + 1;
    }
  }
  return counts;
}

/** Equal sort keys: in stock first, then the more popular, then by id. */
const tieBreak = (a: ProductDocument, b: ProductDocument) => Number(b.inStock) - Number(a.inStock) || b.popularity - a.popularity || (a.id < b.id ? -1 : 1);

const asRecords = (facets: Record<string, Map<string, number>>) => Object.fromEntries(Object.entries(facets).map(([facet, counts]) => [facet, Object.fromEntries(counts)]));

describe('the embedded index at scale', () => {
  const documents = generate(3_000);
  const byId = new Map(documents.map((doc) => [doc.id, doc]));

  it('pages every sort order exactly as a full sort of the matching documents would, ties in stock first, then by popularity and id', async () => {
    const index = new EmbeddedSearchIndex();
    await index.replaceAll(once(documents));
    // From everything (read off the presorted order) down to a few dozen (ranked directly).
    const filterSets: SearchFilters[] = [
      {},
      { regency: ['3525', '3509'] },
      { pillar: ['SANTRIPRENEUR'], halalCertified: [true] },
      { category: ['busana-muslim'], maxPriceRupiah: 60_000 },
      { regency: ['3525'], pillar: ['SOSIOPRENEUR'], halalCertified: [false] },
    ];
    for (const filters of filterSets) {
      for (const [sort, key] of Object.entries(SORT_KEYS)) {
        const expected = documents
          .filter((doc) => matchesFilters(doc, filters))
          .sort((a, b) => key(a) - key(b) || tieBreak(a, b))
          .map((doc) => doc.id);
        // Pages of 20 (top-of-list buffer or presorted scan) and one page of everything (full sort).
        expect(await allPages(index, request('', { filters, sort: sort as SearchSort }), 20)).toEqual(expected);
        expect((await index.search(request('', { filters, sort: sort as SearchSort, pageSize: 5_000 }))).hits.map((hit) => hit.id)).toEqual(expected);
      }
    }
  });

  it('pages by relevance in the same order as one page of everything, best match first', async () => {
    const index = new EmbeddedSearchIndex();
    await index.replaceAll(once(documents));
    for (const query of ['keripik', 'kopi arabika', 'madu gresik']) {
      const everything = (await index.search(request(query, { pageSize: 5_000 }))).hits.map((hit) => hit.id);
      expect(everything.length).toBeGreaterThan(40);
      expect(await allPages(index, request(query), 20)).toEqual(everything);
      expect(await allPages(index, request(query), 7)).toEqual(everything);
    }
    // The product named by the query outranks one that only mentions it in passing.
    const [top] = (await index.search(request('kopi arabika'))).hits;
    expect(byId.get(top!.id)!.name).toMatch(/^kopi arabika/);
  });

  it('counts every facet disjunctively, as counting the documents one by one would', async () => {
    const index = new EmbeddedSearchIndex();
    await index.replaceAll(once(documents));
    const filterSets: SearchFilters[] = [
      {},
      { regency: ['3525'] },
      { regency: ['3525', '3511'], pillar: ['SOSIOPRENEUR'] },
      { category: ['makanan-minuman'], halalCertified: [false], inStock: true },
      { priceRange: [priceRangeOf(20_000)], featured: false, category: ['sarung'], regency: ['3509'] },
    ];
    for (const filters of filterSets) {
      const response = await index.search(request('', { filters }));
      expect(asRecords(response.facets)).toEqual(expectedFacets(documents, filters));
      expect(response.total).toBe(documents.filter((doc) => matchesFilters(doc, filters)).length);
    }
  });

  it('keeps answering correctly while most documents are replaced and removed, across compaction', async () => {
    const index = new EmbeddedSearchIndex();
    await index.replaceAll(once(documents));
    const current = new Map(byId);
    // Re-price every other document twice, then remove a third of them: dead slots pass a third.
    for (let round = 0; round < 2; round++) {
      const changed = documents.filter((_, n) => n % 2 === round).map((doc) => ({ ...doc, priceRupiah: doc.priceRupiah + 1_000, priceRange: priceRangeOf(doc.priceRupiah + 1_000) }));
      for (let start = 0; start < changed.length; start += 250) await index.upsert(changed.slice(start, start + 250));
      for (const doc of changed) current.set(doc.id, doc);
    }
    const removed = documents.filter((_, n) => n % 3 === 0).map((doc) => doc.id);
    await index.remove(removed);
    for (const id of removed) current.delete(id);

    const remaining = [...current.values()];
    expect(await index.count()).toBe(remaining.length);
    const expected = remaining.sort((a, b) => a.priceRupiah - b.priceRupiah || tieBreak(a, b)).map((doc) => doc.id);
    expect(await allPages(index, request('', { sort: 'PRICE_ASC' }), 50)).toEqual(expected);
    expect(asRecords((await index.search(request('', { filters: { regency: ['3524'] } }))).facets)).toEqual(expectedFacets(remaining, { regency: ['3524'] }));
    const keripik = await index.search(request('keripik', { pageSize: 5_000 }));
    expect(keripik.hits.every((hit) => current.has(hit.id) && /keripik/.test(current.get(hit.id)!.name))).toBe(true);
    expect(keripik.total).toBe(remaining.filter((doc) => doc.name.startsWith('keripik')).length);
  });
});
