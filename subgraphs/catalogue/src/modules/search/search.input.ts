import { regencyCode } from '@opop/identifiers';
import { badUserInput } from '@opop/server-kit';
import { z } from 'zod';
import type { CategoryDirectory } from '../category/category.directory.ts';
import { PILLARS } from '../seller/seller.entity.ts';
import { understandQuery } from './analyzer.ts';
import { PRICE_RANGES, SEARCH_SORTS, type SearchFilters, type SearchRequest, type SearchSort } from './search-index.ts';

export const MAX_QUERY_LENGTH = 200;
export const MAX_PAGE_SIZE = 50;
/** Deep pages are refused: nobody reads page 501, and engines pay for every skipped hit. */
export const MAX_PAGE = 500;

const rupiah = z.number().int('must be whole rupiah').min(0, 'must not be negative').max(1_000_000_000, 'must be at most Rp 1.000.000.000');

export const searchArgs = z.object({
  query: z.string().max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`).nullish(),
  filters: z
    .object({
      categories: z.array(z.string().max(80)).max(20, 'must list at most 20').nullish(),
      regencyCodes: z.array(regencyCode).max(50, 'must list at most 50').nullish(),
      pillars: z.array(z.enum(PILLARS)).nullish(),
      halalCertified: z.boolean().nullish(),
      priceRanges: z.array(z.enum(PRICE_RANGES.map((range) => range.key) as [string, ...string[]])).nullish(),
      featured: z.boolean().nullish(),
      inStock: z.boolean().nullish(),
      minPriceRupiah: rupiah.nullish(),
      maxPriceRupiah: rupiah.nullish(),
    })
    .refine((f) => f.minPriceRupiah == null || f.maxPriceRupiah == null || f.minPriceRupiah <= f.maxPriceRupiah, {
      path: ['maxPriceRupiah'],
      message: 'must not be below minPriceRupiah',
    })
    .nullish(),
  sort: z.enum(SEARCH_SORTS),
  page: z.number().int().min(1, 'must be 1 or more').max(MAX_PAGE, `must be at most ${MAX_PAGE}`),
  pageSize: z.number().int().min(1, 'must be 1 or more').max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`),
});
export type SearchArgs = z.infer<typeof searchArgs>;

/** The validated arguments as a request to the index. Unknown categories are bad input, not empty results. */
export function toSearchRequest(args: SearchArgs, categories: CategoryDirectory): SearchRequest {
  const filters = args.filters ?? {};
  (filters.categories ?? []).forEach((slug, index) => {
    if (!categories.bySlug(slug)) throw badUserInput(`is not a known category (${slug})`, `filters.categories.${index}`);
  });
  const given = <T>(value: T | null | undefined) => (value === null ? undefined : value);
  return queryRequest(args.query ?? '', {
    sort: args.sort,
    page: args.page,
    pageSize: args.pageSize,
    filters: {
      category: given(filters.categories),
      regency: given(filters.regencyCodes),
      pillar: given(filters.pillars),
      halalCertified: filters.halalCertified == null ? undefined : [filters.halalCertified],
      priceRange: given(filters.priceRanges) as SearchRequest['filters']['priceRange'],
      featured: given(filters.featured),
      inStock: given(filters.inStock),
      minPriceRupiah: given(filters.minPriceRupiah),
      maxPriceRupiah: given(filters.maxPriceRupiah),
    },
  });
}

/**
 * A request for a shopper's query: its terms, and what its words say besides products. A price
 * ceiling in words ("di bawah 50 ribu") narrows the price filter; "murah" sorts the cheaper first
 * among equally relevant products when the shopper asked for relevance; text that names no
 * product (emoji, punctuation, filler alone) finds nothing.
 */
export function queryRequest(query: string, options: { filters?: SearchFilters; sort?: SearchSort; page?: number; pageSize?: number } = {}): SearchRequest {
  const intent = understandQuery(query);
  const filters = { ...options.filters };
  if (intent.maxPriceRupiah !== undefined) filters.maxPriceRupiah = Math.min(filters.maxPriceRupiah ?? Infinity, intent.maxPriceRupiah);
  const sort = options.sort ?? 'RELEVANCE';
  return {
    terms: intent.terms,
    nothingToSearch: intent.nothingToSearch,
    priceCeilingFromQuery: intent.maxPriceRupiah,
    sort: sort === 'RELEVANCE' && intent.cheapestFirst && intent.terms.length > 0 ? 'PRICE_ASC' : sort,
    page: options.page ?? 1,
    pageSize: options.pageSize ?? 20,
    filters,
  };
}
