import { generateWorld } from '@opop/demo-data';
import { EAST_JAVA_REGENCIES } from '@opop/identifiers';
import { describe, expect, it } from 'vitest';
import { analyzeQuery, joined, normalize, placeOf, stems, tokenize, understandQuery, vocabularyWords } from '../src/modules/search/analyzer.ts';
import { documentOf } from '../src/modules/search/document.ts';
import { EmbeddedSearchIndex } from '../src/modules/search/embedded-index.ts';
import { MEILISEARCH_SETTINGS, meilisearchSynonyms, meilisearchWords } from '../src/modules/search/meilisearch-index.ts';
import type { ProductDocument } from '../src/modules/search/search-index.ts';
import {
  AFFIXES,
  CATEGORY_HINTS,
  FILLER_WORDS,
  MEASURE_WORDS,
  NARROWER,
  PLACE_ALIASES,
  PRICE_WORDS,
  SPELLING_VARIANTS,
  STOPWORDS,
  SYNONYM_GROUPS,
  TYPO_TOLERANCE,
} from '../src/modules/search/vocabulary.ts';

/**
 * The vocabulary files, group by group: every synonym group, spelling, place alias and affix
 * rule is exercised through the analyser and an index, so a group that stops working (a typo in
 * the data, a phrase the analyser no longer joins) fails by name.
 */

let sequence = 0;
const product = (name: string, regencyCode = '3514'): ProductDocument =>
  documentOf({
    id: `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`,
    nameIndonesian: name,
    nameEnglish: null,
    descriptionIndonesian: 'Produk uji.',
    descriptionEnglish: null,
    categories: [{ slug: 'lain-lain', nameIndonesian: 'Lain-lain', nameEnglish: 'Other' }],
    seller: { name: 'Kopontren Uji', pesantrenId: '00000000-0000-4000-8000-00000000aaaa', regencyCode, pillar: 'PESANTRENPRENEUR' },
    halalCertified: true,
    featured: true,
    stock: 1,
    priceRupiah: 10_000,
    createdAt: new Date(0),
    viewCount: 0,
  });

async function indexOf(documents: ProductDocument[]): Promise<EmbeddedSearchIndex> {
  const index = new EmbeddedSearchIndex();
  await index.replaceAll((async function* () {
    yield documents;
  })());
  return index;
}

async function finds(index: EmbeddedSearchIndex, query: string): Promise<Set<string>> {
  const { hits } = await index.search({ terms: analyzeQuery(query), filters: {}, sort: 'RELEVANCE', page: 1, pageSize: 50 });
  return new Set(hits.map((hit) => hit.id));
}

describe('synonym groups: every member finds a product named by any other', () => {
  it.each(SYNONYM_GROUPS.map((group) => [group.join(' = '), group] as const))('%s', async (_name, group) => {
    const documents = group.map((word) => product(`Produk ${word}`));
    const index = await indexOf(documents);
    for (const query of group) {
      const found = await finds(index, query);
      for (const [n, doc] of documents.entries()) expect(found.has(doc.id), `"${query}" finds "${group[n]}"`).toBe(true);
    }
  });
});

describe('narrower words: a broad word finds its kinds, not the reverse', () => {
  it.each([...NARROWER].map(([broad, narrow]) => [broad, narrow] as const))('%s', async (broad, narrow) => {
    const documents = narrow.map((word) => product(`Produk ${word}`));
    const index = await indexOf([...documents, product(`Produk ${broad}`)]);
    const found = await finds(index, broad);
    for (const doc of documents) expect(found.has(doc.id), `"${broad}" finds "${doc.name}"`).toBe(true);
  });
});

describe('spellings: each variant finds the standard word', () => {
  it.each(Object.entries(SPELLING_VARIANTS))('%s → %s', async (variant, standard) => {
    const index = await indexOf([product(`Produk ${standard}`)]);
    expect((await finds(index, variant)).size).toBe(1);
    expect(analyzeQuery(variant)[0]!.canonical).toBe(standard);
  });
});

describe('places', () => {
  const byName = new Map(EAST_JAVA_REGENCIES.map((regency) => [normalize(regency.name), regency.code]));

  it.each(Object.entries(PLACE_ALIASES))('the alias %s is %s', (alias, official) => {
    expect(byName.has(official)).toBe(true);
    expect(placeOf(alias)?.name).toBe(official);
  });

  // Every official name split anywhere into parts of three letters or more, as shoppers type "tulung agung".
  const splits = [...byName.keys()].flatMap((name) => Array.from({ length: Math.max(0, name.length - 5) }, (_, i) => [name, `${name.slice(0, i + 3)} ${name.slice(i + 3)}`] as const));
  it.each(splits)('%s typed apart as "%s" is one place', (name, typed) => {
    const terms = analyzeQuery(typed);
    expect(terms).toHaveLength(1);
    expect(terms[0]!.regency).toBe(name);
  });

  it('finds products of a regency typed apart, joined or misspelt, and of a region', async () => {
    const index = await indexOf([product('Kopi Ijen', '3510'), product('Keripik Apel', '3579'), product('Garam', '3529'), product('Garam', '3525')]);
    for (const query of ['kopi banyuwangi', 'kopi banyu wangi', 'kopi bayuwangi', 'kopi bwi']) expect((await finds(index, query)).size, query).toBe(1);
    for (const query of ['keripik apel kota batu', 'keripik apel kotabatu', 'keripik apel batu']) expect((await finds(index, query)).size, query).toBe(1);
    expect((await finds(index, 'garam madura')).size).toBe(1);
  });

  it('keeps short ordinary words from becoming places', () => {
    for (const word of ['madu', 'tuba', 'bangil', 'batik', 'kering', 'sarung']) expect(placeOf(word)?.name, word).toBeUndefined();
  });
});

describe('fixed phrases match typed together or apart', () => {
  it('kayu putih, air mineral, kue kering', async () => {
    const index = await indexOf([product('Minyak Kayu Putih'), product('Air Mineral 600 ml'), product('Kue Kering Nastar')]);
    expect((await finds(index, 'minyak kayuputih')).size).toBe(1);
    expect((await finds(index, 'kayu putih')).size).toBe(1);
    expect((await finds(index, 'eucalyptus oil')).size).toBe(1);
    expect((await finds(index, 'air minum')).size).toBe(1);
    expect((await finds(index, 'bottled water')).size).toBe(1);
    expect((await finds(index, 'cookies')).size).toBe(1);
  });
});

describe('affix rules: each strips the prefix it names', () => {
  it.each([
    ['pengolahan', 'olah'],
    ['mengemas', 'kemas'],
    ['menggoreng', 'goreng'],
    ['menyangrai', 'sangrai'],
    ['memasak', 'masak'],
    ['pemasaran', 'pasar'],
    ['membatik', 'batik'],
    ['menenun', 'tenun'],
    ['penjahit', 'jahit'],
    ['perawatan', 'rawat'],
    ['bergaris', 'garis'],
    ['peternakan', 'ternak'],
    ['pelatihan', 'latih'],
    ['disangrai', 'sangrai'],
    ['kerajinan', 'rajin'],
    ['rajutan', 'rajut'],
    ['bordiran', 'bordir'],
    ['ukirannya', 'ukir'],
  ])('%s → %s', (word, root) => {
    expect(stems(word)).toContain(root);
  });

  it('lists only rules the stripper can apply', () => {
    for (const rule of AFFIXES.prefixes) {
      expect(rule.restore.length).toBeGreaterThan(0);
      expect(rule.next === '*' || /^[a-z]+$/.test(rule.next)).toBe(true);
    }
  });
});

describe('stop words and filler', () => {
  it('drops function words everywhere and marketplace filler from queries', () => {
    expect(tokenize('Madu dari Gresik untuk keluarga')).toEqual(['madu', 'gresik', 'keluarga']);
    expect(analyzeQuery('jual madu hutan asli murah').map((term) => term.canonical)).toEqual(['madu', 'hutan']);
    for (const word of FILLER_WORDS) expect(STOPWORDS.has(word), word).toBe(false);
  });
});

describe('prices in words', () => {
  it.each(PRICE_WORDS.ceilings.map((ceiling) => [ceiling] as const))('"%s" before an amount is a price ceiling', (ceiling) => {
    expect(understandQuery(`madu ${ceiling} 75 ribu`)).toMatchObject({ maxPriceRupiah: 75_000 });
    expect(understandQuery(`madu ${ceiling} 75 ribu`).terms.map((term) => term.canonical)).toEqual(['madu']);
  });

  it.each(Object.entries(PRICE_WORDS.units))('the unit "%s" is %i rupiah', (unit, rupiah) => {
    expect(understandQuery(`kopi di bawah 3 ${unit}`).maxPriceRupiah).toBe(3 * rupiah);
  });

  it.each([...PRICE_WORDS.cheapest].map((word) => [word] as const))('"%s" puts the cheaper first, and alone finds nothing', (word) => {
    expect(understandQuery(`sarung ${word}`)).toMatchObject({ cheapestFirst: true, nothingToSearch: false });
    expect(understandQuery(word).nothingToSearch).toBe(true);
  });
});

describe('measure words', () => {
  it('mark terms a shortened query never keeps alone, and are neither filler nor function words', () => {
    for (const word of MEASURE_WORDS) {
      expect(analyzeQuery(`madu ${word}`).at(-1)?.measure, word).toBe(true);
      expect(FILLER_WORDS.has(word) || STOPWORDS.has(word), word).toBe(false);
    }
    expect(analyzeQuery('madu 600').at(-1)?.measure).toBe(true);
    expect(analyzeQuery('madu hutan').some((term) => term.measure)).toBe(false);
  });
});

describe('category hints', () => {
  it('name categories that exist', () => {
    const slugs = new Set(generateWorld('demo').categories.map((category) => category.slug));
    for (const [word, slug] of CATEGORY_HINTS) expect(slugs.has(slug), `${word} → ${slug}`).toBe(true);
  });
});

describe('the Meilisearch settings come from the same vocabulary', () => {
  const synonyms = meilisearchSynonyms();

  it('maps every group member to the others, broad words one way, spellings and aliases to the standard word', () => {
    for (const group of SYNONYM_GROUPS) for (const word of group) for (const other of group) if (meilisearchWords(other) !== meilisearchWords(word)) expect(synonyms[meilisearchWords(word)], word).toContain(meilisearchWords(other));
    for (const [broad, narrow] of NARROWER) for (const word of narrow) expect(synonyms[meilisearchWords(broad)]).toContain(meilisearchWords(word));
    for (const member of ['kado', 'gift', 'drinks', 'souvenir']) expect(synonyms[member], member).toEqual(expect.arrayContaining(NARROWER.get(member === 'drinks' ? 'minuman' : member === 'souvenir' ? 'oleh oleh' : 'hadiah')!.map(meilisearchWords)));
    for (const [variant, standard] of Object.entries(SPELLING_VARIANTS)) if (variant !== standard) expect(synonyms[variant]).toContain(standard);
    for (const [alias, official] of Object.entries(PLACE_ALIASES)) expect(synonyms[alias]).toContain(official);
  });

  it('has the embedded ranking rules, typo tolerance and stop words', () => {
    expect(MEILISEARCH_SETTINGS.rankingRules).toEqual(['words', 'typo', 'proximity', 'attributeRank', 'wordPosition', 'exactness', 'sort', 'available:desc', 'popularity:desc']);
    expect(MEILISEARCH_SETTINGS.typoTolerance?.minWordSizeForTypos).toEqual(TYPO_TOLERANCE);
    // No typos for words the vocabulary knows, numbers, seller names and derived roots, as the embedded index.
    expect(MEILISEARCH_SETTINGS.typoTolerance?.disableOnWords).toEqual(vocabularyWords());
    expect(MEILISEARCH_SETTINGS.typoTolerance?.disableOnWords).toEqual(expect.arrayContaining(['hitam', 'madu', 'honey', 'gresik']));
    expect(MEILISEARCH_SETTINGS.typoTolerance).toMatchObject({ disableOnAttributes: ['sellerKeywords', 'searchTerms'], disableOnNumbers: true });
    expect(MEILISEARCH_SETTINGS.proximityPrecision).toBe('byAttribute');
    expect(new Set(MEILISEARCH_SETTINGS.stopWords)).toEqual(STOPWORDS);
    expect(MEILISEARCH_SETTINGS.searchableAttributes?.slice(0, 3)).toEqual(['name', 'nameEnglish', 'categoryNames']);
  });

  it('keeps phrases as words for Meilisearch and joined for the embedded index', () => {
    expect(joined('Air Mineral')).toBe('airmineral');
    expect(analyzeQuery('air minum')[0]).toMatchObject({ canonical: 'air minum', typed: 'air minum' });
  });
});
