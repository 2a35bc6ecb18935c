import SearchableMap from 'minisearch/SearchableMap';
import { analyzeQuery, indexTokens, isVocabularyWord, MAX_QUERY_TERMS, typoCount, type QueryTerm } from './analyzer.ts';
import { markMatches, matcher, snippet } from './highlight.ts';
import {
  FACETS,
  type Facet,
  type ProductDocument,
  type SearchFilters,
  type SearchHit,
  type SearchIndex,
  type SearchRequest,
  type SearchResponse,
  type SearchSort,
  type SearchRelaxation,
  type SearchSuggestion,
} from './search-index.ts';
import { relaxQuery, type MatchCounter, type RelaxedQuery } from './relaxation.ts';
import { SPELLING_VARIANTS, typoBudget } from './vocabulary.ts';

/**
 * The in-process index. MiniSearch's radix tree (`SearchableMap`) is the term dictionary, for
 * its fuzzy and prefix lookups; postings, filters and facets are flat arrays indexed by document
 * slot, because a result object per matching document cost 70–110 ms for common queries over
 * 80,000 products on our 2-core machine.
 *
 * Ranking is Meilisearch's bucket sort, not a weighted score: documents are ordered by the
 * number of query terms they match, then their typos, the proximity of the terms, the rank of
 * the attribute they occur in (name, category, place, description), how early in it, their
 * exactness, and only then the requested sort (for relevance: in stock first, then popularity).
 * Each query term counts once, at its best reading (its own word, a spelling, root, synonym or
 * translation, a typo): nothing adds up, so there is no score to overflow or to be won by
 * repeating a word. A rule decides only between documents the rules before it leave equal.
 */

/**
 * Attributes in ranking order: a match in the name outranks one in the category, and so on.
 * Descriptions are not searched (only shown and highlighted): a word only a description holds
 * ("tanpa tambahan gula", "air hangat", "digoreng") made whole result lists irrelevant. Seller
 * names are searched without the words that name products (see `sellerKeywords`), and rank
 * below the regency, so "kopi banyuwangi" puts coffee from Banyuwangi before coffee of a
 * pesantren whose village is called so.
 */
const ATTRIBUTES = [
  { name: 'name', texts: (doc: ProductDocument) => [doc.name, doc.nameEnglish] },
  { name: 'category', texts: (doc: ProductDocument) => [doc.categoryNames] },
  { name: 'regency', texts: (doc: ProductDocument) => [doc.regencyName] },
  { name: 'seller', texts: (doc: ProductDocument) => [doc.sellerKeywords] },
] as const;

/** Positions between the texts of one attribute, so words of two texts are never "near". */
const TEXT_GAP = 8;
/** Proximity of two query terms that no attribute holds together. */
const MAX_PROXIMITY = 1;
/** The word position rule looks this far into an attribute. */
const MAX_WORD_POSITION = 31;
const MAX_EXPANSIONS = 40;
/** The name byte, and the name and category bytes, of a posting's places: where a term names the product rather than its seller or place. */
const NAME = 0xff;
const NAME_OR_CATEGORY = 0xffff;

/**
 * A posting is a document slot and where the term occurs in it: for each attribute a byte with
 * the term's first position there (255: absent), and whether the text has the word itself
 * rather than only a spelling or root the analyser derived (the slot's top bit, LITERAL_BIT).
 */
const ABSENT = 255;
const ALL_ABSENT = 0xffffffff;
/** The seller byte of a posting's places (the fourth attribute) set absent. */
const SELLER_ABSENT = (ABSENT << 24) >>> 0;
const LITERAL_BIT = 0x80000000;
const SLOT_BITS = 0x7fffffff;
/** While a document is added, its places for a term and the literal flag are one number: places + LITERAL. */
const LITERAL = 2 ** 32;

/** The facets other than the category, in the order a profile lists their codes (see Store.profiles). */
const FLAT_FACETS = ['regency', 'pillar', 'halalCertified', 'priceRange'] as const;
type FlatFacet = (typeof FLAT_FACETS)[number];
/** The two halves of a slot's facet key (Store.facetKeys). */
const profileOf = (key: number) => key >>> 16;
const pathOf = (key: number) => key & 0xffff;

/** Interns strings as small integers, so facets are counted in typed arrays. */
class Codes {
  readonly values: string[] = [];
  readonly #byValue = new Map<string, number>();
  code(value: string): number {
    let code = this.#byValue.get(value);
    if (code === undefined) {
      code = this.values.length;
      // Codes are kept in 16 bits (Store.facetKeys).
      if (code > 0xffff) throw new RangeError(`more than ${0xffff + 1} distinct facet values`);
      this.values.push(value);
      this.#byValue.set(value, code);
    }
    return code;
  }
  lookup(value: string): number | undefined {
    return this.#byValue.get(value);
  }
}

const FACET_OF_DOC: Record<FlatFacet, (doc: ProductDocument) => string> = {
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

/** Presorted orders: the explicit sorts, and relevance's final tie-break (in stock, then popular). */
type Order = Exclude<SearchSort, 'RELEVANCE'> | 'AVAILABLE_POPULAR';

/**
 * The postings of one index token, two numbers each in one typed array: the slot (with
 * LITERAL_BIT) and the places. Not JS arrays: places use all 32 bits, so a JS array held each
 * as a boxed number, and following those pointers made a search over 80,000 products about ten
 * times slower once other work had taken the CPU cache (as between a server's requests) than in
 * a loop of searches.
 */
class Postings {
  entries = new Uint32Array(4);
  /** Postings in use (entries hold two numbers each). */
  length = 0;

  push(slot: number, places: number, literal: boolean): void {
    if (this.length * 2 === this.entries.length) {
      const grown = new Uint32Array(this.entries.length * 2);
      grown.set(this.entries);
      this.entries = grown;
    }
    this.entries[this.length * 2] = literal ? (slot | LITERAL_BIT) >>> 0 : slot;
    this.entries[this.length * 2 + 1] = places;
    this.length++;
  }

  /** Gives back the room growth left, once a build is done. */
  trim(): void {
    if (this.entries.length > this.length * 2) this.entries = this.entries.slice(0, this.length * 2);
  }
}

/** The index tokens a query term reaches, and what reaching each costs. */
interface Expansion {
  term: string;
  postings: Postings;
  typos: number;
  /** The shopper's own word: counts for exactness where the document has it literally. */
  exact: boolean;
}

class Store {
  /** Terms for fuzzy and prefix lookups; `termIds` answers exact lookups faster. */
  readonly dictionary = new SearchableMap<number>();
  readonly termIds = new Map<string, number>();
  readonly postings: Postings[] = [];
  /** Terms some text has as written: typos and prefixes are measured against these, not against derived roots. */
  readonly literal = new Set<string>();
  /** Words product names and categories have as written: what a "did you mean" may offer. */
  readonly titleWords = new Set<string>();
  readonly docs: (ProductDocument | undefined)[] = [];
  readonly slotById = new Map<string, number>();
  readonly codes: Record<Facet, Codes> = { category: new Codes(), regency: new Codes(), pillar: new Codes(), halalCertified: new Codes(), priceRange: new Codes() };
  live = 0;
  // Per-slot columns, typed for the same reason as Postings; grown by doubling (see #room).
  #capacity = 0;
  /** 1 while the slot's document is live. */
  alive = new Uint8Array(0);
  /**
   * Per slot, its facet profile (high 16 bits) and category path (low 16 bits). A profile is a
   * combination of the four other facets' values that some product has (a few hundred at most:
   * 38 regencies × 3 pillars × 2 × 5 price ranges), a path a category with its ancestors.
   * Counting facets adds one per matching product to a profile's and a path's count, one read
   * of four bytes, and spreads the counts to the values afterwards: reading each facet's code
   * from its own array cost a cache miss per array and product, the slowest part of searching
   * 80,000 products.
   */
  facetKeys = new Uint32Array(0);
  readonly profiles = new Codes();
  /** Profile → its four codes (FLAT_FACETS order), four numbers a profile. */
  readonly profileValues: number[] = [];
  readonly paths = new Codes();
  /** Path → the category codes on it. */
  readonly pathValues: number[][] = [];
  price = new Float64Array(0);
  created = new Float64Array(0);
  popularity = new Float64Array(0);
  /** Bit 1: featured; bit 2: in stock. */
  flags = new Uint8Array(0);
  /** Words of the Indonesian name, where the English name starts, and its words: for the exactness rule. */
  nameLength = new Uint16Array(0);
  englishStart = new Uint16Array(0);
  englishLength = new Uint16Array(0);

  /** Makes room in every per-slot column for `slot`. */
  #room(slot: number): void {
    if (slot < this.#capacity) return;
    const capacity = Math.max(1_024, this.#capacity * 2);
    const grow = <T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(array: T, make: (length: number) => T): T => {
      const grown = make(capacity);
      grown.set(array as never);
      return grown;
    };
    this.alive = grow(this.alive, (n) => new Uint8Array(n));
    this.facetKeys = grow(this.facetKeys, (n) => new Uint32Array(n));
    this.price = grow(this.price, (n) => new Float64Array(n));
    this.created = grow(this.created, (n) => new Float64Array(n));
    this.popularity = grow(this.popularity, (n) => new Float64Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.nameLength = grow(this.nameLength, (n) => new Uint16Array(n));
    this.englishStart = grow(this.englishStart, (n) => new Uint16Array(n));
    this.englishLength = grow(this.englishLength, (n) => new Uint16Array(n));
    this.#capacity = capacity;
  }

  /** Documents always take a new slot; a replaced or removed one leaves a dead slot until the next rebuild. */
  add(doc: ProductDocument): void {
    const previous = this.slotById.get(doc.id);
    if (previous !== undefined && this.docs[previous]) {
      this.docs[previous] = undefined;
      this.alive[previous] = 0;
      this.live--;
    }
    const slot = this.docs.length;
    this.#room(slot);
    this.docs.push(doc);
    this.alive[slot] = 1;
    this.slotById.set(doc.id, slot);
    this.live++;
    const values = FLAT_FACETS.map((facet) => this.codes[facet].code(FACET_OF_DOC[facet](doc)));
    const profile = this.profiles.code(values.join(' '));
    if (profile * 4 === this.profileValues.length) this.profileValues.push(...values);
    const path = this.paths.code(doc.categorySlugs.join(' '));
    if (path === this.pathValues.length) this.pathValues.push(doc.categorySlugs.map((slug) => this.codes.category.code(slug)));
    this.facetKeys[slot] = ((profile << 16) | path) >>> 0;
    this.price[slot] = doc.priceRupiah;
    this.created[slot] = doc.createdAt;
    this.popularity[slot] = doc.popularity;
    this.flags[slot] = (doc.featured ? 1 : 0) | (doc.inStock ? 2 : 0);

    // Each term's first position in each attribute, and whether any text has it as written.
    const where = new Map<string, number>();
    ATTRIBUTES.forEach((attribute, rank) => {
      const shift = rank * 8;
      let offset = 0;
      attribute.texts(doc).forEach((text, index) => {
        let words = 0;
        for (const token of indexTokens(text)) {
          words = Math.max(words, token.position + 1);
          const position = Math.min(offset + token.position, ABSENT - 1);
          let known = where.get(token.term) ?? ALL_ABSENT;
          const literal = known >= LITERAL;
          if (literal) known -= LITERAL;
          if (position < ((known >>> shift) & ABSENT)) known = (known & ~(ABSENT << shift)) | (position << shift);
          where.set(token.term, (known >>> 0) + (literal || !token.derived ? LITERAL : 0));
          if (rank <= 1 && !token.derived) this.titleWords.add(token.term);
        }
        if (rank === 0) {
          if (index === 0) this.nameLength[slot] = words;
          else {
            this.englishStart[slot] = offset;
            this.englishLength[slot] = words;
          }
        }
        offset += words + TEXT_GAP;
      });
    });
    for (const [term, place] of where) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.postings.length;
        this.termIds.set(term, id);
        this.dictionary.set(term, id);
        this.postings.push(new Postings());
      }
      const literal = place >= LITERAL;
      if (literal) this.literal.add(term);
      this.postings[id]!.push(slot, literal ? place - LITERAL : place, literal);
    }
  }

  /** Gives back the room the postings' growth left. */
  trim(): void {
    for (const postings of this.postings) postings.trim();
  }

  remove(id: string): void {
    const slot = this.slotById.get(id);
    if (slot === undefined || !this.docs[slot]) return;
    this.docs[slot] = undefined;
    this.alive[slot] = 0;
    this.slotById.delete(id);
    this.live--;
  }
}

/**
 * Per-slot working arrays, kept between searches: allocating them per query (a few MiB at
 * 100,000 products) made the garbage collector the slowest part of a search. Each search clears
 * only the slots the previous one touched.
 */
class Scratch {
  readonly typos: Uint8Array[] = [];
  readonly places: Uint32Array[] = [];
  readonly exact: Uint16Array;
  readonly matched: Uint8Array;
  readonly keys: Float64Array;
  touched: number[] = [];
  readonly size: number;

  constructor(size: number) {
    this.size = size;
    this.exact = new Uint16Array(size);
    this.matched = new Uint8Array(size);
    this.keys = new Float64Array(size);
  }

  /** Arrays for `count` terms; most queries have one to three, so the rest are made when first needed. */
  forTerms(count: number): { typos: Uint8Array[]; places: Uint32Array[] } {
    while (this.typos.length < count) {
      this.typos.push(new Uint8Array(this.size));
      this.places.push(new Uint32Array(this.size));
    }
    return { typos: this.typos.slice(0, count), places: this.places.slice(0, count) };
  }

  clear(): void {
    for (const slot of this.touched) {
      this.matched[slot] = 0;
      this.exact[slot] = 0;
      for (const typos of this.typos) typos[slot] = 0;
    }
    this.touched = [];
  }
}

/** What matching left for ranking: the documents with every term, and where each term occurs in them. */
interface Match {
  candidates: number[];
  /** Per query term (in query order): slot → 1 + the fewest typos it matched with, 0 where it did not match. */
  typos: Uint8Array[];
  /** Per query term: slot → the term's first position in each attribute, a byte each (255: absent). */
  places: Uint32Array[];
  /** Per slot: bit t set when term t occurs as the shopper typed it. */
  exact: Uint16Array;
  /** Index tokens that matched, for highlighting. */
  matchedTerms: string[];
}

export class EmbeddedSearchIndex implements SearchIndex {
  readonly kind = 'embedded';
  #store = new Store();
  /** Live slots in each presorted order, and each slot's position in it, rebuilt lazily after changes. */
  #orders = new Map<Order, { order: Int32Array; rank: Int32Array }>();
  #live: number[] | undefined;
  #scratch: Scratch | undefined;

  /** Working arrays for the current store; valid until the next #match. */
  #scratchFor(size: number): Scratch {
    if (!this.#scratch || this.#scratch.size < size) this.#scratch = new Scratch(Math.ceil(size * 1.25));
    this.#scratch.clear();
    return this.#scratch;
  }

  async prepare(): Promise<void> {}

  async replaceAll(batches: AsyncIterable<ProductDocument[]>, onProgress?: (indexed: number) => void): Promise<number> {
    const fresh = new Store();
    for await (const batch of batches) {
      for (const doc of batch) fresh.add(doc);
      onProgress?.(fresh.live);
    }
    fresh.trim();
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
      fresh.trim();
      this.#store = fresh;
    }
  }

  async search(request: SearchRequest): Promise<SearchResponse> {
    const store = this.#store;
    if (request.nothingToSearch) return emptyResponse();
    let terms = request.terms;
    let match = terms.length > 0 ? this.#match(terms) : undefined;
    let relaxation: SearchRelaxation | null = null;
    let suggestion: SearchSuggestion | null = null;
    if (match && match.candidates.length === 0) {
      // Nothing has every word: run a relaxed query (see relaxation.ts) behind a notice, and suggest what may be meant.
      const relaxed = await relaxQuery(terms, this.#counter());
      const corrected = this.#corrected(terms, relaxed);
      let categorySlug = corrected ? this.#categoryOf(this.#match(corrected.terms)) : null;
      if (relaxed) {
        terms = relaxed.terms;
        relaxation = relaxed.relaxation;
        match = this.#match(terms);
        categorySlug ??= this.#categoryOf(match);
      }
      // A word the vocabulary files under a category no product of ours is in yet (mukena): that category.
      categorySlug ??= request.terms.find((term) => term.category)?.category ?? null;
      if (corrected || categorySlug) suggestion = { query: corrected?.query ?? null, categorySlug };
    }
    const base = this.#narrow(match ? match.candidates : this.#liveSlots(), request.filters);
    const { masks, failures } = this.#facetMasks(base, request.filters);
    const facets = this.#countFacets(base, masks, failures);

    let passing = base;
    if (masks.size > 0) {
      passing = [];
      for (let index = 0; index < base.length; index++) if (failures[index] === 0) passing.push(base[index]!);
    }
    const first = (request.page - 1) * request.pageSize;
    let page: number[];
    if (match && passing.length > 0) {
      const keys = this.#relevance(terms, match, passing);
      const tieBreak = this.#order(request.sort === 'RELEVANCE' ? 'AVAILABLE_POPULAR' : request.sort).rank;
      page = pageOf(passing, first, request.pageSize, (a, b) => keys[a]! - keys[b]! || tieBreak[a]! - tieBreak[b]!);
    } else {
      page = this.#page(request.sort === 'RELEVANCE' ? 'AVAILABLE_POPULAR' : request.sort, passing, first, request.pageSize);
    }

    const isMatch = matcher([...(match?.matchedTerms ?? []), ...terms.flatMap((term) => term.highlight)]);
    return {
      total: passing.length,
      facets,
      suggestion,
      relaxation,
      hits: page.map((slot): SearchHit => {
        const doc = store.docs[slot]!;
        return {
          id: doc.id,
          nameHighlight: markMatches(doc.name, isMatch),
          nameEnglishHighlight: doc.nameEnglish ? markMatches(doc.nameEnglish, isMatch) : null,
          descriptionSnippet: doc.description ? snippet(doc.description, isMatch) : null,
          descriptionEnglishSnippet: doc.descriptionEnglish ? snippet(doc.descriptionEnglish, isMatch) : null,
        };
      }),
    };
  }

  /**
   * The index tokens a query term reaches and their cost: its variants (own word, spelling,
   * place, roots, synonyms, translations) at no typo, and for a single typed word, dictionary
   * words within its typo budget and, for the last word (still being typed), longer words it
   * begins. Each token keeps its cheapest reading.
   */
  #expand(term: QueryTerm, last: boolean): Expansion[] {
    const store = this.#store;
    const found = new Map<string, { typos: number; exact: boolean }>();
    const consider = (word: string, typos: number, exact: boolean) => {
      const known = found.get(word);
      if (!known || typos < known.typos || (typos === known.typos && exact && !known.exact)) found.set(word, { typos, exact });
    };
    // A root counts only where it is a word products are named by and the word typed is not: "perlengkapan" is not "lengkap", "rajutan" is "rajut".
    const rootsAllowed = !store.titleWords.has(term.typed);
    for (const variant of term.variants) {
      if (!store.termIds.has(variant.word)) continue;
      if (variant.kind === 'affix' && !(rootsAllowed && (store.titleWords.has(variant.word) || isVocabularyWord(variant.word)))) continue;
      consider(variant.word, variant.typos, variant.kind === 'exact');
    }
    if (term.fuzzy && !term.exactOnly) {
      // No typos for words the vocabulary knows (spelled as shoppers spell them: "hitam" is not "hikam") or numbers, as Meilisearch's disableOnWords and disableOnNumbers.
      if (!term.known && !/\d/.test(term.typed)) for (const [word, typos] of this.#fuzzy(term.typed, typoBudget(term.typed))) consider(word, typos, false);
      if (last && term.typed.length >= 3) {
        let taken = 0;
        for (const word of store.dictionary.atPrefix(term.typed).keys()) {
          if (word === term.typed || !store.literal.has(word)) continue;
          consider(word, 0, false);
          if (++taken >= MAX_EXPANSIONS) break;
        }
      }
    }
    return [...found].map(([word, { typos, exact }]) => ({ term: word, typos, exact, postings: store.postings[store.termIds.get(word)!]! }));
  }

  /**
   * Words some text has as written within `budget` typos of a word, typos counted as
   * Meilisearch does: a swap of neighbours is one (the radix tree's Levenshtein search counts
   * two, so swapped spellings are looked up too), a wrong first letter two. Roots the analyser
   * derived are left out: "gamis" is one letter from "garis", the root of "bergaris", which no
   * shopper typed.
   */
  #fuzzy(word: string, budget: number): Map<string, number> {
    const found = new Map<string, number>();
    if (budget === 0) return found;
    const { dictionary } = this.#store;
    const candidates = new Set(dictionary.fuzzyGet(word, budget).keys());
    for (let i = 0; i + 1 < word.length; i++) {
      const swapped = word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
      if (budget > 1) for (const near of dictionary.fuzzyGet(swapped, budget - 1).keys()) candidates.add(near);
      else if (dictionary.has(swapped)) candidates.add(swapped);
    }
    for (const candidate of candidates) {
      if (candidate === word || !this.#store.literal.has(candidate)) continue;
      const typos = typoCount(word, candidate, budget);
      if (typos > 0 && typos <= budget) found.set(candidate, typos);
    }
    if (found.size <= MAX_EXPANSIONS) return found;
    return new Map([...found].sort((a, b) => a[1] - b[1]).slice(0, MAX_EXPANSIONS));
  }

  /** The live slots that match every query term, in any of its readings, with where each term occurs (in the scratch arrays, until the next call). */
  #match(terms: readonly QueryTerm[]): Match {
    const store = this.#store;
    const size = store.docs.length;
    const expansions = terms.map((term, index) => this.#expand(term, index === terms.length - 1));
    // Rarest term first: it bounds the candidates every other term can only narrow.
    const order = terms.map((_, index) => index).sort((a, b) => cost(expansions[a]!) - cost(expansions[b]!));
    const scratch = this.#scratchFor(size);
    const { exact, matched } = scratch;
    const { alive } = store;
    const { typos, places } = scratch.forTerms(terms.length);
    const firstSlots: number[] = [];
    scratch.touched = firstSlots;
    order.forEach((termIndex, step) => {
      const termTypos = typos[termIndex]!;
      const termPlaces = places[termIndex]!;
      const exactBit = 1 << termIndex;
      for (const expansion of expansions[termIndex]!) {
        const { entries, length } = expansion.postings;
        const typo = expansion.typos + 1;
        const countsExact = expansion.exact && expansion.typos === 0;
        // A typo never matches a seller's name (Meilisearch's typoTolerance.disableOnAttributes): names of pesantren are not misspelt product words.
        const mask = expansion.typos > 0 ? SELLER_ABSENT : 0;
        for (let k = 0; k < length; k++) {
          const tagged = entries[2 * k]!;
          const slot = tagged & SLOT_BITS;
          const literal = tagged >= LITERAL_BIT;
          let place = entries[2 * k + 1]!;
          if (mask) {
            place = (place | mask) >>> 0;
            if (place === ALL_ABSENT) continue;
          }
          if (step === 0) {
            if (!alive[slot]) continue;
            if (matched[slot] === 0) firstSlots.push(slot);
          } else if (matched[slot]! < step) continue;
          matched[slot] = step + 1;
          if (literal && countsExact) exact[slot]! |= exactBit;
          const known = termTypos[slot]!;
          if (known === 0) {
            termTypos[slot] = typo;
            termPlaces[slot] = place;
          } else {
            if (typo < known) termTypos[slot] = typo;
            termPlaces[slot] = minBytes(termPlaces[slot]!, place);
          }
        }
      }
    });
    return {
      candidates: inSlotOrder(firstSlots, matched, terms.length),
      typos,
      places,
      exact,
      matchedTerms: expansions.flatMap((group) => group.map((expansion) => expansion.term)),
    };
  }

  /** Each passing document's place in the bucket sort (see rankingKey). */
  #relevance(terms: readonly QueryTerm[], match: Match, passing: readonly number[]): Float64Array {
    if (terms.length > MAX_QUERY_TERMS) throw new RangeError(`at most ${MAX_QUERY_TERMS} terms are ranked`);
    const store = this.#store;
    const keys = this.#scratch!.keys;
    const count = terms.length;
    for (const slot of passing) {
      let typos = 0;
      let proximity = 0;
      let attributes = 0;
      let positions = 0;
      let starts = true;
      let englishStarts = true;
      let previous = ALL_ABSENT;
      const exactBits = match.exact[slot]!;
      for (let t = 0; t < count; t++) {
        typos += match.typos[t]![slot]! - 1;
        const place = match.places[t]![slot]!;
        // Attribute rank and word position: the first attribute the term occurs in, and where.
        let attribute = 0;
        while (((place >>> (attribute * 8)) & ABSENT) === ABSENT) attribute++;
        attributes += attribute;
        positions += Math.min((place >>> (attribute * 8)) & ABSENT, MAX_WORD_POSITION);
        // Proximity to the term before: the closest the two stand in any attribute both occur in.
        if (t > 0) proximity += closeness(previous, place);
        const inName = place & ABSENT;
        const exactHere = (exactBits & (1 << t)) !== 0;
        if (!exactHere || inName !== t) starts = false;
        if (!exactHere || inName !== store.englishStart[slot]! + t) englishStarts = false;
        previous = place;
      }
      let exactWords = 0;
      for (let bits = exactBits; bits; bits &= bits - 1) exactWords++;
      const equals = (starts && store.nameLength[slot] === count) || (englishStarts && store.englishLength[slot] === count);
      keys[slot] = rankingKey({ typos, proximity, attributes, positions, name: equals ? 'equals' : starts || englishStarts ? 'starts' : 'other', inexactTerms: count - exactWords });
    }
    return keys;
  }

  /** Match counts for the relaxation planner; each list's last term may be a prefix, as in a search. */
  #counter(): MatchCounter {
    return {
      count: (lists) => lists.map((terms) => this.#match(terms).candidates.length),
      some: (terms) => terms.map((term) => this.#any(term)),
      first: (lists) => lists.findIndex((terms) => this.#match(terms).candidates.length > 0),
    };
  }

  /** Whether some live product matches a term alone (as the last word of a query: prefixes count), stopping at the first. */
  #any(term: QueryTerm): boolean {
    const store = this.#store;
    for (const expansion of this.#expand(term, true)) {
      const { entries, length } = expansion.postings;
      for (let k = 0; k < length; k++) {
        if (!store.alive[entries[2 * k]! & SLOT_BITS]) continue;
        // A typo never matches a seller's name, as in #match.
        if (expansion.typos > 0 && ((entries[2 * k + 1]! | SELLER_ABSENT) >>> 0) === ALL_ABSENT) continue;
        return true;
      }
    }
    return false;
  }

  /**
   * A query to suggest when no product has every word of one: its unmatched words corrected to
   * the nearest word of a product name or category (beyond the typo budget, and only for words
   * long enough that such a correction is likely the word meant), each correction once, without
   * numbers and measures, shortened from the end until products match; null when no word could
   * be corrected or the corrected query is the relaxed one.
   */
  #corrected(terms: readonly QueryTerm[], relaxed: RelaxedQuery | null): { query: string; terms: QueryTerm[] } | null {
    const readings: QueryTerm[] = [];
    let corrected = false;
    for (const term of terms) {
      if (term.measure) continue;
      if (this.#any(term)) {
        readings.push(term);
        continue;
      }
      // A word the vocabulary knows (mukena, gula aren) is not a misspelling: the catalogue lacks it, so only its category helps.
      const correction = term.fuzzy && !term.known ? this.#correction(term.typed) : undefined;
      const reading = correction ? analyzeQuery(correction)[0] : undefined;
      if (reading && !readings.some((known) => known.canonical === reading.canonical)) {
        readings.push(reading);
        corrected = true;
      }
    }
    if (!corrected) return null;
    for (let kept = readings; kept.length > 0 && kept.some((term) => !term.regency); kept = kept.slice(0, -1)) {
      if (this.#match(kept).candidates.length === 0) continue;
      const query = kept.map((term) => term.canonical).join(' ');
      return query === relaxed?.relaxation.query ? null : { query, terms: kept };
    }
    return null;
  }

  /**
   * The leaf category of most of the matched products a query's words name by their name;
   * failing that, by their category ("minuman" is in every food's parent category). Seller names
   * are not counted: "quran" must not point to the category of a pesantren called so.
   */
  #categoryOf(match: Match): string | null {
    const store = this.#store;
    for (const attribute of [NAME, NAME_OR_CATEGORY]) {
      const counts = new Map<string, number>();
      for (const slot of match.candidates) {
        if (!match.places.some((places) => ((places[slot]! & attribute) >>> 0) !== attribute)) continue;
        const slugs = store.docs[slot]!.categorySlugs;
        const leaf = slugs[slugs.length - 1];
        if (leaf) counts.set(leaf, (counts.get(leaf) ?? 0) + 1);
      }
      const best = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
      if (best) return best;
    }
    return null;
  }

  /**
   * The word of a product name or category nearest to an unmatched one, a typo past its budget;
   * the more common of equals. Only four-letter words (no typo allowed in a search) and words of
   * eight letters or more are corrected: from five to seven letters the search's own allowance
   * of one typo is all a correction may take ("empon" is two letters from "empat", a different
   * word). Description words are not offered: "sepatu" is two letters from "satu" (one).
   *
   * Two slips short words make are corrected too (a new user found "mdu" and "krpik" got no
   * suggestion): a three-letter word that is a four-letter name word with a vowel left out between
   * consonants ("mdu" for "madu"), and a word one typo from another spelling the
   * vocabulary knows ("krpik" from "kripik", which is "keripik"): the search allows that typo
   * against the word our products use, not against its other spellings.
   */
  #correction(word: string): string | undefined {
    const store = this.#store;
    if (word.length === 3) return this.#withLetterLeftOut(word);
    if (word.length > 4 && word.length < 8) return this.#nearOtherSpelling(word);
    if (word.length < 4) return undefined;
    const budget = word.length === 4 ? 1 : Math.min(typoBudget(word) + 1, 3);
    let best: { word: string; typos: number; documents: number } | undefined;
    for (const [candidate] of store.dictionary.fuzzyGet(word, budget)) {
      if (!store.titleWords.has(candidate)) continue;
      const typos = typoCount(word, candidate, budget + 1);
      const documents = store.postings[store.termIds.get(candidate)!]!.length;
      if (typos <= budget && (!best || typos < best.typos || (typos === best.typos && documents > best.documents))) best = { word: candidate, typos, documents };
    }
    return best?.word ?? this.#nearOtherSpelling(word);
  }

  /**
   * The commonest four-letter name word that is `word` with a vowel put back between two of its
   * consonants ("mdu" → "madu", "kpi" → "kopi": typed without its vowel, as in a text message).
   * Any other letter left out made absurd suggestions of real words: "sop" (soup) → "soap", "bau"
   * → "baju", "got" → "goat" (an adversarial review tried every three-letter string).
   */
  #withLetterLeftOut(word: string): string | undefined {
    const store = this.#store;
    let best: { word: string; documents: number } | undefined;
    for (const [candidate] of store.dictionary.fuzzyGet(word, 1)) {
      if (candidate.length !== word.length + 1 || !store.titleWords.has(candidate) || !vowelLeftOutBetweenConsonants(word, candidate)) continue;
      const documents = store.postings[store.termIds.get(candidate)!]!.length;
      if (!best || documents > best.documents || (documents === best.documents && candidate < best.word)) best = { word: candidate, documents };
    }
    return best?.word;
  }

  /** The word our products use for a spelling the vocabulary knows that is one typo from `word`; the commonest when several are. */
  #nearOtherSpelling(word: string): string | undefined {
    const store = this.#store;
    let best: { word: string; documents: number } | undefined;
    for (const [spelling, canonical] of Object.entries(SPELLING_VARIANTS)) {
      const termId = store.termIds.get(canonical);
      if (termId === undefined || Math.abs(spelling.length - word.length) > 1 || !store.titleWords.has(canonical) || typoCount(word, spelling, 2) !== 1) continue;
      const documents = store.postings[termId]!.length;
      if (!best || documents > best.documents || (documents === best.documents && canonical < best.word)) best = { word: canonical, documents };
    }
    return best?.word;
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
    const { facetKeys } = store;
    const masks = new Map<Facet, Uint8Array>();
    const failures = new Uint8Array(base.length);
    for (const facet of FACETS) {
      const wanted = FILTER_VALUES[facet](filters);
      if (!wanted?.length) continue;
      const accepted = new Set<number>();
      for (const value of wanted) {
        const code = store.codes[facet].lookup(value);
        if (code !== undefined) accepted.add(code);
      }
      // Which profiles (or category paths) hold an accepted value: then one table read per item.
      let passes: Uint8Array;
      let half: (key: number) => number;
      if (facet === 'category') {
        passes = Uint8Array.from(store.pathValues, (path) => (path.some((code) => accepted.has(code)) ? 1 : 0));
        half = pathOf;
      } else {
        const column = FLAT_FACETS.indexOf(facet);
        passes = new Uint8Array(store.profiles.values.length);
        for (let profile = 0; profile < passes.length; profile++) passes[profile] = accepted.has(store.profileValues[profile * 4 + column]!) ? 1 : 0;
        half = profileOf;
      }
      const mask = new Uint8Array(base.length);
      for (let index = 0; index < base.length; index++) {
        const pass = passes[half(facetKeys[base[index]!]!)]!;
        mask[index] = pass;
        if (!pass) failures[index]!++;
      }
      masks.set(facet, mask);
    }
    return { masks, failures };
  }

  /**
   * Each facet counted over the items that pass every filter but its own: disjunctive facets.
   * One pass over `base` counts profiles and category paths (see Store.facetKeys); an item that
   * fails exactly one filter counts only in that filter's own facet.
   */
  #countFacets(base: readonly number[], masks: Map<Facet, Uint8Array>, failures: Uint8Array): Record<Facet, Map<string, number>> {
    const { facetKeys, codes, profiles, profileValues, pathValues } = this.#store;
    const profileCounts = new Int32Array(profiles.values.length);
    const pathCounts = new Int32Array(pathValues.length);
    const counts = Object.fromEntries(FACETS.map((facet) => [facet, new Int32Array(codes[facet].values.length)])) as Record<Facet, Int32Array>;
    if (masks.size === 0) {
      for (let index = 0; index < base.length; index++) {
        const key = facetKeys[base[index]!]!;
        profileCounts[profileOf(key)]!++;
        pathCounts[pathOf(key)]!++;
      }
    } else {
      const failing = [...masks];
      for (let index = 0; index < base.length; index++) {
        const failed = failures[index]!;
        if (failed > 1) continue;
        const key = facetKeys[base[index]!]!;
        if (failed === 0) {
          profileCounts[profileOf(key)]!++;
          pathCounts[pathOf(key)]!++;
          continue;
        }
        const [facet] = failing.find(([, mask]) => !mask[index])!;
        if (facet === 'category') for (const code of pathValues[pathOf(key)]!) counts.category[code]!++;
        else counts[facet][profileValues[profileOf(key) * 4 + FLAT_FACETS.indexOf(facet)]!]!++;
      }
    }
    profileCounts.forEach((count, profile) => {
      if (count > 0) FLAT_FACETS.forEach((facet, column) => (counts[facet][profileValues[profile * 4 + column]!]! += count));
    });
    pathCounts.forEach((count, path) => {
      if (count > 0) for (const code of pathValues[path]!) counts.category[code]! += count;
    });
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
      for (let slot = 0; slot < store.docs.length; slot++) if (store.alive[slot]) this.#live.push(slot);
    }
    return this.#live;
  }

  /**
   * A page of `passing` in a presorted order. Each slot's position in the order is its key: a
   * small set is ranked by those integers, a large one read off the presorted order directly.
   */
  #page(sort: Order, passing: readonly number[], first: number, size: number): number[] {
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

  #sortKey(sort: Order): (slot: number) => number {
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
      case 'AVAILABLE_POPULAR':
        return (slot) => (store.flags[slot]! & 2 ? 0 : 1);
    }
  }

  /** Live slots in an order (ties: in stock first, then the more popular, then by id), and each slot's position in it. */
  #order(sort: Order): { order: Int32Array; rank: Int32Array } {
    let sorted = this.#orders.get(sort);
    if (!sorted) {
      const store = this.#store;
      const key = this.#sortKey(sort);
      const live = [...this.#liveSlots()];
      const available = (slot: number) => (store.flags[slot]! & 2 ? 0 : 1);
      live.sort((a, b) => key(a) - key(b) || available(a) - available(b) || store.popularity[b]! - store.popularity[a]! || compareIds(store, a, b));
      const order = Int32Array.from(live);
      const rank = new Int32Array(store.docs.length).fill(-1);
      order.forEach((slot, position) => (rank[slot] = position));
      sorted = { order, rank };
      this.#orders.set(sort, sorted);
    }
    return sorted;
  }
}

/** How a document matched a query, rule by rule (Meilisearch's built-in rules after `words`). */
export interface RuleValues {
  /** Typos over all terms (each term at most 2). */
  typos: number;
  /** Pairs of neighbouring query terms that share no attribute. */
  proximity: number;
  /** Sum over terms of the rank of the first attribute holding it (0 name, 1 category, 2 regency, 3 seller). */
  attributes: number;
  /** Sum over terms of its position in that attribute, each capped at 31. */
  positions: number;
  /** Meilisearch's exactness: a name equal to the query, one starting with it, or neither. */
  name: 'equals' | 'starts' | 'other';
  /** Terms not found as the shopper typed them. */
  inexactTerms: number;
}

/**
 * A document's place in the bucket sort as one number, lower first: each rule in a fixed-width
 * field (typos 5 bits, proximity 4, attribute 6, word position 9, exactness 6), most important
 * highest, so comparing two keys compares the rules in order and a later rule only decides
 * between documents the earlier ones leave equal. Every field is a bounded count of at most
 * MAX_QUERY_TERMS terms: the key is always a finite integer below 2^30, never Infinity or NaN
 * (the weighted score this replaced divided by an edit distance of 0).
 */
export function rankingKey(rules: RuleValues): number {
  const exactness = (rules.name === 'equals' ? 0 : rules.name === 'starts' ? 1 : 2) * 16 + rules.inexactTerms;
  return (((rules.typos * 16 + rules.proximity) * 64 + rules.attributes) * 512 + rules.positions) * 64 + exactness;
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

/**
 * The slots that matched all `terms` terms, in slot order: ranking and facet counting then read
 * the per-slot arrays front to back, which the CPU prefetches, instead of in the order the
 * postings of several readings happened to name them. A scan of `matched` (one byte a slot)
 * costs less than sorting once the touched slots are more than a few per cent of all.
 */
function inSlotOrder(touched: readonly number[], matched: Uint8Array, terms: number): number[] {
  const slots: number[] = [];
  if (touched.length * 32 > matched.length) {
    for (let slot = 0; slot < matched.length; slot++) if (matched[slot] === terms) slots.push(slot);
    return slots;
  }
  for (const slot of touched) if (matched[slot] === terms) slots.push(slot);
  return slots.sort((a, b) => a - b);
}

const cost = (group: Expansion[]) => group.reduce((sum, expansion) => sum + expansion.postings.length, 0);

/** Each byte the smaller of the two: first positions per attribute, over two readings of a term. */
function minBytes(a: number, b: number): number {
  let result = 0;
  for (let shift = 0; shift < 32; shift += 8) result |= Math.min((a >>> shift) & ABSENT, (b >>> shift) & ABSENT) << shift;
  return result >>> 0;
}

/**
 * The proximity cost of two terms, by attribute as Meilisearch's `proximityPrecision:
 * byAttribute` counts it: nothing when some attribute holds both, the most otherwise. Word by
 * word, "kopi bubuk" next to each other in a spiced coffee's description beat a ground coffee
 * whose name says Kopi … Bubuk; in names of two to six words, order says little.
 */
function closeness(before: number, after: number): number {
  for (let shift = 0; shift < 32; shift += 8) {
    if (((before >>> shift) & ABSENT) !== ABSENT && ((after >>> shift) & ABSENT) !== ABSENT) return 0;
  }
  return MAX_PROXIMITY;
}

const compareIds = (store: Store, a: number, b: number) => (store.docs[a]!.id < store.docs[b]!.id ? -1 : 1);

/** The answer to a query that names no product: nothing, and no facet counts. */
function emptyResponse(): SearchResponse {
  return { total: 0, hits: [], suggestion: null, relaxation: null, facets: Object.fromEntries(FACETS.map((facet) => [facet, new Map<string, number>()])) as Record<Facet, Map<string, number>> };
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);
const isConsonant = (letter: string | undefined) => letter !== undefined && /[a-z]/.test(letter) && !VOWELS.has(letter);

/** Whether `long` is `short` with one vowel put back between two consonants (never first or last). */
function vowelLeftOutBetweenConsonants(short: string, long: string): boolean {
  for (let at = 1; at < short.length; at++) {
    if (long === short.slice(0, at) + long[at] + short.slice(at) && VOWELS.has(long[at]!) && isConsonant(short[at - 1]) && isConsonant(short[at])) return true;
  }
  return false;
}
