import { badUserInput, emptyConnection, isUuid, pageSize, parseId, requirePesantrenManager, selectsField, totalCountOf } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import { paymentDetailsOf } from './payment.ts';

export const sellerResolvers: Resolvers = {
  Query: {
    seller: (_parent, args, ctx) => {
      const given = (['id', 'slug'] as const).filter((key) => args[key] !== undefined && args[key] !== null);
      if (given.length !== 1) throw badUserInput('Give exactly one of id or slug');
      return args.id ? ctx.loaders.sellerById.load(parseId(args.id, 'id')) : ctx.sellers.findOne({ slug: args.slug! });
    },
  },

  Mutation: {
    createSeller: (_parent, { input }, ctx) => ctx.sellerService.create(input),
    updateSeller: (_parent, { id, input }, ctx) => ctx.sellerService.update(id, input),
    setSellerPaymentDetails: (_parent, { sellerId, input }, ctx) => ctx.sellerService.setPaymentDetails(sellerId, input),
  },

  Seller: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.sellerById.load(reference.id.toLowerCase()) : null),
    description: (seller) => ({ indonesian: seller.descriptionIndonesian, english: seller.descriptionEnglish }),
    pesantren: (seller) => ({ id: seller.pesantrenId }),
    regency: (seller) => ({ code: seller.regencyCode }),
    paymentDetails: (seller, _args, { identity }) => {
      requirePesantrenManager(identity, seller.pesantrenId, "Only the seller's own operators see its payment details");
      return paymentDetailsOf(seller);
    },
    products: (seller, { first, after }, ctx, info) =>
      after
        ? ctx.products.page({ kind: 'public' }, { sellerId: seller.id }, { first: pageSize(first), after, sort: 'NEWEST', includeCount: selectsField(info, 'totalCount') })
        : ctx.loaders.firstProductPage.load({ owner: 'seller', id: seller.id, first: pageSize(first), sort: 'NEWEST' }),
  },

  Qris: {
    svg: (qris) => qris.svg(),
  },

  SellerConnection: {
    totalCount: totalCountOf,
  },

  /** Catalogue's contribution to the pesantren subgraph's entity: what is sold there. */
  Pesantren: {
    __resolveReference: (reference) => ({ id: reference.id }),
    products: (pesantren, { first, after, sort }, ctx, info) => {
      if (!isUuid(pesantren.id)) return emptyConnection();
      const id = pesantren.id.toLowerCase();
      return after
        ? ctx.products.page({ kind: 'public' }, { pesantrenId: id }, { first: pageSize(first), after, sort, includeCount: selectsField(info, 'totalCount') })
        : ctx.loaders.firstProductPage.load({ owner: 'pesantren', id, first: pageSize(first), sort });
    },
    sellers: (pesantren, _args, { loaders }) => (isUuid(pesantren.id) ? loaders.sellersByPesantren.load(pesantren.id.toLowerCase()) : []),
  },
};
