import { isUuid, pageSize, requireOwnPartner, selectsField } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import { NOT_YOUR_OUTLET } from './outlet-key.service.ts';

export const outletResolvers: Resolvers = {
  Query: {
    outlets: (_parent, _args, ctx) => ctx.outlets.list(),
    outlet: (_parent, { slug }, ctx) => ctx.outlets.findBySlug(slug),
    outletKeys: async (_parent, { outletSlug }, ctx) => {
      const outlet = await ctx.outlets.known(outletSlug, 'outletSlug');
      requireOwnPartner(ctx.identity, outlet.partnerId, NOT_YOUR_OUTLET);
      return ctx.outlets.keysOf(outlet);
    },
  },

  Mutation: {
    createOutletKey: (_parent, { outletSlug, label }, ctx) => ctx.outletKeyService.create(outletSlug, label),
    revokeOutletKey: (_parent, { id }, ctx) => ctx.outletKeyService.revoke(id),
  },

  Outlet: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.outletById.load(reference.id.toLowerCase()) : null),
    // Every outlet keeps an active key: the last one cannot be revoked (OutletKeyService).
    publicKey: async (outlet, _args, { loaders }) => (await loaders.firstActiveKey.load(outlet.id)) ?? '',
    partnerId: (outlet) => outlet.partnerId ?? null,
    articles: (outlet, { first, after }, ctx, info) => ctx.articles.page({ outletId: outlet.id }, pageSize(first, 10), after, selectsField(info, 'totalCount')),
  },

  OutletKey: {
    revokedAt: (key) => key.revokedAt ?? null,
  },
};
