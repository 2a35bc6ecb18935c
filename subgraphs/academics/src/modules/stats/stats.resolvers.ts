import { parseInput } from '@opop/server-kit';
import type { AgeBand, Gender, ProgrammeKind, Resolvers, ResolversTypes } from '../../generated/graphql.ts';
import { enrolmentQueryInput, enrolmentTable, type EnrolmentDimension, type PublishedCell } from './enrolment-stats.ts';
import { MAX_NOISE, NOISE_RATIO, THRESHOLD } from './perturbation.ts';

type EnrolmentKey = Exclude<ResolversTypes['EnrolmentKey'], Promise<unknown>>;
type EnrolmentCell = Exclude<ResolversTypes['EnrolmentCell'], Promise<unknown>>;

/** Standard deviation of the two-sided geometric noise, √(2α)/(1−α) (before its negligible cut). */
const NOISE_STANDARD_DEVIATION = Math.sqrt(2 * NOISE_RATIO) / (1 - NOISE_RATIO);

/** The key of a cell, with only the grouped dimensions set; entity keys become federation stubs. */
function toKey(dimensions: readonly EnrolmentDimension[], values: readonly string[]): EnrolmentKey {
  const key: EnrolmentKey = {};
  dimensions.forEach((dimension, index) => {
    const value = values[index]!;
    switch (dimension) {
      case 'REGENCY':
        key.regency = { code: value };
        break;
      case 'PESANTREN':
        key.pesantren = { id: value };
        break;
      case 'PROGRAMME':
        key.programme = value as ProgrammeKind;
        break;
      case 'GENDER':
        key.gender = value as Gender;
        break;
      case 'AGE_BAND':
        key.ageBand = value as AgeBand;
        break;
      case 'YEAR':
        key.year = Number(value);
        break;
    }
  });
  return key;
}

export const statsResolvers: Resolvers = {
  Query: {
    enrolmentStats: async (_parent, args, ctx) => {
      const query = parseInput(enrolmentQueryInput, args, 'arguments');
      const release = await ctx.releases.current(ctx.em);
      // Refusals are thrown, never cached: a refused question is checked again each time, as cheaply.
      // Kept per caller: how fast an answer comes must not tell one partner what another asked.
      const table = await ctx.releases.table(release, [ctx.identity.subject, query], () => enrolmentTable(ctx.em, release, query));
      const cell = (dimensions: readonly EnrolmentDimension[]) => (published: PublishedCell): EnrolmentCell => ({
        key: toKey(dimensions, published.key),
        count: published.count,
      });
      return {
        groupBy: query.groupBy,
        cells: table.cells.map(cell(query.groupBy)),
        margins: table.margins.map((margin, index) => ({ dimension: query.groupBy[index]!, cells: margin.map(cell([query.groupBy[index]!])) })),
        total: table.total,
        threshold: THRESHOLD,
        noiseStandardDeviation: Math.round(NOISE_STANDARD_DEVIATION * 100) / 100,
        maxNoise: MAX_NOISE,
      };
    },
  },
};
