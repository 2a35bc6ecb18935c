import { Meilisearch, MeilisearchError, type Filter, type Index, type MultiSearchQuery, type SearchResponse as MeiliResponse, type Settings } from 'meilisearch';
import { tokenize, vocabularyWords, type QueryTerm } from './analyzer.ts';
import { markersToHtml } from './highlight.ts';
import {
  FACETS,
  SearchUnavailableError,
  type Facet,
  type ProductDocument,
  type SearchFilters,
  type SearchIndex,
  type SearchRequest,
  type SearchRelaxation,
  type SearchResponse,
  type SearchSuggestion,
} from './search-index.ts';
import { relaxQuery, type MatchCounter, type RelaxedQuery } from './relaxation.ts';
import { NARROWER, PLACE_ALIASES, SPELLING_VARIANTS, STOPWORDS, SYNONYM_GROUPS, TYPO_TOLERANCE } from './vocabulary.ts';

/** What Meilisearch holds of a product: the document, plus the numeric and leaf fields its ranking rules and suggestions need. */
interface MeiliDocument extends ProductDocument {
  /** 1 in stock, 0 sold out: custom ranking rules take numbers, not booleans. */
  available: number;
  leafCategory: string;
}

const toMeili = (doc: ProductDocument): MeiliDocument => ({ ...doc, available: doc.inStock ? 1 : 0, leafCategory: doc.categorySlugs.at(-1) ?? '' });

/** The document attribute behind each facet. */
const FACET_ATTRIBUTE: Record<Facet, keyof ProductDocument> = {
  category: 'categorySlugs',
  regency: 'regencyCode',
  pillar: 'pillar',
  halalCertified: 'halalCertified',
  priceRange: 'priceRange',
};

const SORT: Record<SearchRequest['sort'], string[] | undefined> = {
  RELEVANCE: undefined,
  PRICE_ASC: ['priceRupiah:asc'],
  PRICE_DESC: ['priceRupiah:desc'],
  NEWEST: ['createdAt:desc'],
  POPULARITY: ['popularity:desc'],
};

/** Markers no product text contains; turned into <mark> after escaping. */
const PRE = '\u0002';
const POST = '\u0003';

/**
 * A word or phrase as the analyser's tokens, spaced: as a query's canonical words reach
 * Meilisearch ("oleh-oleh" is the one word oleholeh, "air minum dalam kemasan" loses "dalam").
 */
export const meilisearchWords = (text: string): string => tokenize(text).join(' ');

/**
 * The vocabulary as Meilisearch synonyms: a group's members find each other (multi-word ones
 * included), a broad word and its group find its kinds one way, and other spellings and place aliases find
 * the standard word one way.
 */
export function meilisearchSynonyms(): Record<string, string[]> {
  const map = new Map<string, Set<string>>();
  const link = (from: string, to: readonly string[]) => {
    const key = meilisearchWords(from);
    const known = map.get(key) ?? new Set<string>();
    for (const word of to.map(meilisearchWords)) if (word !== key) known.add(word);
    map.set(key, known);
  };
  for (const group of SYNONYM_GROUPS) for (const word of group) link(word, group);
  // A broad word's kinds are found by its synonyms and translations too ("kado" finds what "hadiah" does), as in the analyser.
  for (const [broad, narrow] of NARROWER) {
    const group = SYNONYM_GROUPS.find((members) => members.some((member) => meilisearchWords(member) === meilisearchWords(broad))) ?? [broad];
    for (const member of new Set([broad, ...group])) link(member, narrow);
  }
  for (const [variant, standard] of Object.entries({ ...SPELLING_VARIANTS, ...PLACE_ALIASES })) link(variant, [standard]);
  return Object.fromEntries([...map].filter(([, words]) => words.size > 0).map(([word, words]) => [word, [...words].sort()]));
}

/**
 * What a query matches: names, categories, the regency and the seller's keywords (its name without
 * product words), and the analyser's spellings and roots of those (`searchTerms`). Descriptions
 * are searchable only so they can be highlighted and cropped; searches leave them out
 * (`attributesToSearchOn`), as the embedded index does not index them: a word only a
 * description holds never makes a product a result.
 */
export const SEARCHED_ATTRIBUTES = ['name', 'nameEnglish', 'categoryNames', 'regencyName', 'sellerKeywords', 'searchTerms'];

/**
 * The same ranking as the embedded index: Meilisearch's rules with the requested sort after
 * exactness, then in stock before sold out and the more popular first. Attributes in the
 * embedded index's order (name, category, regency, seller); the analyser's spellings and roots
 * (`searchTerms`) rank after them. Typo tolerance as the embedded index's: none for words the
 * vocabulary knows (they are spelled as shoppers spell them: "hitam" must not find "Hikam"), for
 * numbers, and in seller names and derived roots.
 */
export const MEILISEARCH_SETTINGS: Settings = {
  searchableAttributes: [...SEARCHED_ATTRIBUTES, 'description', 'descriptionEnglish'],
  filterableAttributes: ['categorySlugs', 'regencyCode', 'pillar', 'halalCertified', 'priceRange', 'featured', 'inStock', 'priceRupiah', 'pesantrenId', 'leafCategory'],
  sortableAttributes: ['priceRupiah', 'createdAt', 'popularity'],
  displayedAttributes: ['id', 'name', 'nameEnglish', 'description', 'descriptionEnglish'],
  rankingRules: ['words', 'typo', 'proximity', 'attributeRank', 'wordPosition', 'exactness', 'sort', 'available:desc', 'popularity:desc'],
  proximityPrecision: 'byAttribute',
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: TYPO_TOLERANCE.oneTypo, twoTypos: TYPO_TOLERANCE.twoTypos },
    disableOnWords: vocabularyWords(),
    disableOnAttributes: ['sellerKeywords', 'searchTerms'],
    disableOnNumbers: true,
  },
  synonyms: meilisearchSynonyms(),
  stopWords: [...STOPWORDS],
  faceting: { maxValuesPerFacet: 200 },
  pagination: { maxTotalHits: 100_000 },
};

/**
 * A query's terms as Meilisearch's `q`: each as the analyser understood it (its synonyms,
 * spellings and aliases are Meilisearch's synonyms setting), the halves of a word typed together
 * quoted, so they match only as written.
 */
export const meilisearchQuery = (terms: readonly QueryTerm[]): string => terms.map((term) => (term.exactOnly ? `"${term.canonical}"` : term.canonical)).join(' ');

/** A Meilisearch filter expression for one value, quoted so no value can change the expression. */
const equals = (attribute: string, value: string | boolean) => `${attribute} = ${typeof value === 'boolean' ? value : JSON.stringify(value)}`;

/** The filters as Meilisearch expects them: an AND of groups, each an OR of alternatives. */
function toFilter(filters: SearchFilters, except?: Facet): Filter {
  const groups: (string | string[])[] = [];
  for (const facet of FACETS) {
    const values = (filters[facet] as readonly (string | boolean)[] | undefined) ?? [];
    if (facet !== except && values.length) groups.push(values.map((value) => equals(FACET_ATTRIBUTE[facet], value)));
  }
  if (filters.featured !== undefined) groups.push(equals('featured', filters.featured));
  if (filters.inStock !== undefined) groups.push(equals('inStock', filters.inStock));
  if (filters.minPriceRupiah !== undefined) groups.push(`priceRupiah >= ${Math.trunc(filters.minPriceRupiah)}`);
  if (filters.maxPriceRupiah !== undefined) groups.push(`priceRupiah <= ${Math.trunc(filters.maxPriceRupiah)}`);
  return groups;
}

/**
 * Meilisearch through its official client. Every write waits for its task and fails loudly when
 * the task fails; every error becomes SearchUnavailableError for the caller, never a silent miss.
 */
export class MeilisearchIndex implements SearchIndex {
  readonly kind = 'meilisearch';
  readonly #client: Meilisearch;
  readonly #uid: string;

  constructor(host: string, apiKey: string | undefined, uid: string) {
    this.#client = new Meilisearch({ host, ...(apiKey ? { apiKey } : {}) });
    this.#uid = uid;
  }

  get #index(): Index<MeiliDocument> {
    return this.#client.index<MeiliDocument>(this.#uid);
  }

  async prepare(): Promise<void> {
    await this.#guard('prepare the index', async () => {
      await this.#wait(this.#client.createIndex(this.#uid, { primaryKey: 'id' }), ['index_already_exists']);
      await this.#wait(this.#index.updateSettings(MEILISEARCH_SETTINGS));
    });
  }

  async replaceAll(batches: AsyncIterable<ProductDocument[]>, onProgress?: (indexed: number) => void): Promise<number> {
    // Built beside the live index and swapped in, so searches never see a half-built index.
    const staging = `${this.#uid}_rebuild`;
    return this.#guard('rebuild the index', async () => {
      await this.#client.deleteIndexIfExists(staging);
      await this.#wait(this.#client.createIndex(staging, { primaryKey: 'id' }));
      await this.#wait(this.#client.index(staging).updateSettings(MEILISEARCH_SETTINGS));
      let indexed = 0;
      for await (const batch of batches) {
        await this.#wait(this.#client.index<MeiliDocument>(staging).addDocuments(batch.map(toMeili)));
        indexed += batch.length;
        onProgress?.(indexed);
      }
      await this.#wait(this.#client.createIndex(this.#uid, { primaryKey: 'id' }), ['index_already_exists']);
      await this.#wait(this.#client.swapIndexes([{ indexes: [this.#uid, staging], rename: false }]));
      await this.#wait(this.#client.deleteIndex(staging));
      return indexed;
    });
  }

  async upsert(documents: readonly ProductDocument[]): Promise<void> {
    if (documents.length === 0) return;
    await this.#guard('index documents', () => this.#wait(this.#index.addDocuments(documents.map(toMeili))));
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#guard('remove documents', () => this.#wait(this.#index.deleteDocuments([...ids])));
  }

  async count(): Promise<number> {
    return this.#guard('count documents', async () => (await this.#index.getStats()).numberOfDocuments);
  }

  async close(): Promise<void> {}

  async search(request: SearchRequest): Promise<SearchResponse> {
    if (request.nothingToSearch) return { total: 0, hits: [], suggestion: null, relaxation: null, facets: Object.fromEntries(FACETS.map((facet) => [facet, new Map()])) as Record<Facet, Map<string, number>> };
    let answer = await this.#run(request, request.terms);
    let suggestion: SearchSuggestion | null = null;
    let relaxation: SearchRelaxation | null = null;
    if (answer.total === 0 && request.terms.length > 0) {
      // Nothing has every word: the same relaxation as the embedded index (relaxation.ts), counted by multi-search.
      const relaxed = await relaxQuery(request.terms, this.#counter());
      suggestion = await this.#suggest(request.terms, relaxed);
      if (relaxed) {
        relaxation = relaxed.relaxation;
        answer = await this.#run(request, relaxed.terms);
      }
    }
    return { ...answer, suggestion, relaxation };
  }

  /** One search with its disjunctive facet counts, in one multi-search. */
  async #run(request: SearchRequest, terms: readonly QueryTerm[]): Promise<Omit<SearchResponse, 'suggestion' | 'relaxation'>> {
    const q = meilisearchQuery(terms);
    const main: MultiSearchQuery = {
      indexUid: this.#uid,
      q,
      matchingStrategy: 'all',
      attributesToSearchOn: SEARCHED_ATTRIBUTES,
      filter: toFilter(request.filters),
      facets: FACETS.filter((facet) => !(request.filters[facet] as unknown[] | undefined)?.length).map((facet) => FACET_ATTRIBUTE[facet]),
      page: request.page,
      hitsPerPage: request.pageSize,
      ...(SORT[request.sort] ? { sort: SORT[request.sort] } : {}),
      attributesToRetrieve: ['id', 'name', 'nameEnglish', 'description', 'descriptionEnglish'],
      attributesToHighlight: ['name', 'nameEnglish'],
      attributesToCrop: ['description', 'descriptionEnglish'],
      cropLength: 24,
      highlightPreTag: PRE,
      highlightPostTag: POST,
    };
    // Disjunctive facets: a facet that filters is counted by a query without its own filter.
    const filtered = FACETS.filter((facet) => (request.filters[facet] as unknown[] | undefined)?.length);
    const perFacet: MultiSearchQuery[] = filtered.map((facet) => ({
      indexUid: this.#uid,
      q,
      matchingStrategy: 'all',
      attributesToSearchOn: SEARCHED_ATTRIBUTES,
      filter: toFilter(request.filters, facet),
      facets: [FACET_ATTRIBUTE[facet]],
      // Page 0 asks for no documents but exhaustive counts (see the Meilisearch pagination docs).
      page: 0,
      hitsPerPage: 1,
    }));
    const { results } = await this.#guard('search', () => this.#client.multiSearch({ queries: [main, ...perFacet] }));
    const [answer, ...facetAnswers] = results as unknown as MeiliResponse<MeiliDocument>[];
    const distribution = { ...answer!.facetDistribution };
    facetAnswers.forEach((facetAnswer, index) => {
      const attribute = FACET_ATTRIBUTE[filtered[index]!];
      distribution[attribute] = facetAnswer.facetDistribution?.[attribute] ?? {};
    });
    const facets = Object.fromEntries(
      FACETS.map((facet) => [facet, new Map(Object.entries(distribution[FACET_ATTRIBUTE[facet]] ?? {}))]),
    ) as Record<Facet, Map<string, number>>;
    const total = (answer as { totalHits?: number }).totalHits ?? 0;
    const formatted = (text: unknown) => (text ? markersToHtml(String(text), PRE, POST) : null);
    return {
      total,
      facets,
      hits: answer!.hits.map((hit) => ({
        id: hit.id,
        nameHighlight: formatted(hit._formatted?.name ?? hit.name) ?? '',
        nameEnglishHighlight: formatted(hit._formatted?.nameEnglish ?? hit.nameEnglish),
        descriptionSnippet: formatted(hit._formatted?.description),
        descriptionEnglishSnippet: formatted(hit._formatted?.descriptionEnglish),
      })),
    };
  }

  /** Match counts for the relaxation planner: one multi-search of exhaustive counts per step, no documents. */
  #counter(): MatchCounter {
    const count = async (lists: readonly (readonly QueryTerm[])[]) => {
      if (lists.length === 0) return [];
      const { results } = await this.#guard('count', () =>
        this.#client.multiSearch({
          queries: lists.map((terms) => ({ indexUid: this.#uid, q: meilisearchQuery(terms), matchingStrategy: 'all', attributesToSearchOn: SEARCHED_ATTRIBUTES, page: 1, hitsPerPage: 1, attributesToRetrieve: ['id'] })),
        }),
      );
      return (results as unknown as { totalHits?: number }[]).map((result) => result.totalHits ?? 0);
    };
    return {
      count,
      some: async (terms) => (await count(terms.map((term) => [term]))).map((found) => found > 0),
      first: async (lists) => (await count(lists)).findIndex((found) => found > 0),
    };
  }

  /**
   * What to offer when no product has every word, as the embedded index does in so far as
   * Meilisearch can tell: the leaf category most of the relaxed query's products are in by
   * their name (failing that, their category), or the one the vocabulary files a word under.
   * Corrections past the typo tolerance need the term dictionary, which Meilisearch does not
   * expose.
   */
  async #suggest(terms: readonly QueryTerm[], relaxed: RelaxedQuery | null): Promise<SearchSuggestion | null> {
    let categorySlug: string | null = null;
    if (relaxed) {
      const q = meilisearchQuery(relaxed.terms);
      const { results } = await this.#guard('suggest', () =>
        this.#client.multiSearch({
          queries: [['name', 'nameEnglish'], ['name', 'nameEnglish', 'categoryNames']].map((attributes) => ({ indexUid: this.#uid, q, matchingStrategy: 'all' as const, attributesToSearchOn: attributes, limit: 1, facets: ['leafCategory'] })),
        }),
      );
      for (const result of results as unknown as MeiliResponse<MeiliDocument>[]) {
        const leaves = Object.entries(result.facetDistribution?.['leafCategory'] ?? {});
        categorySlug = leaves.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
        if (categorySlug) break;
      }
    }
    categorySlug ??= terms.find((term) => term.category)?.category ?? null;
    return categorySlug ? { query: null, categorySlug } : null;
  }

  /** Waits for a task; a failed task is an error, unless its code is one the caller expects. */
  async #wait(task: Promise<unknown> & { waitTask: (options?: { timeout?: number }) => Promise<{ status: string; error: { code: string; message: string } | null }> }, tolerated: string[] = []) {
    const done = await task.waitTask({ timeout: 60_000 });
    if (done.status === 'failed' && !tolerated.includes(done.error?.code ?? '')) {
      throw new SearchUnavailableError(`Meilisearch task failed: ${done.error?.message ?? 'unknown error'}`);
    }
  }

  async #guard<T>(action: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof SearchUnavailableError) throw error;
      if (error instanceof MeilisearchError) throw new SearchUnavailableError(`Meilisearch could not ${action}: ${error.message}`, { cause: error });
      throw error;
    }
  }
}
