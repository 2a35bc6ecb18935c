import SearchableMap from 'minisearch/SearchableMap';
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

/**
 * The in-process index. MiniSearch's radix tree (`SearchableMap`) is the term dictionary, for
 * its fuzzy and prefix lookups; the postings, scores, filters and facets are flat arrays indexed
 * by document slot. MiniSearch's own search, with a result object per matching document, took
 * 70–110 ms for common queries over 80,000 products on our 2-core machine; scanning flat
 * postings keeps the same queries to a few milliseconds (see BENCHMARKS.md).
 */

/** Three non-overlapping fields and their weights. */
const FIELDS = [
  { name: 'names', boost: 4, averageLength: 6, text: (doc: ProductDocument) => `${doc.name} ${doc.nameEnglish}` },
  { name: 'searchTerms', boost: 2, averageLength: 30, text: (doc: ProductDocument) => doc.searchTerms },
  { name: 'description', boost: 0.5, averageLength: 45, text: (doc: ProductDocument) => doc.description },
] as const;

/** BM25's saturation and length normalisation. */
const K1 = 1.2;
const B = 0.75;

/** How much a looser match counts next to the word itself. */
const WEIGHT = { exact: 1, form: 0.8, fuzzy: 0.45, prefix: 0.4 };
const MAX_EXPANSIONS = 40;

/** Facet values are stored as small integers per slot; a category slot holds up to this many (its path). */
const CATEGORY_DEPTH = 3;

/** Interns strings as small integers, so facets are counted in typed arrays. */
class Codes {
  readonly values: string[] = [];
  readonly #byValue = new Map<string, number>();
  code(value: string): number {
    let code = this.#byValue.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.#byValue.set(value, code);
    }
    return code;
  }
  lookup(value: string): number | undefined {
    return this.#byValue.get(value);
  }
}

const FACET_OF_DOC: Record<Exclude<Facet, 'category'>, (doc: ProductDocument) => string> = {
  regency: (doc) => doc.regencyCode,
  pillar: (doc) => doc.pillar,
  halalCertified: (doc) => String(doc.halalCertified),
  priceRange: (doc) => doc.priceRange,
};

const FILTER_VALUES: Record<Facet, (filters: SearchFilters) => readonly string[] | undefined> = {
  category: (f) => f.category,
  regency: (f) => f.regency,
  pillar: (f) => f.pillar,
  halalCertified: (f) => f.halalCertified?.map(String),
  priceRange: (f) => f.priceRange,
};

type SortKey = Exclude<SearchSort, 'RELEVANCE'>;

interface Postings {
  slots: number[];
  weights: number[];
}

interface Expansion {
  term: string;
  postings: Postings;
  weight: number;
}

const tokens = (text: string) => normalize(text).split(' ').filter((token) => token && !isStopword(token));

class Store {
  /** Terms for fuzzy and prefix lookups; `termIds` answers the exact lookups indexing makes, faster. */
  readonly dictionary = new SearchableMap<number>();
  readonly termIds = new Map<string, number>();
  readonly postings: Postings[] = [];
  readonly docs: (ProductDocument | undefined)[] = [];
  readonly slotById = new Map<string, number>();
  readonly codes: Record<Facet, Codes> = { category: new Codes(), regency: new Codes(), pillar: new Codes(), halalCertified: new Codes(), priceRange: new Codes() };
  /** facet → slot → code (categories: slot × CATEGORY_DEPTH + depth → code, −1 past the path). */
  readonly columns: Record<Facet, number[]> = { category: [], regency: [], pillar: [], halalCertified: [], priceRange: [] };
  readonly price: number[] = [];
  readonly created: number[] = [];
  readonly popularity: number[] = [];
  /** Bit 1: featured; bit 2: in stock. */
  readonly flags: number[] = [];
  live = 0;

  /** Documents always take a new slot; a replaced or removed one leaves a dead slot until the next rebuild. */
  add(doc: ProductDocument): void {
    const previous = this.slotById.get(doc.id);
    if (previous !== undefined && this.docs[previous]) {
      this.docs[previous] = undefined;
      this.live--;
    }
    const slot = this.docs.length;
    this.docs.push(doc);
    this.slotById.set(doc.id, slot);
    this.live++;
    for (const facet of ['regency', 'pillar', 'halalCertified', 'priceRange'] as const) this.columns[facet][slot] = this.codes[facet].code(FACET_OF_DOC[facet](doc));
    for (let depth = 0; depth < CATEGORY_DEPTH; depth++) {
      const slug = doc.categorySlugs[depth];
      this.columns.category[slot * CATEGORY_DEPTH + depth] = slug === undefined ? -1 : this.codes.category.code(slug);
    }
    this.price[slot] = doc.priceRupiah;
    this.created[slot] = doc.createdAt;
    this.popularity[slot] = doc.popularity;
    this.flags[slot] = (doc.featured ? 1 : 0) | (doc.inStock ? 2 : 0);

    const weights = new Map<string, number>();
    for (const field of FIELDS) {
      const words = tokens(field.text(doc));
      const frequency = new Map<string, number>();
      for (const word of words) frequency.set(word, (frequency.get(word) ?? 0) + 1);
      const norm = K1 * (1 - B + (B * words.length) / field.averageLength);
      for (const [word, tf] of frequency) weights.set(word, (weights.get(word) ?? 0) + (field.boost * tf * (K1 + 1)) / (tf + norm));
    }
    for (const [word, weight] of weights) {
      let id = this.termIds.get(word);
      if (id === undefined) {
        id = this.postings.length;
        this.termIds.set(word, id);
        this.dictionary.set(word, id);
        this.postings.push({ slots: [], weights: [] });
      }
      this.postings[id]!.slots.push(slot);
      this.postings[id]!.weights.push(weight);
    }
  }

  remove(id: string): void {
    const slot = this.slotById.get(id);
    if (slot === undefined || !this.docs[slot]) return;
    this.docs[slot] = undefined;
    this.slotById.delete(id);
    this.live--;
  }
}

export class EmbeddedSearchIndex implements SearchIndex {
  readonly kind = 'embedded';
  #store = new Store();
  /** Live slots in each sort order, and in slot order, rebuilt lazily after changes. */
  #orders = new Map<SortKey, { order: Int32Array; rank: Int32Array }>();
  #live: number[] | undefined;

  async prepare(): Promise<void> {}

  async replaceAll(batches: AsyncIterable<ProductDocument[]>, onProgress?: (indexed: number) => void): Promise<number> {
    const fresh = new Store();
    for await (const batch of batches) {
      for (const doc of batch) fresh.add(doc);
      onProgress?.(fresh.live);
    }
    this.#store = fresh;
    this.#orders.clear();
    this.#live = undefined;
    return fresh.live;
  }

  async upsert(documents: readonly ProductDocument[]): Promise<void> {
    for (const doc of documents) this.#store.add(doc);
    if (documents.length) this.#afterChange();
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.#store.remove(id);
    if (ids.length) this.#afterChange();
  }

  async count(): Promise<number> {
    return this.#store.live;
  }

  async close(): Promise<void> {}

  /** Dead slots cost scan time; once they are a third of all slots, the live documents are re-indexed. */
  #afterChange(): void {
    this.#orders.clear();
    this.#live = undefined;
    const store = this.#store;
    if (store.docs.length > 1_000 && store.live < (store.docs.length * 2) / 3) {
      const fresh = new Store();
      for (const doc of store.docs) if (doc) fresh.add(doc);
      this.#store = fresh;
    }
  }

  async search(request: SearchRequest): Promise<SearchResponse> {
    const store = this.#store;
    const { candidates, score, hitTerms } = request.terms.length > 0 ? this.#match(request.terms) : { candidates: this.#liveSlots(), score: undefined, hitTerms: [] };
    const base = this.#narrow(candidates, request.filters);
    const { masks, failures } = this.#facetMasks(base, request.filters);
    const facets = this.#countFacets(base, masks, failures);

    let passing = base;
    if (masks.size > 0) {
      passing = [];
      for (let index = 0; index < base.length; index++) if (failures[index] === 0) passing.push(base[index]!);
    }
    const first = (request.page - 1) * request.pageSize;
    let page: number[];
    if (request.sort === 'RELEVANCE' && score) {
      const popularity = store.popularity;
      page = pageOf(passing, first, request.pageSize, (a, b) => score[b]! - score[a]! || popularity[b]! - popularity[a]! || a - b);
    } else {
      page = this.#page(request.sort === 'RELEVANCE' ? 'NEWEST' : request.sort, passing, first, request.pageSize);
    }

    const isMatch = matcher([...hitTerms, ...request.terms.flatMap((term) => term.forms)]);
    return {
      total: passing.length,
      facets,
      hits: page.map((slot) => {
        const doc = store.docs[slot]!;
        return { id: doc.id, nameHighlight: markMatches(doc.name, isMatch), descriptionSnippet: doc.description ? snippet(doc.description, isMatch) : null };
      }),
    };
  }

  /** The live slots that match every query word (in one of its forms), with their scores. */
  #match(terms: readonly QueryTerm[]): { candidates: number[]; score: Float64Array; hitTerms: string[] } {
    const store = this.#store;
    const groups = terms.map((term, index) => this.#expand(term, index === terms.length - 1));
    const hitTerms = groups.flatMap((group) => group.map((expansion) => expansion.term));
    // Rarest word first: it bounds the candidates every other word can only narrow.
    groups.sort((a, b) => cost(a) - cost(b));
    const score = new Float64Array(store.docs.length);
    const matched = new Uint8Array(store.docs.length);
    const candidates: number[] = [];
    groups.forEach((group, index) => {
      for (const { postings, weight } of group) {
        const df = postings.slots.length;
        const idf = Math.log(1 + (store.live - df + 0.5) / (df + 0.5));
        for (let k = 0; k < df; k++) {
          const slot = postings.slots[k]!;
          if (index === 0) {
            if (!store.docs[slot]) continue;
            if (matched[slot] === 0) candidates.push(slot);
          } else if (matched[slot]! < index) continue;
          matched[slot] = index + 1;
          score[slot]! += postings.weights[k]! * idf * weight;
        }
      }
    });
    return { candidates: candidates.filter((slot) => matched[slot] === groups.length), score, hitTerms };
  }

  /** Applies the conjunctive filters (flags and the price bounds), which facets never count around. */
  #narrow(candidates: number[], filters: SearchFilters): number[] {
    if (filters.featured === undefined && filters.inStock === undefined && filters.minPriceRupiah === undefined && filters.maxPriceRupiah === undefined) return candidates;
    const store = this.#store;
    const min = filters.minPriceRupiah ?? -Infinity;
    const max = filters.maxPriceRupiah ?? Infinity;
    const flagMask = (filters.featured !== undefined ? 1 : 0) | (filters.inStock !== undefined ? 2 : 0);
    const flagWant = (filters.featured ? 1 : 0) | (filters.inStock ? 2 : 0);
    const base: number[] = [];
    for (const slot of candidates) {
      const price = store.price[slot]!;
      if ((store.flags[slot]! & flagMask) === flagWant && price >= min && price <= max) base.push(slot);
    }
    return base;
  }

  /** For each facet filter, which of `base` pass it; and for each item, how many filters it fails. */
  #facetMasks(base: readonly number[], filters: SearchFilters): { masks: Map<Facet, Uint8Array>; failures: Uint8Array } {
    const store = this.#store;
    const masks = new Map<Facet, Uint8Array>();
    const failures = new Uint8Array(base.length);
    for (const facet of FACETS) {
      const wanted = FILTER_VALUES[facet](filters);
      if (!wanted?.length) continue;
      // A lookup table by code: a typed-array read per slot instead of a Set lookup.
      const accepted = new Uint8Array(store.codes[facet].values.length + 1);
      for (const value of wanted) {
        const code = store.codes[facet].lookup(value);
        if (code !== undefined) accepted[code] = 1;
      }
      const mask = new Uint8Array(base.length);
      const column = store.columns[facet];
      if (facet === 'category') {
        for (let index = 0; index < base.length; index++) {
          const offset = base[index]! * CATEGORY_DEPTH;
          let pass = 0;
          for (let depth = 0; depth < CATEGORY_DEPTH && !pass; depth++) {
            const code = column[offset + depth]!;
            if (code >= 0 && accepted[code]) pass = 1;
          }
          mask[index] = pass;
          if (!pass) failures[index]!++;
        }
      } else {
        for (let index = 0; index < base.length; index++) {
          const pass = accepted[column[base[index]!]!]!;
          mask[index] = pass;
          if (!pass) failures[index]!++;
        }
      }
      masks.set(facet, mask);
    }
    return { masks, failures };
  }

  /**
   * Each facet counted over the items that pass every filter but its own: disjunctive facets.
   * One pass over `base` counts all five, which is what keeps browsing everything cheap.
   */
  #countFacets(base: readonly number[], masks: Map<Facet, Uint8Array>, failures: Uint8Array): Record<Facet, Map<string, number>> {
    const { columns, codes } = this.#store;
    const counts = Object.fromEntries(FACETS.map((facet) => [facet, new Int32Array(codes[facet].values.length)])) as Record<Facet, Int32Array>;
    const [regency, pillar, halal, priceRange, category] = [columns.regency, columns.pillar, columns.halalCertified, columns.priceRange, columns.category];
    const [regencyCounts, pillarCounts, halalCounts, priceRangeCounts, categoryCounts] = [counts.regency, counts.pillar, counts.halalCertified, counts.priceRange, counts.category];
    const [regencyMask, pillarMask, halalMask, priceRangeMask, categoryMask] = [masks.get('regency'), masks.get('pillar'), masks.get('halalCertified'), masks.get('priceRange'), masks.get('category')];
    for (let index = 0; index < base.length; index++) {
      const failed = failures[index]!;
      if (failed > 1) continue;
      const slot = base[index]!;
      // An item that fails exactly one filter counts only in that filter's own facet.
      if (failed === 0 || (regencyMask && !regencyMask[index])) regencyCounts[regency[slot]!]!++;
      if (failed === 0 || (pillarMask && !pillarMask[index])) pillarCounts[pillar[slot]!]!++;
      if (failed === 0 || (halalMask && !halalMask[index])) halalCounts[halal[slot]!]!++;
      if (failed === 0 || (priceRangeMask && !priceRangeMask[index])) priceRangeCounts[priceRange[slot]!]!++;
      if (failed === 0 || (categoryMask && !categoryMask[index])) {
        const offset = slot * CATEGORY_DEPTH;
        for (let depth = 0; depth < CATEGORY_DEPTH; depth++) {
          const code = category[offset + depth]!;
          if (code >= 0) categoryCounts[code]!++;
        }
      }
    }
    const facets = {} as Record<Facet, Map<string, number>>;
    for (const facet of FACETS) {
      facets[facet] = new Map();
      counts[facet].forEach((count, code) => {
        if (count > 0) facets[facet].set(codes[facet].values[code]!, count);
      });
    }
    return facets;
  }

  #liveSlots(): number[] {
    if (!this.#live) {
      const store = this.#store;
      this.#live = [];
      for (let slot = 0; slot < store.docs.length; slot++) if (store.docs[slot]) this.#live.push(slot);
    }
    return this.#live;
  }

  /**
   * The dictionary terms a query word matches, weighted: the word itself and its other forms
   * (roots, standard spelling, synonyms) fully, close misspellings and, for the last word
   * (still being typed), longer words it begins, less.
   */
  #expand(term: QueryTerm, last: boolean): Expansion[] {
    const store = this.#store;
    const found = new Map<string, number>();
    const consider = (word: string, weight: number) => {
      if ((found.get(word) ?? 0) < weight) found.set(word, weight);
    };
    for (const form of term.forms) if (store.termIds.has(form)) consider(form, form === term.typed || form === term.canonical ? WEIGHT.exact : WEIGHT.form);
    const maxDistance = term.typed.length >= 8 ? 2 : term.typed.length >= 5 ? 1 : 0;
    if (maxDistance > 0) {
      const close = [...store.dictionary.fuzzyGet(term.typed, maxDistance)].sort((a, b) => a[1][1] - b[1][1]).slice(0, MAX_EXPANSIONS);
      for (const [word, [, distance]] of close) consider(word, WEIGHT.fuzzy / distance);
    }
    if (last && term.typed.length >= 3) {
      let taken = 0;
      for (const word of store.dictionary.atPrefix(term.typed).keys()) {
        consider(word, WEIGHT.prefix);
        if (++taken >= MAX_EXPANSIONS) break;
      }
    }
    return [...found].map(([word, weight]) => ({ term: word, weight, postings: store.postings[store.termIds.get(word)!]! }));
  }

  /**
   * A page of `passing` in a sort order. Each slot's position in the presorted order is its key:
   * a small set is ranked by those integers, a large one read off the presorted order directly.
   */
  #page(sort: SortKey, passing: readonly number[], first: number, size: number): number[] {
    const { order, rank } = this.#order(sort);
    if (passing.length * 8 < order.length) {
      return pageOf(passing, first, size, (a, b) => rank[a]! - rank[b]!);
    }
    const wanted = new Uint8Array(rank.length);
    for (const slot of passing) wanted[slot] = 1;
    const page: number[] = [];
    let seen = 0;
    for (const slot of order) {
      if (!wanted[slot]) continue;
      if (seen++ >= first) page.push(slot);
      if (page.length === size) break;
    }
    return page;
  }

  #sortKey(sort: SortKey): (slot: number) => number {
    const store = this.#store;
    switch (sort) {
      case 'PRICE_ASC':
        return (slot) => store.price[slot]!;
      case 'PRICE_DESC':
        return (slot) => -store.price[slot]!;
      case 'NEWEST':
        return (slot) => -store.created[slot]!;
      case 'POPULARITY':
        return (slot) => -store.popularity[slot]!;
    }
  }

  /** Live slots in a sort order, and each slot's position in it. */
  #order(sort: SortKey): { order: Int32Array; rank: Int32Array } {
    let sorted = this.#orders.get(sort);
    if (!sorted) {
      const store = this.#store;
      const key = this.#sortKey(sort);
      const live = [...this.#liveSlots()];
      live.sort((a, b) => key(a) - key(b) || compareIds(store, a, b));
      const order = Int32Array.from(live);
      const rank = new Int32Array(store.docs.length).fill(-1);
      order.forEach((slot, position) => (rank[slot] = position));
      sorted = { order, rank };
      this.#orders.set(sort, sorted);
    }
    return sorted;
  }
}

/**
 * Items `first … first + size` of `slots` ordered by `compare`, without sorting them all when
 * the page is near the top: a sorted buffer of the best `first + size` seen so far, which most
 * slots fail to enter after one comparison with its last item.
 */
function pageOf(slots: readonly number[], first: number, size: number, compare: (a: number, b: number) => number): number[] {
  const wanted = first + size;
  if (wanted * 4 >= slots.length) return [...slots].sort(compare).slice(first, wanted);
  const best: number[] = [];
  for (const slot of slots) {
    if (best.length === wanted) {
      if (compare(slot, best[wanted - 1]!) >= 0) continue;
      best.pop();
    }
    let low = 0;
    let high = best.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compare(best[middle]!, slot) <= 0) low = middle + 1;
      else high = middle;
    }
    best.splice(low, 0, slot);
  }
  return best.slice(first, wanted);
}

const cost = (group: Expansion[]) => group.reduce((sum, expansion) => sum + expansion.postings.slots.length, 0);
const compareIds = (store: Store, a: number, b: number) => (store.docs[a]!.id < store.docs[b]!.id ? -1 : 1);
