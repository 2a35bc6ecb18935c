import { pageSize, parseInput, requireOwnPartner } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import { NOT_YOUR_OUTLET } from '../outlet/outlet-key.service.ts';
import { statDays } from './widget.input.ts';

export const widgetResolvers: Resolvers = {
  Query: {
    widgetPlacements: async (_parent, { outletSlug, first }, ctx) => {
      const outlet = outletSlug ? await ctx.outlets.known(outletSlug, 'outletSlug') : undefined;
      // Every outlet's placements (no outlet named) are an admin's to see; a media partner's, its own outlet's.
      requireOwnPartner(ctx.identity, outlet ? outlet.partnerId : null, outlet ? NOT_YOUR_OUTLET : 'Name your own outlet (outletSlug): you may only see its placements');
      return ctx.placements.mostViewed(outlet, pageSize(first, 50));
    },
    widgetStats: async (_parent, { outletSlug, days }, ctx) => {
      const outlet = await ctx.outlets.known(outletSlug, 'outletSlug');
      requireOwnPartner(ctx.identity, outlet.partnerId, NOT_YOUR_OUTLET);
      return ctx.placements.dailyStats(outlet, parseInput(statDays, days, 'days'));
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
