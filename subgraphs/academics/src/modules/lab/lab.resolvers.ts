import { isUuid, parseId } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import { roundToTens } from '../programme/programme.entity.ts';
import { MAX_LAB_ACTIVITIES_LISTED, MAX_LAB_PRODUCTS_LISTED } from './lab.entity.ts';

export const labResolvers: Resolvers = {
  Query: {
    entrepreneurshipLab: (_parent, { id }, { loaders }) => loaders.labById.load(parseId(id, 'id')),
  },

  Mutation: {
    recordLabActivity: (_parent, { labId, activity }, { labService }) => labService.recordActivity(labId, activity),
  },

  EntrepreneurshipLab: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.labById.load(reference.id.toLowerCase()) : null),
    pesantren: (lab) => ({ id: lab.pesantrenId }),
    programme: async (lab, _args, { loaders }) => (await loaders.programmeById.load(lab.programme.id))!,
    activities: (lab) => [...lab.activities].sort((a, b) => b.on.localeCompare(a.on)).slice(0, MAX_LAB_ACTIVITIES_LISTED),
    products: (lab) => lab.productIds.slice(0, MAX_LAB_PRODUCTS_LISTED).map((id) => ({ id })),
  },

  LabActivity: {
    title: (activity) => ({ indonesian: activity.titleIndonesian, english: activity.titleEnglish }),
    participants: (activity) => roundToTens(activity.participants),
  },
};
