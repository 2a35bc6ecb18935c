import { isUuid, parseId } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import { EMPTY_CELL, publishedToTens } from '../stats/perturbation.ts';

export const programmeResolvers: Resolvers = {
  Query: {
    programme: (_parent, { id }, { loaders }) => loaders.programmeById.load(parseId(id, 'id')),
  },

  Mutation: {
    createProgramme: (_parent, { input }, { programmeService }) => programmeService.create(input),
  },

  Programme: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.programmeById.load(reference.id.toLowerCase()) : null),
    pesantren: (programme) => ({ id: programme.pesantrenId }),
    santriCount: async (programme, _args, { loaders }) => publishedToTens((await loaders.santriCounts.load(programme.pesantrenId)).get(programme.kind) ?? EMPTY_CELL),
  },

  Pesantren: {
    __resolveReference: (reference) => ({ id: reference.id }),
    academics: (pesantren) => ({ pesantrenId: pesantren.id }),
  },

  AcademicSummary: {
    programmes: ({ pesantrenId }, _args, { loaders }) => (isUuid(pesantrenId) ? loaders.programmesByPesantren.load(pesantrenId.toLowerCase()) : []),
    labs: ({ pesantrenId }, _args, { loaders }) => (isUuid(pesantrenId) ? loaders.labsByPesantren.load(pesantrenId.toLowerCase()) : []),
    santriCount: async ({ pesantrenId }, _args, { loaders }) => {
      if (!isUuid(pesantrenId)) return null;
      return publishedToTens((await loaders.santriCounts.load(pesantrenId.toLowerCase())).get('ALL') ?? EMPTY_CELL);
    },
  },
};
