import type { Pillar } from '../seller/seller.entity.ts';
import type { QueryTerm } from './analyzer.ts';

/**
 * The search port. Two adapters implement it: an in-process index (the default) and Meilisearch.
 * One contract test suite runs against both; what it does not cover may differ between them.
 */

export const PRICE_RANGES = [
  { key: 'UNDER_25K', min: 0, max: 24_999 },
  { key: 'FROM_25K_TO_50K', min: 25_000, max: 49_999 },
  { key: 'FROM_50K_TO_100K', min: 50_000, max: 99_999 },
  { key: 'FROM_100K_TO_250K', min: 100_000, max: 249_999 },
  { key: 'FROM_250K', min: 250_000, max: null },
] as const;
export type PriceRange = (typeof PRICE_RANGES)[number]['key'];

export function priceRangeOf(rupiah: number): PriceRange {
  return PRICE_RANGES.find((range) => rupiah >= range.min && (range.max === null || rupiah <= range.max))!.key;
}

/** What the index holds of a listed product: what is searched, filtered, faceted and sorted on. */
export interface ProductDocument {
  id: string;
  name: string;
  /** Empty when the product has no English name. */
  nameEnglish: string;
  description: string;
  /** Empty when the product has no English description. */
  descriptionEnglish: string;
  categoryNames: string;
  /** The category and its ancestors, so filtering by a parent finds its children's products. */
  categorySlugs: string[];
  sellerName: string;
  /** The seller's name without words that name products ("Amanah Food" → amanah): what seller searches match. */
  sellerKeywords: string;
  pesantrenId: string;
  regencyCode: string;
  regencyName: string;
  pillar: Pillar;
  halalCertified: boolean;
  featured: boolean;
  inStock: boolean;
  priceRupiah: number;
  priceRange: PriceRange;
  /** Epoch milliseconds. */
  createdAt: number;
  popularity: number;
  /**
   * Words, canonical spellings and roots of the searched fields (name, category, place, seller
   * keywords) from the analyser, so both engines match affixed forms. Descriptions are not
   * searched: they are shown, highlighted, but a word only a description holds ("tanpa tambahan
   * gula", "air hangat") never makes a product a result.
   */
  searchTerms: string;
}

export const FACETS = ['category', 'regency', 'pillar', 'halalCertified', 'priceRange'] as const;
export type Facet = (typeof FACETS)[number];

/** Within a facet, chosen values are alternatives; different facets must all hold. */
export interface SearchFilters {
  category?: readonly string[] | undefined;
  regency?: readonly string[] | undefined;
  pillar?: readonly Pillar[] | undefined;
  halalCertified?: readonly boolean[] | undefined;
  priceRange?: readonly PriceRange[] | undefined;
  featured?: boolean | undefined;
  inStock?: boolean | undefined;
  minPriceRupiah?: number | undefined;
  maxPriceRupiah?: number | undefined;
}

export const SEARCH_SORTS = ['RELEVANCE', 'PRICE_ASC', 'PRICE_DESC', 'NEWEST', 'POPULARITY'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export interface SearchRequest {
  terms: readonly QueryTerm[];
  /**
   * Something was typed that names no product (punctuation, emoji, another script, filler
   * alone): the answer is empty, not the whole catalogue. Unset or false: no terms browse.
   */
  nothingToSearch?: boolean | undefined;
  /** A price ceiling the query's words asked for, already applied to `filters.maxPriceRupiah`; for the answer to say so. */
  priceCeilingFromQuery?: number | undefined;
  filters: SearchFilters;
  sort: SearchSort;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface SearchHit {
  id: string;
  /** HTML, escaped, with matched words in <mark>. */
  nameHighlight: string;
  /** The English name so, or null when the product has none. */
  nameEnglishHighlight: string | null;
  /** A short HTML excerpt of the description around the match, or null when it has none. */
  descriptionSnippet: string | null;
  /** The same of the English description, or null when the product has none. */
  descriptionEnglishSnippet: string | null;
}

/** What a shopper may try when a query found nothing. */
export interface SearchSuggestion {
  /** A query that does find products: its misspellings corrected, or the words that match together. */
  query: string | null;
  /** The category most of the query's words lead to, for browsing when no query does. */
  categorySlug: string | null;
}

/** The query an engine ran instead of the one typed, because that found nothing. */
export interface SearchRelaxation {
  /** The query run: the kept words as understood, words typed together split ("kopibondowoso" → kopi bondowoso). */
  query: string;
  /** The shopper's words left out (as typed), because no product matches them together with the rest. */
  ignoredWords: string[];
}

export interface SearchResponse {
  hits: SearchHit[];
  total: number;
  /** Only for a query with words that no product matched all of; null when there is nothing to suggest. */
  suggestion: SearchSuggestion | null;
  /** Set when the query as typed found nothing and a relaxed one was run (see relaxation.ts); null otherwise. */
  relaxation: SearchRelaxation | null;
  /**
   * Counts per value of each facet, disjunctively: a facet's counts ignore the facet's own filter,
   * so choosing one regency still shows how many results the other regencies have.
   */
  facets: Record<Facet, Map<string, number>>;
}

export interface SearchIndex {
  readonly kind: 'embedded' | 'meilisearch';
  /** Creates the index and its settings when missing; safe to call again. */
  prepare(): Promise<void>;
  /** Replaces the whole index with these documents, streamed in batches. */
  replaceAll(batches: AsyncIterable<ProductDocument[]>, onProgress?: (indexed: number) => void): Promise<number>;
  /** Adds or replaces documents by id. Applying the same documents twice changes nothing. */
  upsert(documents: readonly ProductDocument[]): Promise<void>;
  /** Removes documents by id; ids not in the index are ignored. */
  remove(ids: readonly string[]): Promise<void>;
  search(request: SearchRequest): Promise<SearchResponse>;
  count(): Promise<number>;
  close(): Promise<void>;
}

/** The index cannot answer (Meilisearch down, a task failed): callers get SERVICE_UNAVAILABLE. */
export class SearchUnavailableError extends Error {
  override name = 'SearchUnavailableError';
}
