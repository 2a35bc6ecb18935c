import { EAST_JAVA_REGENCIES, regencyDisplayName } from '@opop/identifiers';
import { parseInput, requireVisitor, selectedFields, serviceUnavailable } from '@opop/server-kit';
import type { CatalogueContext } from '../../context.ts';
import type { FacetCount, Resolvers } from '../../generated/graphql.ts';
import { isListed } from '../product/product.entity.ts';
import { productReadFor } from '../product/product.reads.ts';
import { PRICE_RANGES, SearchUnavailableError, type Facet, type SearchRequest } from './search-index.ts';
import { searchArgs, toSearchRequest } from './search.input.ts';

type Label = { indonesian: string; english: string | null };

const REGENCY_LABELS = new Map(EAST_JAVA_REGENCIES.map((regency) => [regency.code, regencyDisplayName(regency)]));
const rupiah = (value: number, locale: 'id-ID' | 'en-US') => `Rp ${new Intl.NumberFormat(locale).format(value)}`;
const PRICE_LABELS: Record<string, Label> = Object.fromEntries(
  PRICE_RANGES.map((range) => [
    range.key,
    range.max === null
      ? { indonesian: `${rupiah(range.min, 'id-ID')} ke atas`, english: `${rupiah(range.min, 'en-US')} and over` }
      : range.min === 0
        ? { indonesian: `Di bawah ${rupiah(range.max + 1, 'id-ID')}`, english: `Under ${rupiah(range.max + 1, 'en-US')}` }
        : { indonesian: `${rupiah(range.min, 'id-ID')} – ${rupiah(range.max + 1, 'id-ID')}`, english: `${rupiah(range.min, 'en-US')} – ${rupiah(range.max + 1, 'en-US')}` },
  ]),
);
const HALAL_LABELS: Record<string, Label> = {
  true: { indonesian: 'Bersertifikat halal', english: 'Halal certified' },
  false: { indonesian: 'Belum bersertifikat halal', english: 'Not halal certified' },
};
const PILLAR_LABELS: Record<string, Label> = {
  PESANTRENPRENEUR: { indonesian: 'Pesantrenpreneur', english: 'Pesantrenpreneur' },
  SANTRIPRENEUR: { indonesian: 'Santripreneur', english: 'Santripreneur' },
  SOSIOPRENEUR: { indonesian: 'Sosiopreneur', english: 'Sosiopreneur' },
};

function facetCounts(ctx: CatalogueContext, facet: Facet, counts: Map<string, number>, selected: readonly string[]): FacetCount[] {
  const label = (value: string): Label => {
    switch (facet) {
      case 'category': {
        const category = ctx.categories.bySlug(value);
        return category ? { indonesian: category.nameIndonesian, english: category.nameEnglish ?? null } : { indonesian: value, english: null };
      }
      case 'regency':
        return { indonesian: REGENCY_LABELS.get(value) ?? value, english: REGENCY_LABELS.get(value) ?? value };
      case 'pillar':
        return PILLAR_LABELS[value] ?? { indonesian: value, english: null };
      case 'halalCertified':
        return HALAL_LABELS[value]!;
      case 'priceRange':
        return PRICE_LABELS[value]!;
    }
  };
  const fixedOrder: Partial<Record<Facet, readonly string[]>> = { priceRange: PRICE_RANGES.map((r) => r.key), halalCertified: ['true', 'false'] };
  const values = [...new Set([...counts.keys(), ...selected])];
  const order = fixedOrder[facet];
  values.sort((a, b) =>
    order ? order.indexOf(a) - order.indexOf(b) : (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || label(a).indonesian.localeCompare(label(b).indonesian),
  );
  return values.map((value) => ({ value, label: label(value), count: counts.get(value) ?? 0, selected: selected.includes(value) }));
}

const selectedOf = (request: SearchRequest, facet: Facet) => ((request.filters[facet] as readonly (string | boolean)[] | undefined) ?? []).map(String);

export const searchResolvers: Resolvers = {
  Query: {
    searchProducts: async (_parent, args, ctx, info) => {
      const request = toSearchRequest(parseInput(searchArgs, args, 'arguments'), ctx.categories);
      if (!ctx.search.ready) throw serviceUnavailable('Search is being prepared; try again in a moment');
      const response = await ctx.search.index.search(request).catch((error: unknown) => {
        if (error instanceof SearchUnavailableError) {
          ctx.logger.warn({ err: error }, 'search unavailable');
          throw serviceUnavailable('Search is unavailable right now; browsing by category still works');
        }
        throw error;
      });
      // The page shows the products as they are now; one the index still lists but the catalogue no longer does is left out.
      // Only the columns the hits' selected product fields read (a card's, for the storefront's search).
      const read = productReadFor(selectedFields(info, ['hits', 'product']));
      const products = new Map((await ctx.products.findByIdsToRead([...new Set(response.hits.map((hit) => hit.id))], read)).map((product) => [product.id, product]));
      const hits = response.hits.flatMap((hit) => {
        const product = products.get(hit.id);
        if (!product || !isListed(product)) return [];
        const highlight = { name: hit.nameHighlight, description: hit.descriptionSnippet, nameEnglish: hit.nameEnglishHighlight, descriptionEnglish: hit.descriptionEnglishSnippet };
        return [{ product, highlight }];
      });
      const suggested = response.suggestion;
      const category = suggested?.categorySlug ? (ctx.categories.bySlug(suggested.categorySlug) ?? null) : null;
      return {
        query: args.query ?? '',
        interpretedQuery: request.terms.map((term) => term.canonical).join(' '),
        hits,
        total: response.total,
        page: request.page,
        pageSize: request.pageSize,
        pageCount: Math.ceil(response.total / request.pageSize),
        suggestion: suggested && (suggested.query || category) ? { query: suggested.query, category } : null,
        relaxedQuery: response.relaxation?.query ?? null,
        ignoredWords: response.relaxation?.ignoredWords ?? [],
        maxPriceFromQuery: request.priceCeilingFromQuery ?? null,
        facets: {
          categories: facetCounts(ctx, 'category', response.facets.category, selectedOf(request, 'category')),
          regencies: facetCounts(ctx, 'regency', response.facets.regency, selectedOf(request, 'regency')),
          pillars: facetCounts(ctx, 'pillar', response.facets.pillar, selectedOf(request, 'pillar')),
          halalCertified: facetCounts(ctx, 'halalCertified', response.facets.halalCertified, selectedOf(request, 'halalCertified')),
          priceRanges: facetCounts(ctx, 'priceRange', response.facets.priceRange, selectedOf(request, 'priceRange')),
        },
      };
    },
    searchIndexStatus: async (_parent, _args, ctx) => {
      return ctx.search.status();
    },
  },

  Mutation: {
    // The visitor is the one the router derived from the connection; `visitorId` is ignored.
    recordProductView: (_parent, { productId }, ctx) => ctx.searchService.recordProductView(requireVisitor(ctx.visitor), productId),
  },
};
