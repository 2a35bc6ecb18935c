import { pageSize } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';

export const widgetResolvers: Resolvers = {
  Query: {
    widgetPlacements: async (_parent, { outletSlug, first }, ctx) => {
      const outlet = outletSlug ? await ctx.outlets.known(outletSlug, 'outletSlug') : undefined;
      return ctx.placements.mostViewed(outlet, pageSize(first, 50));
    },
  },

  Mutation: {
    recordWidgetEvent: async (_parent, { input }, ctx) => ({ counted: await ctx.widgetEvents.record(input, ctx.visitor) }),
  },

  WidgetPlacement: {
    outlet: async (placement, _args, { loaders }) => (await loaders.outletById.load(placement.outlet.id))!,
    products: (placement) => placement.productIds.map((id) => ({ id })),
    pesantren: (placement) => (placement.pesantrenId ? { id: placement.pesantrenId } : null),
  },
};
