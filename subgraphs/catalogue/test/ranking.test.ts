import { describe, expect, it } from 'vitest';
import { analyzeQuery, MAX_QUERY_TERMS } from '../src/modules/search/analyzer.ts';
import { documentOf } from '../src/modules/search/document.ts';
import { EmbeddedSearchIndex, rankingKey, type RuleValues } from '../src/modules/search/embedded-index.ts';
import type { ProductDocument, SearchRequest, SearchSort } from '../src/modules/search/search-index.ts';
import { queryRequest } from '../src/modules/search/search.input.ts';

/**
 * The embedded index's ranking, rule by rule. The scorer it replaced gave a word found exactly
 * the weight 0.45 / 0 = Infinity: every product containing a five-letter query word scored
 * Infinity, Infinity − Infinity compared as NaN, and results fell back to popularity. These
 * tests would have caught that: keys are finite and ordered rule by rule, and for each rule
 * a less popular product that matches better comes first.
 */

let sequence = 0;
function product(fields: { name: string; nameEnglish?: string; description?: string; category?: [string, string, string]; regency?: string; seller?: string; popularity?: number; stock?: number }): ProductDocument {
  sequence++;
  const [slug, nameIndonesian, nameEnglish] = fields.category ?? ['lain-lain', 'Lain-lain', 'Other'];
  return documentOf({
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    nameIndonesian: fields.name,
    nameEnglish: fields.nameEnglish ?? null,
    descriptionIndonesian: fields.description ?? 'Produk uji.',
    descriptionEnglish: null,
    categories: [{ slug, nameIndonesian, nameEnglish }],
    seller: { name: fields.seller ?? 'Kopontren Uji', pesantrenId: '00000000-0000-4000-8000-00000000aaaa', regencyCode: fields.regency ?? '3514', pillar: 'PESANTRENPRENEUR' },
    halalCertified: true,
    featured: true,
    stock: fields.stock ?? 10,
    priceRupiah: 10_000,
    createdAt: new Date(Date.UTC(2024, 0, sequence)),
    viewCount: fields.popularity ?? 0,
  });
}

async function indexOf(documents: ProductDocument[]): Promise<EmbeddedSearchIndex> {
  const index = new EmbeddedSearchIndex();
  await index.replaceAll((async function* () {
    yield documents;
  })());
  return index;
}

const request = (query: string, sort: SearchSort = 'RELEVANCE'): SearchRequest => ({ terms: analyzeQuery(query), filters: {}, sort, page: 1, pageSize: 50 });

async function names(index: EmbeddedSearchIndex, query: string, sort: SearchSort = 'RELEVANCE'): Promise<string[]> {
  const { hits } = await index.search(request(query, sort));
  return hits.map((hit) => hit.nameHighlight.replace(/<\/?mark>/g, ''));
}

describe('the ranking key', () => {
  const worst: RuleValues = { typos: 2 * MAX_QUERY_TERMS, proximity: MAX_QUERY_TERMS - 1, attributes: 3 * MAX_QUERY_TERMS, positions: 31 * MAX_QUERY_TERMS, name: 'other', inexactTerms: MAX_QUERY_TERMS };
  const best: RuleValues = { typos: 0, proximity: 0, attributes: 0, positions: 0, name: 'equals', inexactTerms: 0 };

  it('is a finite integer for every combination, even the worst match of the longest query', () => {
    for (const rules of [best, worst, { ...best, typos: 1 }, { ...worst, name: 'starts' as const }]) {
      const key = rankingKey(rules);
      expect(Number.isFinite(key)).toBe(true);
      expect(Number.isSafeInteger(key)).toBe(true);
      expect(key).toBeLessThan(2 ** 30);
    }
  });

  it('orders rule by rule: one step worse in a rule outweighs the best of every rule after it', () => {
    const steps: (keyof RuleValues)[] = ['typos', 'proximity', 'attributes', 'positions'];
    steps.forEach((rule, index) => {
      const worse = rankingKey({ ...best, [rule]: 1 });
      const laterAtWorst = { ...worst } as RuleValues;
      for (const earlier of steps.slice(0, index + 1)) (laterAtWorst as unknown as Record<string, number>)[earlier] = 0;
      expect(worse, rule).toBeGreaterThan(rankingKey(laterAtWorst));
    });
    expect(rankingKey({ ...best, name: 'starts' })).toBeGreaterThan(rankingKey({ ...best, inexactTerms: MAX_QUERY_TERMS }));
  });

  it('compares as a total order: antisymmetric and transitive over many keys', () => {
    const keys = Array.from({ length: 200 }, (_, n) =>
      rankingKey({ typos: n % 3, proximity: n % 2, attributes: n % 5, positions: n % 7, name: (['equals', 'starts', 'other'] as const)[n % 3]!, inexactTerms: n % 4 }),
    );
    const compare = (a: number, b: number) => a - b;
    for (const a of keys) {
      for (const b of keys) {
        expect(Number.isNaN(compare(a, b))).toBe(false);
        expect(Math.sign(compare(a, b)) + Math.sign(compare(b, a))).toBe(0);
      }
    }
  });
});

describe('ranking by the rules, not by popularity', () => {
  it('puts a less popular product named by a five-letter word before a popular one in its category', async () => {
    // The Infinity bug: every product containing "tempe" scored Infinity, so the most viewed came first.
    const index = await indexOf([
      product({ name: 'Sambal Bawang', category: ['tempe', 'Olahan Tempe', 'Tempeh'], popularity: 3_000 }),
      product({ name: 'Keripik Tempe', popularity: 5 }),
    ]);
    expect(await names(index, 'tempe')).toEqual(['Keripik Tempe', 'Sambal Bawang']);
    expect(await names(index, '', 'POPULARITY')).toEqual(['Sambal Bawang', 'Keripik Tempe']);
  });

  it('ranks the name over the category, and never finds a product by its description alone', async () => {
    const index = await indexOf([
      product({ name: 'Teh Hijau', category: ['kopi-teh', 'Kopi & Teh', 'Coffee & Tea'], popularity: 900 }),
      product({ name: 'Kopi Rempah', popularity: 1 }),
      product({ name: 'Gula Aren', description: 'Pas untuk kopi pagi.', popularity: 5_000 }),
    ]);
    // A description is shown, not searched: "gula" in "tanpa tambahan gula" made every such product a result.
    expect(await names(index, 'kopi')).toEqual(['Kopi Rempah', 'Teh Hijau']);
    // "coffee" returned a green tea first: its category is "Coffee & Tea".
    expect((await names(index, 'coffee'))[0]).toBe('Kopi Rempah');
  });

  it('ranks the regency over the seller, and matches a seller by its own words only', async () => {
    const index = await indexOf([
      product({ name: 'Sarung Tenun', seller: 'Kopontren Al-Hikmah Sumberrejo', popularity: 900 }),
      product({ name: 'Kue Hikmah', popularity: 1 }),
      product({ name: 'Sarung Batik', regency: '3525', popularity: 1 }),
      product({ name: 'Songkok', seller: 'Kopontren Gresik Baru', popularity: 800 }),
      product({ name: 'Garam', seller: 'Amanah Food', popularity: 700 }),
    ]);
    expect(await names(index, 'hikmah')).toEqual(['Kue Hikmah', 'Sarung Tenun']);
    expect(await names(index, 'gresik')).toEqual(['Sarung Batik', 'Songkok']);
    // "Food" in a seller's name is a brand, not what the seller's products are.
    expect(await names(index, 'amanah')).toEqual(['Garam']);
    expect(await names(index, 'food')).toEqual([]);
  });

  it('allows no typo on a word the vocabulary knows, nor in a seller’s name', async () => {
    const index = await indexOf([product({ name: 'Beras Hitam' }), product({ name: 'Keripik Tempe', seller: "Kopontren Mamba'ul Hikam" }), product({ name: 'Sambal Bawang', seller: 'Kopontren Lirboyo' })]);
    expect(await names(index, 'hitam')).toEqual(['Beras Hitam']);
    expect(await names(index, 'lirboyo')).toEqual(['Sambal Bawang']);
    expect(await names(index, 'lirboyu')).toEqual([]);
  });

  it('counts each query term once, at its best reading: repeating a word or its translation wins nothing', async () => {
    const index = await indexOf([
      product({ name: 'Madu Hutan Honey', nameEnglish: 'Honey Forest Honey', description: 'Madu honey madu honey madu.', popularity: 2_000 }),
      product({ name: 'Madu', nameEnglish: 'Honey', popularity: 1 }),
    ]);
    // Both have "madu" first in the name; the exactness rule prefers the name that is the query.
    expect(await names(index, 'madu')).toEqual(['Madu', 'Madu Hutan Honey']);
  });

  it('ranks fewer typos first', async () => {
    const index = await indexOf([product({ name: 'Keripik Singkong', popularity: 5_000 }), product({ name: 'Keripk Singkong', popularity: 1 })]);
    expect(await names(index, 'keripk singkong')).toEqual(['Keripk Singkong', 'Keripik Singkong']);
  });

  it('ranks a product holding every word in one attribute before one spreading them', async () => {
    const index = await indexOf([
      product({ name: 'Madu Hutan', description: 'Dipanen di Gresik.', regency: '3514', popularity: 5_000 }),
      product({ name: 'Madu Gresik', popularity: 1 }),
    ]);
    expect((await names(index, 'madu gresik'))[0]).toBe('Madu Gresik');
  });

  it('ranks earlier words first, then exact words before spellings and roots', async () => {
    const index = await indexOf([
      product({ name: 'Sambal Keripik', popularity: 5_000 }),
      product({ name: 'Keripik Pedas', popularity: 1 }),
      product({ name: 'Kripik Balado', popularity: 2_000 }),
    ]);
    expect(await names(index, 'keripik')).toEqual(['Keripik Pedas', 'Kripik Balado', 'Sambal Keripik']);
  });

  it('puts in stock before sold out at equal relevance, then the more popular', async () => {
    const index = await indexOf([
      product({ name: 'Madu Klanceng', popularity: 9_000, stock: 0 }),
      product({ name: 'Madu Klanceng', popularity: 10 }),
      product({ name: 'Madu Klanceng', popularity: 20 }),
    ]);
    const { hits } = await index.search(request('madu klanceng'));
    const order = hits.map((hit) => hit.id);
    expect(order).toHaveLength(3);
    const docs = new Map([...Array(3)].map((_, n) => [order[n]!, n]));
    expect(docs.size).toBe(3);
    const sold = await index.search({ ...request('madu klanceng'), filters: { inStock: false } });
    expect(order.at(-1)).toBe(sold.hits[0]!.id);
    // Also when browsing and under an explicit sort with equal keys.
    expect((await index.search(request(''))).hits.at(-1)!.id).toBe(sold.hits[0]!.id);
    expect((await index.search(request('', 'PRICE_ASC'))).hits.at(-1)!.id).toBe(sold.hits[0]!.id);
  });

  it('keeps the requested sort after relevance: cheaper first among equally good matches', async () => {
    const index = await indexOf([product({ name: 'Kopi Robusta' }), product({ name: 'Kopi Arabika' }), product({ name: 'Teh Hijau', category: ['kopi-teh', 'Kopi & Teh', 'Coffee & Tea'] })]);
    const { hits } = await index.search(request('kopi', 'PRICE_DESC'));
    expect(hits.map((hit) => hit.nameHighlight.replace(/<\/?mark>/g, '')).at(-1)).toBe('Teh Hijau');
  });
});

describe('typo tolerance', () => {
  const documents = [product({ name: 'Kopi Tubruk' }), product({ name: 'Sarung Tenun' }), product({ name: 'Kaligrafi Kayu' }), product({ name: 'Gresik Batik' })];

  it.each([
    ['kopu', 0, 'four letters: no typo'],
    ['sarnug', 1, 'five to eight letters: one typo, a swap of neighbours counting one'],
    ['saruung', 1, 'one letter too many'],
    ['sarong', 0, 'but the translation, not a typo, finds it (see the vocabulary)'],
    ['kalogarfy', 0, 'nine or more letters: two typos, not three'],
    ['kaligarfi', 1, 'nine or more letters: a swap'],
    ['kalihrafy', 1, 'nine or more letters: two typos'],
    ['kaligrfy', 0, 'eight letters: one typo, not two'],
    ['tarung', 0, 'a wrong first letter counts two'],
  ])('"%s" finds %i product (%s)', async (query, expected) => {
    const index = await indexOf(documents);
    const { total } = await index.search(request(query));
    if (query === 'sarong') expect(total).toBe(1);
    else expect(total).toBe(expected);
  });
});

describe('answering nothing, helpfully', () => {
  it('suggests a corrected query, or the category a word belongs to; runs a looser query when some words find products', async () => {
    const index = await indexOf([
      product({ name: 'Kaligrafi Kayu', category: ['kaligrafi', 'Kaligrafi', 'Calligraphy'] }),
      product({ name: 'Kopi Arabika', category: ['kopi-teh', 'Kopi & Teh', 'Coffee & Tea'] }),
    ]);
    // Three typos in nine letters: past the tolerance, so nothing, but "did you mean" finds it.
    expect(await index.search(request('kaliggrafyy'))).toMatchObject({ total: 0, relaxation: null, suggestion: { query: 'kaligrafi', categorySlug: 'kaligrafi' } });
    // A word no product has is left out, and the shopper is told; the category of what is shown is offered.
    expect(await index.search(request('kopi luwak'))).toMatchObject({ total: 1, relaxation: { query: 'kopi', ignoredWords: ['luwak'] }, suggestion: { query: null, categorySlug: 'kopi-teh' } });
    // A misspelt word beside a word that finds products: the looser query is run, and the correction suggested.
    expect(await index.search(request('kaliggrafyy kayu'))).toMatchObject({ total: 1, relaxation: { query: 'kayu', ignoredWords: ['kaliggrafyy'] }, suggestion: { query: 'kaligrafi kayu' } });
    // A word the vocabulary knows but no product has: its category.
    expect(await index.search(request('mukena'))).toMatchObject({ total: 0, suggestion: { query: null, categorySlug: 'busana-muslim' } });
    // Nothing known: nothing suggested.
    expect((await index.search(request('laptop'))).suggestion).toBeNull();
    expect((await index.search(request('kopi'))).suggestion).toBeNull();
  });

  it('does not correct a short word to a different one, repeats no correction, and suggests no numbers', async () => {
    const index = await indexOf([product({ name: 'Kerudung Segi Empat' }), product({ name: 'Kaligrafi Kayu 60 x 90 cm', category: ['kaligrafi', 'Kaligrafi', 'Calligraphy'] })]);
    // "empon" is two letters from "empat": a search allows one typo in five letters, a suggestion no more.
    expect((await index.search(request('empon'))).suggestion?.query ?? null).toBeNull();
    const pasted = await index.search(request(`${'kaliggrafyy '.repeat(10)} rp 150000 zzzqqq`));
    expect(pasted.suggestion?.query).toBe('kaligrafi');
    // Markup is not a word: "<script>…</script> madu" suggested "script".
    expect((await index.search(request('<script>alert(1)</script> kaliggrafyy'))).suggestion?.query).toBe('kaligrafi');
  });
});

describe('suggestions for short slips (a new user found "mdu" and "krpik" got none)', () => {
  const catalogue = [
    product({ name: 'Madu Hutan', category: ['madu', 'Madu', 'Honey'] }),
    product({ name: 'Madu Kelengkeng', category: ['madu', 'Madu', 'Honey'] }),
    product({ name: 'Keripik Tempe', category: ['keripik', 'Keripik', 'Chips'] }),
    product({ name: 'Kopi Tubruk', category: ['kopi-teh', 'Kopi & Teh', 'Coffee & Tea'] }),
    product({ name: 'Gula Aren Cetak', category: ['gula', 'Gula', 'Sugar'] }),
    product({ name: 'Baju Koko Putih', category: ['busana-muslim', 'Busana Muslim', 'Muslim Wear'] }),
    product({ name: 'Sabun Sereh Soap', category: ['sabun', 'Sabun', 'Soap'] }),
  ];

  it('offers the four-letter word a three-letter one left a letter out of, and the word our products use for a spelling one typo off', async () => {
    const index = await indexOf(catalogue);
    expect(await index.search(request('mdu'))).toMatchObject({ total: 0, suggestion: { query: 'madu' } });
    expect(await index.search(request('kpi'))).toMatchObject({ total: 0, suggestion: { query: 'kopi' } });
    expect(await index.search(request('krpik'))).toMatchObject({ total: 0, suggestion: { query: 'keripik' } });
    expect(await index.search(request('krpik tempe'))).toMatchObject({ total: 1, suggestion: { query: 'keripik tempe' } });
  });

  it('suggests nothing a slip cannot explain: another first letter, two letters missing, a word no product has, a word that finds products', async () => {
    const index = await indexOf(catalogue);
    // "adu" is "madu" without its first letter: a slip changes a middle letter, not how a word starts.
    expect((await index.search(request('adu'))).suggestion?.query ?? null).toBeNull();
    // Two letters left out of "kopi".
    expect((await index.search(request('kp'))).suggestion?.query ?? null).toBeNull();
    // Three letters that are no product word with one letter left out.
    expect((await index.search(request('xyz'))).suggestion?.query ?? null).toBeNull();
    // Words of their own, one letter from a product word, but not a vowel left out between consonants:
    // "sop" (soup) is not "soap", "bau" (smell) not "baju", "koi" not "kopi" (an adversarial review).
    for (const word of ['sop', 'bau', 'koi']) expect((await index.search(request(word))).suggestion?.query ?? null, word).toBeNull();
    // Two typos from every spelling the vocabulary knows ("kripik", "kripek", "krupuk").
    expect((await index.search(request('krpak'))).suggestion?.query ?? null).toBeNull();
    // Spelt right: nothing to suggest.
    expect((await index.search(request('madu'))).suggestion).toBeNull();
    // Without a honey product, "mdu" has nothing to be corrected to.
    const withoutHoney = await indexOf(catalogue.slice(2));
    expect((await withoutHoney.search(request('mdu'))).suggestion?.query ?? null).toBeNull();
  });
});

describe('bad input', () => {
  it('answers punctuation, emoji, other scripts, very long and repeated queries safely', async () => {
    const index = await indexOf([product({ name: 'Kopi Arabika' })]);
    for (const query of ['%%%', '🙂🙂🙂', 'مدو', 'ꦩꦢꦸ', '"; DROP TABLE product; --', 'kopi '.repeat(500), 'a'.repeat(10_000), Array.from({ length: 100 }, (_, i) => `kata${i}`).join(' ')]) {
      const response = await index.search(queryRequest(query, { pageSize: 50 }));
      expect(response.total, query.slice(0, 20)).toBeGreaterThanOrEqual(0);
      for (const hit of response.hits) expect(hit.nameHighlight).not.toMatch(/<(?!\/?mark>)/);
    }
    // Text that names no product finds nothing, not the whole catalogue.
    for (const query of ['%%%', '🙂🙂🙂', 'مدو', 'ꦩꦢꦸ', 'jual murah', 'original']) expect((await index.search(queryRequest(query))).total, query).toBe(0);
  });
});
