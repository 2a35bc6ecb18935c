import { pageSize } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import type { Agreement, Replication } from './innovation.entity.ts';
import { knownInnovation } from './innovation.service.ts';

const regionOf = (record: Agreement | Replication) => ({
  name: record.regionName,
  kind: record.regionKind,
  bpsCode: record.regionBpsCode,
  provinceName: record.provinceName,
});

export const innovationResolvers: Resolvers = {
  Query: {
    innovation: (_parent, { slug }, { innovations }) => innovations.findBySlug(slug),
    innovationInterests: async (_parent, { slug, first }, { innovations }) => innovations.findInterests(await knownInnovation(innovations, slug, 'slug'), pageSize(first, 50)),
  },

  Mutation: {
    recordInnovationView: async (_parent, { slug }, { innovationService, loaders }) => loaders.funnelByInnovation.load((await innovationService.recordView(slug)).id),
    expressInterest: async (_parent, { input }, { innovationService, loaders }) => {
      const innovation = await innovationService.expressInterest(input);
      return { received: true, funnel: await loaders.funnelByInnovation.load(innovation.id) };
    },
    recordAgreement: (_parent, { input }, { innovationService }) => innovationService.recordAgreement(input),
    recordReplication: (_parent, { input }, { innovationService }) => innovationService.recordReplication(input),
  },

  Innovation: {
    __resolveReference: (reference, { innovations }) => innovations.findBySlug(reference.slug),
    name: (innovation) => ({ indonesian: innovation.nameIndonesian, english: innovation.nameEnglish }),
    description: (innovation) => ({ indonesian: innovation.descriptionIndonesian, english: innovation.descriptionEnglish }),
    funnel: (innovation, _args, { loaders }) => loaders.funnelByInnovation.load(innovation.id),
    agreements: (innovation, _args, { innovations }) => innovations.findAgreements(innovation),
    replications: (innovation, _args, { innovations }) => innovations.findReplications(innovation),
  },

  InnovationFunnel: {
    views: (counts) => counts.VIEWED,
    interests: (counts) => counts.INTEREST_EXPRESSED,
    agreements: (counts) => counts.AGREEMENT_SIGNED,
    replications: (counts) => counts.REPLICATED,
  },

  Agreement: { region: regionOf },
  Replication: { region: regionOf },
};
