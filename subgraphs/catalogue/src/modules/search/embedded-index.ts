import MiniSearch, { type Query } from 'minisearch';
import { isStopword, normalize, type QueryTerm } from './analyzer.ts';
import { markMatches, matcher, snippet } from './highlight.ts';
import {
  FACETS,
  type Facet,
  type ProductDocument,
  type SearchFilters,
  type SearchIndex,
  type SearchRequest,
  type SearchResponse,
  type SearchSort,
} from './search-index.ts';

/** Field weights: the name counts most, then the analysed terms and the category, the description least. */
const BOOST = { name: 4, nameEnglish: 3, searchTerms: 2, categoryNames: 2, regencyName: 1.5, sellerName: 1, description: 0.5 };

const facetValues: Record<Facet, (doc: ProductDocument) => readonly string[]> = {
  category: (doc) => doc.categorySlugs,
  regency: (doc) => [doc.regencyCode],
  pillar: (doc) => [doc.pillar],
  halalCertified: (doc) => [String(doc.halalCertified)],
  priceRange: (doc) => [doc.priceRange],
};

const filterValues: Record<Facet, (filters: SearchFilters) => readonly string[] | undefined> = {
  category: (f) => f.category,
  regency: (f) => f.regency,
  pillar: (f) => f.pillar,
  halalCertified: (f) => f.halalCertified?.map(String),
  priceRange: (f) => f.priceRange,
};

const SORT_KEYS: Record<Exclude<SearchSort, 'RELEVANCE'>, (doc: ProductDocument) => number> = {
  PRICE_ASC: (doc) => doc.priceRupiah,
  PRICE_DESC: (doc) => -doc.priceRupiah,
  NEWEST: (doc) => -doc.createdAt,
  POPULARITY: (doc) => -doc.popularity,
};

/**
 * The in-process index: MiniSearch for text matching, plus our own columns for filters, facets
 * and sorting. Documents live in slots; a slot's bit in each request's filter masks says whether
 * it passes, so facet counts over 100,000 products are a few array scans, not object walks.
 */
export class EmbeddedSearchIndex implements SearchIndex {
  readonly kind = 'embedded';
  #mini = EmbeddedSearchIndex.#createMiniSearch();
  #slots: (ProductDocument | undefined)[] = [];
  #slotById = new Map<string, number>();
  /** Slots in each sort order, rebuilt lazily after changes. */
  #orders = new Map<SearchSort, Int32Array>();

  static #createMiniSearch() {
    return new MiniSearch<ProductDocument>({
      fields: Object.keys(BOOST),
      idField: 'id',
      processTerm: (term) => {
        const word = normalize(term);
        return word && !isStopword(word) ? word : null;
      },
      searchOptions: { boost: BOOST, combineWith: 'AND' },
      autoVacuum: { minDirtCount: 1_000, minDirtFactor: 0.2, batchSize: 5_000, batchWait: 10 },
    });
  }

  async prepare(): Promise<void> {}

  async replaceAll(batches: AsyncIterable<ProductDocument[]>, onProgress?: (indexed: number) => void): Promise<number> {
    const mini = EmbeddedSearchIndex.#createMiniSearch();
    const slots: ProductDocument[] = [];
    for await (const batch of batches) {
      mini.addAll(batch);
      slots.push(...batch);
      onProgress?.(slots.length);
    }
    this.#mini = mini;
    this.#slots = slots;
    this.#slotById = new Map(slots.map((doc, slot) => [doc.id, slot]));
    this.#orders.clear();
    return slots.length;
  }

  async upsert(documents: readonly ProductDocument[]): Promise<void> {
    for (const doc of documents) {
      const slot = this.#slotById.get(doc.id);
      if (slot === undefined) {
        this.#slotById.set(doc.id, this.#slots.length);
        this.#slots.push(doc);
        this.#mini.add(doc);
      } else {
        if (this.#slots[slot]) this.#mini.replace(doc);
        else this.#mini.add(doc);
        this.#slots[slot] = doc;
      }
    }
    if (documents.length) this.#orders.clear();
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const slot = this.#slotById.get(id);
      if (slot === undefined || !this.#slots[slot]) continue;
      this.#mini.discard(id);
      this.#slots[slot] = undefined;
      this.#orders.clear();
    }
  }

  async count(): Promise<number> {
    return this.#mini.documentCount;
  }

  async close(): Promise<void> {}

  async search(request: SearchRequest): Promise<SearchResponse> {
    const slots = this.#slots;
    const size = slots.length;
    // 1. Text: which slots match, and how well.
    const scores = new Float64Array(size);
    const matched = new Uint8Array(size);
    const matchedTerms = new Set<string>();
    if (request.terms.length === 0) {
      for (let slot = 0; slot < size; slot++) if (slots[slot]) matched[slot] = 1;
    } else {
      for (const result of this.#mini.search(this.#query(request.terms))) {
        const slot = this.#slotById.get(result.id as string);
        if (slot === undefined) continue;
        matched[slot] = 1;
        scores[slot] = result.score;
        for (const term of result.terms) matchedTerms.add(term);
      }
    }
    // 2. Filters: one mask per facet filter, one for the conjunctive rest.
    const { filters } = request;
    const active = FACETS.filter((facet) => filterValues[facet](filters)?.length);
    const masks = new Map<Facet, Uint8Array>();
    for (const facet of active) {
      const wanted = new Set(filterValues[facet](filters));
      const mask = new Uint8Array(size);
      for (let slot = 0; slot < size; slot++) {
        const doc = slots[slot];
        if (matched[slot] && doc && facetValues[facet](doc).some((value) => wanted.has(value))) mask[slot] = 1;
      }
      masks.set(facet, mask);
    }
    const base = new Uint8Array(size);
    for (let slot = 0; slot < size; slot++) {
      const doc = slots[slot];
      if (!matched[slot] || !doc) continue;
      if (filters.featured !== undefined && doc.featured !== filters.featured) continue;
      if (filters.inStock !== undefined && doc.inStock !== filters.inStock) continue;
      if (filters.minPriceRupiah !== undefined && doc.priceRupiah < filters.minPriceRupiah) continue;
      if (filters.maxPriceRupiah !== undefined && doc.priceRupiah > filters.maxPriceRupiah) continue;
      base[slot] = 1;
    }
    const passes = (slot: number, except?: Facet) => {
      if (!base[slot]) return false;
      for (const [facet, mask] of masks) if (facet !== except && !mask[slot]) return false;
      return true;
    };
    // 3. Facets, each counted without its own filter (disjunctive).
    const facets = Object.fromEntries(FACETS.map((facet) => [facet, new Map<string, number>()])) as Record<Facet, Map<string, number>>;
    for (const facet of FACETS) {
      const counts = facets[facet];
      for (let slot = 0; slot < size; slot++) {
        if (!passes(slot, facet)) continue;
        for (const value of facetValues[facet](slots[slot]!)) counts.set(value, (counts.get(value) ?? 0) + 1);
      }
    }
    // 4. The page, in the requested order.
    const hitsInOrder: number[] = [];
    let total = 0;
    const first = (request.page - 1) * request.pageSize;
    const take = (slot: number) => {
      if (total >= first && hitsInOrder.length < request.pageSize) hitsInOrder.push(slot);
      total++;
    };
    if (request.sort === 'RELEVANCE' && request.terms.length > 0) {
      const hits: number[] = [];
      for (let slot = 0; slot < size; slot++) if (passes(slot)) hits.push(slot);
      hits.sort((a, b) => scores[b]! - scores[a]! || a - b).forEach(take);
    } else {
      for (const slot of this.#order(request.sort === 'RELEVANCE' ? 'NEWEST' : request.sort)) if (passes(slot)) take(slot);
    }
    const isMatch = matcher([...matchedTerms, ...request.terms.flatMap((term) => term.forms)]);
    return {
      total,
      facets,
      hits: hitsInOrder.map((slot) => {
        const doc = slots[slot]!;
        return {
          id: doc.id,
          nameHighlight: markMatches(doc.name, isMatch),
          descriptionSnippet: doc.description ? snippet(doc.description, isMatch) : null,
        };
      }),
    };
  }

  /** Every word must match one of its forms; the word as typed may also match with typos, the last one as a prefix. */
  #query(terms: readonly QueryTerm[]): Query {
    return {
      combineWith: 'AND',
      queries: terms.map((term, index) => ({
        combineWith: 'OR',
        queries: [
          {
            queries: [term.typed],
            fuzzy: term.typed.length >= 8 ? 2 : term.typed.length >= 5 ? 1 : 0,
            prefix: index === terms.length - 1 && term.typed.length >= 3,
          },
          ...term.forms.filter((form) => form !== term.typed).map((form) => ({ queries: [form], fuzzy: 0, prefix: false })),
        ],
      })),
    };
  }

  #order(sort: Exclude<SearchSort, 'RELEVANCE'>): Int32Array {
    let order = this.#orders.get(sort);
    if (!order) {
      const key = SORT_KEYS[sort];
      const live: number[] = [];
      for (let slot = 0; slot < this.#slots.length; slot++) if (this.#slots[slot]) live.push(slot);
      live.sort((a, b) => key(this.#slots[a]!) - key(this.#slots[b]!) || (this.#slots[a]!.id < this.#slots[b]!.id ? -1 : 1));
      order = Int32Array.from(live);
      this.#orders.set(sort, order);
    }
    return order;
  }
}
