import { badUserInput, isUuid, pageSize, parseId, readForSelection, selectsField, totalCountOf } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import { cooperativeOf } from './pesantren.entity.ts';
import { PESANTREN_FIELD_READS, PESANTREN_READS } from './pesantren.reads.ts';

const referenceRead = readForSelection(PESANTREN_FIELD_READS, PESANTREN_READS);

const LOOKUP_KEYS = ['id', 'slug', 'nspp'] as const;


export const pesantrenResolvers: Resolvers = {
  Query: {
    pesantren: async (_parent, args, ctx) => {
      const given = LOOKUP_KEYS.filter((key) => args[key] !== undefined && args[key] !== null);
      if (given.length !== 1) throw badUserInput('Give exactly one of id, slug or nspp');
      const key = given[0]!;
      const value = key === 'id' ? parseId(args.id!, 'id') : args[key]!;
      return ctx.pesantren.findOneToRead(key, value);
    },
    pesantrenList: (_parent, { first, after, filter, sort }, ctx, info) =>
      ctx.pesantren.page({
        first: pageSize(first),
        after,
        regencyCodes: filter?.regencyCodes,
        pillars: filter?.pillars,
        sort,
        includeCount: selectsField(info, 'totalCount'),
      }),
  },

  Mutation: {
    registerPesantren: (_parent, { input }, ctx) => ctx.pesantrenService.register(input),
    updatePesantren: (_parent, args, ctx) => ctx.pesantrenService.update(args.id, args.input),
  },

  Pesantren: {
    // The router sends every pesantren reference of a request together; the loader makes it one
    // query, of the columns the asked fields read.
    __resolveReference: (reference, { loaders }, info) => (isUuid(reference.id) ? loaders.pesantrenById(referenceRead(info)).load(reference.id.toLowerCase()) : null),
    regency: (pesantren, _args, { regencies }) => {
      const regency = regencies.get(pesantren.regency.code);
      if (!regency) throw new Error(`regency ${pesantren.regency.code} is missing from the directory`);
      return regency;
    },
    cooperative: (pesantren) => cooperativeOf(pesantren),
    whatsappUrl: (pesantren) => (pesantren.whatsapp ? `https://wa.me/${pesantren.whatsapp}` : null),
    awards: (pesantren) => [...pesantren.awards].sort((a, b) => b.year - a.year || a.rank - b.rank),
  },

  PesantrenConnection: {
    totalCount: totalCountOf,
  },
};
