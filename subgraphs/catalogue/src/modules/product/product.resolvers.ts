import { randomUUID } from 'node:crypto';
import { wrap } from '@mikro-orm/core';
import {
  actorOf,
  badUserInput,
  canManagePesantren,
  conflict,
  forbidden,
  isUuid,
  notFound,
  pageSize,
  parseId,
  parseInput,
  pesantrenInScope,
  selectsField,
  totalCountOf,
} from '@opop/server-kit';
import type { CatalogueContext } from '../../context.ts';
import type { Resolvers } from '../../generated/graphql.ts';
import { Category } from '../category/category.entity.ts';
import { applyCuration, missingForFeaturing, recordCreation, type CurationAction } from '../curation/curation.ts';
import type { Seller } from '../seller/seller.entity.ts';
import { isListed, Product, type StoredImage } from './product.entity.ts';
import { createProductInput, curationNote, CURATED_FIELDS, productFilterInput, updateProductInput } from './product.input.ts';
import { ProductRepository } from './product.repository.ts';


/** Shoppers see listed products; a product's managers see it in every status. */
async function visibleTo(ctx: CatalogueContext, product: Product | null): Promise<Product | null> {
  if (!product) return null;
  if (isListed(product)) return product;
  const seller = await sellerOf(ctx, product);
  return canManagePesantren(ctx.identity, seller.pesantrenId) ? product : null;
}

async function sellerOf(ctx: CatalogueContext, product: Product): Promise<Seller> {
  if (wrap(product.seller).isInitialized()) return product.seller;
  const seller = await ctx.loaders.sellerById.load(product.seller.id);
  if (!seller) throw new Error(`seller ${product.seller.id} of product ${product.id} is missing`);
  return seller;
}

/** Loads a product the caller manages, for a write; the same errors whichever way it fails. */
async function managedProduct(ctx: CatalogueContext, rawId: string): Promise<Product> {
  const product = await ctx.products.findOne({ id: parseId(rawId, 'id') });
  if (!product) throw notFound('Product');
  if (!canManagePesantren(ctx.identity, product.seller.pesantrenId)) throw forbidden('You may only manage the products of your own pesantren');
  return product;
}

function knownCategory(ctx: CatalogueContext, slug: string): Category {
  const category = ctx.categories.bySlug(slug);
  if (!category) throw badUserInput(`is not a known category (${slug})`, 'input.category');
  return ctx.em.getReference(Category, category.id);
}

const toImages = (images: { url: string; altIndonesian: string; altEnglish?: string | null | undefined }[]): StoredImage[] =>
  images.map((image) => ({ url: image.url, alt: { indonesian: image.altIndonesian, english: image.altEnglish ?? null } }));


async function curate(ctx: CatalogueContext, rawId: string, action: CurationAction, note: string | null): Promise<Product> {
  const product = await managedProduct(ctx, rawId);
  if (action === 'feature') {
    const missing = missingForFeaturing(product, ctx.categories.get(product.category.id)!);
    if (missing.length > 0) {
      throw conflict(`Cannot feature this product yet: its category requires ${missing.join(', ')}`, undefined, { missing });
    }
  }
  applyCuration(ctx.em, product, action, actorOf(ctx.identity), note);
  await ctx.em.flush();
  ctx.logger.info({ productId: product.id, action, status: product.curationStatus, by: ctx.identity.subject }, 'product curation');
  return product;
}

export const productResolvers: Resolvers = {
  Query: {
    product: async (_parent, args, ctx) => {
      const given = (['id', 'slug'] as const).filter((key) => args[key] !== undefined && args[key] !== null);
      if (given.length !== 1) throw badUserInput('Give exactly one of id or slug');
      const product = args.id ? await ctx.products.findOne({ id: parseId(args.id, 'id') }) : await ctx.products.findOne({ slug: args.slug! });
      return visibleTo(ctx, product);
    },
    products: (_parent, { first, after, filter, sort }, ctx, info) =>
      ctx.products.page({ kind: 'public' }, parseInput(productFilterInput, filter ?? {}, 'filter'), {
        first: pageSize(first),
        after,
        sort,
        includeCount: selectsField(info, 'totalCount'),
      }),
    managedProducts: (_parent, { first, after, filter }, ctx, info) => {
      const { identity } = ctx;
      if (filter?.pesantrenId && !isUuid(filter.pesantrenId)) throw badUserInput('is not a valid id', 'filter.pesantrenId');
      const pesantrenId = pesantrenInScope(identity, filter?.pesantrenId);
      return ctx.products.page({ kind: 'managed', pesantrenId, statuses: filter?.curationStatuses ?? null }, null, {
        first: pageSize(first),
        after,
        sort: 'NEWEST',
        includeCount: selectsField(info, 'totalCount'),
      });
    },
  },

  Mutation: {
    createProduct: async (_parent, { input }, ctx) => {
      const sellerId = parseId(input.sellerId, 'input.sellerId');
      const data = parseInput(createProductInput, input, 'input');
      const seller = await ctx.sellers.findOne({ id: sellerId });
      if (!seller) throw badUserInput('is not a known seller', 'input.sellerId');
      if (!canManagePesantren(ctx.identity, seller.pesantrenId)) throw forbidden('You may only add products for your own pesantren');
      const category = knownCategory(ctx, data.category);
      const id = randomUUID();
      const product = ctx.em.create(Product, {
        id,
        seller,
        category,
        slug: ProductRepository.slugFor(data.nameIndonesian, id),
        nameIndonesian: data.nameIndonesian,
        nameEnglish: data.nameEnglish ?? null,
        descriptionIndonesian: data.descriptionIndonesian,
        descriptionEnglish: data.descriptionEnglish ?? null,
        priceRupiah: data.priceRupiah,
        stock: data.stock,
        unit: data.unit,
        weightGrams: data.weightGrams,
        images: toImages(data.images),
        halalCertificateNumber: data.halalCertificateNumber ?? null,
        halalSelfDeclared: data.halalSelfDeclared,
        bpomNumber: data.bpomNumber ?? null,
        pirtNumber: data.pirtNumber ?? null,
        sniCertificateNumber: data.sniCertificateNumber ?? null,
        curationStatus: 'DRAFT',
        isDemo: false,
      });
      recordCreation(ctx.em, product, actorOf(ctx.identity));
      await ctx.em.flush();
      ctx.logger.info({ productId: product.id, sellerId, by: ctx.identity.subject }, 'product created');
      return product;
    },

    updateProduct: async (_parent, args, ctx) => {
      const product = await managedProduct(ctx, args.id);
      const data = parseInput(updateProductInput, args.input, 'input');
      const changedCurated = CURATED_FIELDS.filter((field) => data[field] !== undefined);
      if (data.category !== undefined) product.category = knownCategory(ctx, data.category);
      if (data.nameIndonesian !== undefined) product.nameIndonesian = data.nameIndonesian;
      if (data.nameEnglish !== undefined) product.nameEnglish = data.nameEnglish;
      if (data.descriptionIndonesian !== undefined) product.descriptionIndonesian = data.descriptionIndonesian;
      if (data.descriptionEnglish !== undefined) product.descriptionEnglish = data.descriptionEnglish;
      if (data.priceRupiah !== undefined) product.priceRupiah = data.priceRupiah;
      if (data.stock !== undefined) product.stock = data.stock;
      if (data.unit !== undefined) product.unit = data.unit;
      if (data.weightGrams !== undefined) product.weightGrams = data.weightGrams;
      if (data.images !== undefined) product.images = toImages(data.images);
      if (data.halalCertificateNumber !== undefined) product.halalCertificateNumber = data.halalCertificateNumber;
      if (data.halalSelfDeclared !== undefined) product.halalSelfDeclared = data.halalSelfDeclared;
      if (data.bpomNumber !== undefined) product.bpomNumber = data.bpomNumber;
      if (data.pirtNumber !== undefined) product.pirtNumber = data.pirtNumber;
      if (data.sniCertificateNumber !== undefined) product.sniCertificateNumber = data.sniCertificateNumber;
      if (product.curationStatus === 'FEATURED' && changedCurated.length > 0) {
        applyCuration(ctx.em, product, 'reopen', actorOf(ctx.identity), `Diubah setelah kurasi: ${changedCurated.join(', ')}`);
      }
      await ctx.em.flush();
      return product;
    },

    submitProductForCuration: (_parent, { id, note }, ctx) => {
      return curate(ctx, id, 'submit', note == null ? null : parseInput(curationNote, note, 'note'));
    },
    startProductReview: (_parent, { id }, ctx) => {
      return curate(ctx, id, 'startReview', null);
    },
    featureProduct: (_parent, { id, note }, ctx) => {
      return curate(ctx, id, 'feature', note == null ? null : parseInput(curationNote, note, 'note'));
    },
    requestProductRevision: (_parent, { id, reason }, ctx) => {
      return curate(ctx, id, 'requestRevision', parseInput(curationNote, reason, 'reason'));
    },
  },

  Product: {
    __resolveReference: async (reference, ctx) =>
      isUuid(reference.id) ? visibleTo(ctx, await ctx.loaders.productById.load(reference.id.toLowerCase())) : null,
    name: (product) => ({ indonesian: product.nameIndonesian, english: product.nameEnglish }),
    description: (product) => ({ indonesian: product.descriptionIndonesian, english: product.descriptionEnglish }),
    inStock: (product) => product.stock > 0,
    featured: (product) => product.curationStatus === 'FEATURED',
    category: (product, _args, { categories }) => categories.get(product.category.id)!,
    seller: (product, _args, ctx) => sellerOf(ctx, product),
    pesantren: async (product, _args, ctx) => ({ id: (await sellerOf(ctx, product)).pesantrenId }),
    curationHistory: async (product, _args, ctx) => {
      const seller = await sellerOf(ctx, product);
      if (!canManagePesantren(ctx.identity, seller.pesantrenId)) {
        throw forbidden('Only the product’s operators and programme admins may read its curation history');
      }
      return ctx.loaders.curationHistory.load(product.id);
    },
  },

  ProductConnection: {
    totalCount: totalCountOf,
  },
};
