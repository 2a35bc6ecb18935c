import { wrap } from '@mikro-orm/core';
import {
  badUserInput,
  canManagePesantren,
  isUuid,
  pageSize,
  parseId,
  parseInput,
  pesantrenInScope,
  requirePesantrenManager,
  selectedFields,
  selectsField,
  totalCountOf,
} from '@opop/server-kit';
import type { CatalogueContext } from '../../context.ts';
import type { Resolvers } from '../../generated/graphql.ts';
import { Seller } from '../seller/seller.entity.ts';
import { isListed, type ProductRecord } from './product.entity.ts';
import { managedProductFilterInput, productFilterInput } from './product.input.ts';
import { productReadFor } from './product.reads.ts';
import { SALES_UNITS, salesUnitName } from './sales-units.ts';

const DAY_MS = 86_400_000;

/** Shoppers see listed products; a product's managers see it in every status. */
async function visibleTo(ctx: CatalogueContext, product: ProductRecord | null): Promise<ProductRecord | null> {
  if (!product) return null;
  if (isListed(product)) return product;
  const seller = await sellerOf(ctx, product);
  return canManagePesantren(ctx.identity, seller.pesantrenId) ? product : null;
}

async function sellerOf(ctx: CatalogueContext, product: ProductRecord): Promise<Seller> {
  // An entity loaded with its seller has it; a record (see readRecords) holds only its id.
  if (product.seller instanceof Seller && wrap(product.seller).isInitialized()) return product.seller;
  const seller = await ctx.loaders.sellerById.load(product.seller.id);
  if (!seller) throw new Error(`seller ${product.seller.id} of product ${product.id} is missing`);
  return seller;
}

export const productResolvers: Resolvers = {
  Query: {
    salesUnits: () => [...SALES_UNITS],
    product: async (_parent, args, ctx, info) => {
      const given = (['id', 'slug'] as const).filter((key) => args[key] !== undefined && args[key] !== null);
      if (given.length !== 1) throw badUserInput('Give exactly one of id or slug');
      // Only the columns the selected fields read (live stock and price is two of 25).
      const read = productReadFor(selectedFields(info));
      const product = given[0] === 'id' ? await ctx.products.findOneToRead({ id: parseId(args.id!, 'id') }, read) : await ctx.products.findOneToRead({ slug: args.slug! }, read);
      return visibleTo(ctx, product);
    },
    products: (_parent, { first, after, filter, sort }, ctx, info) =>
      ctx.products.page({ kind: 'public' }, parseInput(productFilterInput, filter ?? {}, 'filter'), {
        first: pageSize(first),
        after,
        sort,
        includeCount: selectsField(info, 'totalCount'),
      }),
    managedProducts: (_parent, { first, after, filter, sort }, ctx, info) => {
      const given = parseInput(managedProductFilterInput, filter ?? {}, 'filter');
      // An operator's own pesantren, whatever the filter names; the repository applies it last.
      const pesantrenId = pesantrenInScope(ctx.identity, given.pesantrenId);
      const waiting = given.waitingLongerThanDays;
      return ctx.products.page(
        { kind: 'managed', pesantrenId, statuses: given.curationStatuses ?? null },
        {
          category: given.category,
          regencyCodes: given.regencyCodes,
          pillars: given.pillars,
          nameWords: given.search,
          statusSinceBefore: waiting == null ? null : new Date(ctx.now().getTime() - waiting * DAY_MS),
        },
        { first: pageSize(first), after, sort, includeCount: selectsField(info, 'totalCount') },
      );
    },
  },

  Mutation: {
    createProduct: (_parent, { input }, ctx) => ctx.productService.create(input),
    updateProduct: (_parent, { id, input }, ctx) => ctx.productService.update(id, input),
    submitProductForCuration: (_parent, { id, note }, ctx) => ctx.curationService.submit(id, note),
    startProductReview: (_parent, { id }, ctx) => ctx.curationService.startReview(id),
    featureProduct: (_parent, { id, note }, ctx) => ctx.curationService.feature(id, note),
    requestProductRevision: (_parent, { id, reason }, ctx) => ctx.curationService.requestRevision(id, reason),
  },

  Product: {
    __resolveReference: async (reference, ctx) =>
      isUuid(reference.id) ? visibleTo(ctx, await ctx.loaders.productById.load(reference.id.toLowerCase())) : null,
    name: (product) => ({ indonesian: product.nameIndonesian, english: product.nameEnglish }),
    description: (product) => ({ indonesian: product.descriptionIndonesian, english: product.descriptionEnglish }),
    unitName: (product) => salesUnitName(product.unit),
    inStock: (product) => product.stock > 0,
    featured: (product) => product.curationStatus === 'FEATURED',
    category: (product, _args, { categories }) => categories.get(product.category.id)!,
    seller: (product, _args, ctx) => sellerOf(ctx, product),
    // Records carry the seller's pesantren (read in the same statement), as do loaded sellers.
    pesantren: async (product, _args, ctx) => ({ id: product.seller.pesantrenId ?? (await sellerOf(ctx, product)).pesantrenId }),
    statusSince: async (product, _args, ctx) => {
      const seller = await sellerOf(ctx, product);
      requirePesantrenManager(ctx.identity, seller.pesantrenId, 'Only the product’s operators and programme admins may read when its curation status began');
      return product.statusSince;
    },
    curationHistory: async (product, _args, ctx) => {
      const seller = await sellerOf(ctx, product);
      requirePesantrenManager(ctx.identity, seller.pesantrenId, 'Only the product’s operators and programme admins may read its curation history');
      return ctx.loaders.curationHistory.load(product.id);
    },
  },

  ProductConnection: {
    totalCount: totalCountOf,
  },
};
