import { Meilisearch, MeilisearchError, type Filter, type Index, type MultiSearchQuery, type SearchResponse as MeiliResponse, type Settings } from 'meilisearch';
import { normalize, type QueryTerm } from './analyzer.ts';
import { markersToHtml } from './highlight.ts';
import {
  FACETS,
  SearchUnavailableError,
  type Facet,
  type ProductDocument,
  type SearchFilters,
  type SearchIndex,
  type SearchRequest,
  type SearchResponse,
  type SearchSuggestion,
} from './search-index.ts';
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
 * The vocabulary as Meilisearch synonyms: a group's members find each other (multi-word ones
 * included), a broad word finds its kinds one way, and other spellings and place aliases find
 * the standard word one way.
 */
export function meilisearchSynonyms(): Record<string, string[]> {
  const map = new Map<string, Set<string>>();
  const link = (from: string, to: readonly string[]) => {
    const key = normalize(from);
    const known = map.get(key) ?? new Set<string>();
    for (const word of to.map(normalize)) if (word !== key) known.add(word);
    map.set(key, known);
  };
  for (const group of SYNONYM_GROUPS) for (const word of group) link(word, group);
  for (const [broad, narrow] of NARROWER) link(broad, narrow);
  for (const [variant, standard] of Object.entries({ ...SPELLING_VARIANTS, ...PLACE_ALIASES })) link(variant, [standard]);
  return Object.fromEntries([...map].filter(([, words]) => words.size > 0).map(([word, words]) => [word, [...words].sort()]));
}

/**
 * The same ranking as the embedded index: Meilisearch's rules with the requested sort after
 * exactness, then in stock before sold out and the more popular first. Attributes in the
 * embedded index's order (name, category, place, description); the analyser's spellings and
 * roots (`searchTerms`) rank just above the description.
 */
export const MEILISEARCH_SETTINGS: Settings = {
  searchableAttributes: ['name', 'nameEnglish', 'categoryNames', 'regencyName', 'sellerName', 'searchTerms', 'description', 'descriptionEnglish'],
  filterableAttributes: ['categorySlugs', 'regencyCode', 'pillar', 'halalCertified', 'priceRange', 'featured', 'inStock', 'priceRupiah', 'pesantrenId', 'leafCategory'],
  sortableAttributes: ['priceRupiah', 'createdAt', 'popularity'],
  displayedAttributes: ['id', 'name', 'nameEnglish', 'description', 'descriptionEnglish'],
  rankingRules: ['words', 'typo', 'proximity', 'attributeRank', 'wordPosition', 'exactness', 'sort', 'available:desc', 'popularity:desc'],
  proximityPrecision: 'byAttribute',
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: TYPO_TOLERANCE.oneTypo, twoTypos: TYPO_TOLERANCE.twoTypos } },
  synonyms: meilisearchSynonyms(),
  stopWords: [...STOPWORDS],
  faceting: { maxValuesPerFacet: 200 },
  pagination: { maxTotalHits: 100_000 },
};

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
    const q = request.terms.map((term) => term.canonical).join(' ');
    const main: MultiSearchQuery = {
      indexUid: this.#uid,
      q,
      matchingStrategy: 'all',
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
      suggestion: total === 0 && request.terms.length > 0 ? await this.#suggest(request.terms) : null,
      hits: answer!.hits.map((hit) => ({
        id: hit.id,
        nameHighlight: formatted(hit._formatted?.name ?? hit.name) ?? '',
        nameEnglishHighlight: formatted(hit._formatted?.nameEnglish ?? hit.nameEnglish),
        descriptionSnippet: formatted(hit._formatted?.description),
        descriptionEnglishSnippet: formatted(hit._formatted?.descriptionEnglish),
      })),
    };
  }

  /**
   * What to offer when a query found nothing, as the embedded index does in so far as
   * Meilisearch can tell: the longest start of the query that finds products (its "last"
   * matching strategy, asked once per length in one multi-search), and the leaf category most of
   * those products are in, or the one the vocabulary files a word under. Corrections past the
   * typo tolerance need the term dictionary, which Meilisearch does not expose.
   */
  async #suggest(terms: readonly QueryTerm[]): Promise<SearchSuggestion | null> {
    const starts = terms.slice(0, -1).map((_, index) => terms.slice(0, terms.length - 1 - index));
    const { results } = await this.#guard('suggest', () =>
      this.#client.multiSearch({
        queries: starts.map((start) => ({ indexUid: this.#uid, q: start.map((term) => term.canonical).join(' '), matchingStrategy: 'all', limit: 1, facets: ['leafCategory'] })),
      }),
    );
    const found = (results as unknown as MeiliResponse<MeiliDocument>[]).findIndex((result) => (result.estimatedTotalHits ?? 0) > 0);
    const query = found >= 0 ? starts[found]!.map((term) => term.canonical).join(' ') : null;
    const leaves = found >= 0 ? Object.entries((results as unknown as MeiliResponse<MeiliDocument>[])[found]!.facetDistribution?.['leafCategory'] ?? {}) : [];
    const categorySlug = leaves.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? terms.find((term) => term.category)?.category ?? null;
    return query || categorySlug ? { query, categorySlug } : null;
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
