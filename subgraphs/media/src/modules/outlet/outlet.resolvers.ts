import { isUuid, pageSize, selectsField } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';

export const outletResolvers: Resolvers = {
  Query: {
    outlets: (_parent, _args, ctx) => ctx.outlets.list(),
    outlet: (_parent, { slug }, ctx) => ctx.outlets.findBySlug(slug),
  },

  Outlet: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.outletById.load(reference.id.toLowerCase()) : null),
    articles: (outlet, { first, after }, ctx, info) => ctx.articles.page({ outletId: outlet.id }, pageSize(first, 10), after, selectsField(info, 'totalCount')),
  },
};
