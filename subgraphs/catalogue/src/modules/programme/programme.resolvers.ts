import { parseInput } from '@opop/server-kit';
import { z } from 'zod';
import type { Resolvers } from '../../generated/graphql.ts';
import type { FeaturedNow } from './programme.repository.ts';
import { FEATURED_PRODUCT_TARGET, PESANTREN_TARGET } from './programme.targets.ts';

/** What `programmeStatistics` resolves to: the time of counting; each figure is its field's query. */
export interface ProgrammeFigures {
  asOf: Date;
  /** Products and pesantren with a featured product now: two fields, one query, run at most once. */
  featuredNow: () => Promise<FeaturedNow>;
}

/** The SDL's `ordersByWeek(weeks:)`: two years at most. */
export const MAX_WEEKS = 104;
const DEFAULT_WEEKS = 12;
const weeksInput = z.number().int('must be a whole number of weeks').min(1, 'must be at least 1').max(MAX_WEEKS, `must be at most ${MAX_WEEKS}`);

export const programmeResolvers: Resolvers = {
  Query: {
    // Who may ask is declared in the SDL (programme admins only); the figures cover the whole programme.
    programmeStatistics: (_parent, _args, ctx) => {
      let featuredNow: Promise<FeaturedNow> | undefined;
      return { asOf: ctx.now(), featuredNow: () => (featuredNow ??= ctx.programme.featuredNow()) };
    },
  },

  ProgrammeStatistics: {
    featuredByYear: (figures, _args, ctx) => ctx.programme.featuredByYear(figures.asOf),
    featuredProductTarget: () => FEATURED_PRODUCT_TARGET,
    featuredProducts: async (figures) => (await figures.featuredNow()).products,
    pesantrenWithFeaturedProduct: async (figures) => (await figures.featuredNow()).pesantren,
    pesantrenTarget: () => PESANTREN_TARGET.pesantren,
    pesantrenTargetYear: () => PESANTREN_TARGET.byEndOf,
    byRegency: (_figures, _args, ctx) => ctx.programme.byRegency(),
    ordersByWeek: (figures, { weeks }, ctx) => ctx.programme.ordersByWeek(figures.asOf, parseInput(weeksInput, weeks ?? DEFAULT_WEEKS, 'weeks')),
  },

  RegencyProgrammeStatistics: {
    regency: (figures) => ({ code: figures.regencyCode }),
  },
};
