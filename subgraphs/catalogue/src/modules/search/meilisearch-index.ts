import { Meilisearch, MeilisearchError, type Filter, type Index, type MultiSearchQuery, type SearchResponse as MeiliResponse, type Settings } from 'meilisearch';
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
} from './search-index.ts';
import { STOPWORDS, SYNONYM_GROUPS } from './vocabulary.ts';

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

/** Every word of a group maps to the rest of its group: Meilisearch's multi-way synonyms. */
function synonyms(): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const group of SYNONYM_GROUPS) for (const word of group) map[word] = group.filter((other) => other !== word);
  return map;
}

export const MEILISEARCH_SETTINGS: Settings = {
  searchableAttributes: ['name', 'nameEnglish', 'searchTerms', 'categoryNames', 'regencyName', 'sellerName', 'description'],
  filterableAttributes: ['categorySlugs', 'regencyCode', 'pillar', 'halalCertified', 'priceRange', 'featured', 'inStock', 'priceRupiah', 'pesantrenId'],
  sortableAttributes: ['priceRupiah', 'createdAt', 'popularity'],
  displayedAttributes: ['id', 'name', 'description'],
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness', 'popularity:desc'],
  typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 8 } },
  synonyms: synonyms(),
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

  get #index(): Index<ProductDocument> {
    return this.#client.index<ProductDocument>(this.#uid);
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
        await this.#wait(this.#client.index<ProductDocument>(staging).addDocuments(batch));
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
    await this.#guard('index documents', () => this.#wait(this.#index.addDocuments([...documents])));
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
      attributesToRetrieve: ['id', 'name', 'description'],
      attributesToHighlight: ['name'],
      attributesToCrop: ['description'],
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
    const [answer, ...facetAnswers] = results as unknown as MeiliResponse<ProductDocument>[];
    const distribution = { ...answer!.facetDistribution };
    facetAnswers.forEach((facetAnswer, index) => {
      const attribute = FACET_ATTRIBUTE[filtered[index]!];
      distribution[attribute] = facetAnswer.facetDistribution?.[attribute] ?? {};
    });
    const facets = Object.fromEntries(
      FACETS.map((facet) => [facet, new Map(Object.entries(distribution[FACET_ATTRIBUTE[facet]] ?? {}))]),
    ) as Record<Facet, Map<string, number>>;
    return {
      total: (answer as { totalHits?: number }).totalHits ?? 0,
      facets,
      hits: answer!.hits.map((hit) => ({
        id: hit.id,
        nameHighlight: markersToHtml(String(hit._formatted?.name ?? hit.name ?? ''), PRE, POST),
        descriptionSnippet: hit._formatted?.description ? markersToHtml(String(hit._formatted.description), PRE, POST) : null,
      })),
    };
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
