import { badUserInput, isUuid, pageSize, parseId } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import { MAX_PESANTREN_PER_ENGAGEMENT } from './partner.input.ts';
import { MAX_ENGAGEMENTS_LISTED } from './partner.repository.ts';

const localized = (indonesian: string | null | undefined, english: string | null | undefined) => (indonesian ? { indonesian, english: english ?? null } : null);

export const partnerResolvers: Resolvers = {
  Query: {
    partners: (_parent, { role }, { partners }) => partners.findAll(role),
    partner: (_parent, { slug }, { partners }) => partners.findBySlugToRead(slug),
    engagement: (_parent, { id }, { loaders }) => loaders.engagementById.load(parseId(id, 'id')),
    myPartner: (_parent, _args, { identity, loaders }) => (isUuid(identity.partnerId) ? loaders.partnerById.load(identity.partnerId.toLowerCase()) : null),
  },

  Mutation: {
    createEngagement: (_parent, { input }, { partnerService }) => partnerService.createEngagement(input),
  },

  Partner: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.partnerById.load(reference.id.toLowerCase()) : null),
    // The kit's page bounds (1–100) are the list's: MAX_ENGAGEMENTS_LISTED. An explicit null asks for the default.
    engagements: (partner, { first }, { loaders }) => loaders.engagementsByPartner(pageSize(first, MAX_ENGAGEMENTS_LISTED)).load(partner.id),
    engagementCount: (partner, _args, { loaders }) => loaders.engagementCountOfPartner.load(partner.id),
  },

  Engagement: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.engagementById.load(reference.id.toLowerCase()) : null),
    partner: async (engagement, _args, { loaders }) => (await loaders.partnerById.load(engagement.partner.id))!,
    title: (engagement) => ({ indonesian: engagement.titleIndonesian, english: engagement.titleEnglish }),
    outcome: (engagement) => localized(engagement.outcomeIndonesian, engagement.outcomeEnglish),
    pesantren: async (engagement, { first }, { loaders }) => {
      // An explicit null asks for the default: all of them.
      const limit = first ?? MAX_PESANTREN_PER_ENGAGEMENT;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PESANTREN_PER_ENGAGEMENT) throw badUserInput(`must be between 1 and ${MAX_PESANTREN_PER_ENGAGEMENT}`, 'first');
      return (await loaders.pesantrenOfEngagement(limit).load(engagement.id)).map((link) => ({ id: link.pesantrenId }));
    },
    pesantrenCount: (engagement, _args, { loaders }) => loaders.pesantrenCountOfEngagement.load(engagement.id),
    products: async (engagement, _args, { loaders }) => (await loaders.productsOfEngagement.load(engagement.id)).map((link) => ({ id: link.productId })),
  },

  Pesantren: {
    __resolveReference: (reference) => ({ id: reference.id }),
    partnerships: (pesantren, _args, { loaders }) => (isUuid(pesantren.id) ? loaders.engagementsOfPesantren.load(pesantren.id.toLowerCase()) : []),
  },

  Product: {
    __resolveReference: (reference) => ({ id: reference.id }),
    partnerPrograms: (product, _args, { loaders }) => (isUuid(product.id) ? loaders.engagementsOfProduct.load(product.id.toLowerCase()) : []),
  },
};
