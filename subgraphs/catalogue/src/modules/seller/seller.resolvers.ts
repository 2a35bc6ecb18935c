import { randomUUID } from 'node:crypto';
import {
  badUserInput,
  canManagePesantren,
  emptyConnection,
  forbidden,
  isUuid,
  pageSize,
  parseId,
  parseInput,
  selectsField,
  totalCountOf,
} from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import { Seller } from './seller.entity.ts';
import { createSellerInput } from './seller.input.ts';
import { SellerRepository } from './seller.repository.ts';

export const sellerResolvers: Resolvers = {
  Query: {
    seller: (_parent, args, ctx) => {
      const given = (['id', 'slug'] as const).filter((key) => args[key] !== undefined && args[key] !== null);
      if (given.length !== 1) throw badUserInput('Give exactly one of id or slug');
      return args.id ? ctx.loaders.sellerById.load(parseId(args.id, 'id')) : ctx.sellers.findOne({ slug: args.slug! });
    },
  },

  Mutation: {
    createSeller: async (_parent, { input }, ctx) => {
      const data = parseInput(createSellerInput, input, 'input');
      if (!canManagePesantren(ctx.identity, data.pesantrenId)) throw forbidden('An operator may only add sellers to their own pesantren');
      // A pesantren lies in one regency: its sellers are found (and searched) there.
      const sibling = await ctx.em.findOne(Seller, { pesantrenId: data.pesantrenId.toLowerCase() }, { fields: ['regencyCode'] });
      if (sibling && sibling.regencyCode !== data.regencyCode) throw badUserInput(`must be the regency of the pesantren's other sellers (${sibling.regencyCode})`, 'input.regencyCode');
      const id = randomUUID();
      const seller = ctx.em.create(Seller, {
        id,
        slug: SellerRepository.slugFor(data.name, id),
        name: data.name,
        pillar: data.pillar,
        pesantrenId: data.pesantrenId,
        regencyCode: data.regencyCode,
        descriptionIndonesian: data.descriptionIndonesian,
        descriptionEnglish: data.descriptionEnglish ?? null,
        whatsapp: data.whatsapp ?? null,
        isDemo: false,
      });
      await ctx.em.flush();
      ctx.logger.info({ sellerId: id, pesantrenId: data.pesantrenId, by: ctx.identity.subject }, 'seller created');
      return seller;
    },
  },

  Seller: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.sellerById.load(reference.id.toLowerCase()) : null),
    description: (seller) => ({ indonesian: seller.descriptionIndonesian, english: seller.descriptionEnglish }),
    pesantren: (seller) => ({ id: seller.pesantrenId }),
    regency: (seller) => ({ code: seller.regencyCode }),
    products: (seller, { first, after }, ctx, info) =>
      after
        ? ctx.products.page({ kind: 'public' }, { sellerId: seller.id }, { first: pageSize(first), after, sort: 'NEWEST', includeCount: selectsField(info, 'totalCount') })
        : ctx.loaders.firstProductPage.load({ owner: 'seller', id: seller.id, first: pageSize(first), sort: 'NEWEST' }),
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
