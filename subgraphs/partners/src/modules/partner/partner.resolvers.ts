import { badUserInput, isUuid, parseId, parseInput } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import { createEngagementInput } from '../innovation/innovation.input.ts';
import { Engagement, EngagementPesantren, EngagementProduct, Partner } from './partner.entity.ts';

const localized = (indonesian: string | null | undefined, english: string | null | undefined) => (indonesian ? { indonesian, english: english ?? null } : null);

export const partnerResolvers: Resolvers = {
  Query: {
    partners: (_parent, { role }, { em }) => em.find(Partner, role ? { role } : {}, { orderBy: { role: 'asc', name: 'asc' } }),
    partner: (_parent, { slug }, { em }) => em.findOne(Partner, { slug }),
    engagement: (_parent, { id }, { loaders }) => loaders.engagementById.load(parseId(id, 'id')),
  },

  Mutation: {
    createEngagement: async (_parent, { input }, ctx) => {
      const data = parseInput(createEngagementInput, input, 'input');
      const partner = await ctx.em.findOne(Partner, { slug: data.partnerSlug });
      if (!partner) throw badUserInput(`is not a known partner (${data.partnerSlug})`, 'input.partnerSlug');
      const engagement = ctx.em.create(Engagement, {
        partner,
        aspect: data.aspect,
        titleIndonesian: data.titleIndonesian,
        titleEnglish: data.titleEnglish ?? null,
        startsOn: data.startsOn,
        endsOn: data.endsOn ?? null,
        outcomeIndonesian: data.outcomeIndonesian ?? null,
        outcomeEnglish: data.outcomeEnglish ?? null,
        isDemo: false,
      });
      for (const pesantrenId of new Set(data.pesantrenIds)) ctx.em.create(EngagementPesantren, { engagement, pesantrenId });
      for (const productId of new Set(data.productIds ?? [])) ctx.em.create(EngagementProduct, { engagement, productId });
      await ctx.em.flush();
      return engagement;
    },
  },

  Partner: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.partnerById.load(reference.id.toLowerCase()) : null),
    engagements: (partner, _args, { loaders }) => loaders.engagementsByPartner.load(partner.id),
  },

  Engagement: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.engagementById.load(reference.id.toLowerCase()) : null),
    partner: async (engagement, _args, { loaders }) => (await loaders.partnerById.load(engagement.partner.id))!,
    title: (engagement) => ({ indonesian: engagement.titleIndonesian, english: engagement.titleEnglish }),
    outcome: (engagement) => localized(engagement.outcomeIndonesian, engagement.outcomeEnglish),
    pesantren: async (engagement, _args, { loaders }) => (await loaders.pesantrenOfEngagement.load(engagement.id)).map((id) => ({ id })),
    products: async (engagement, _args, { loaders }) => (await loaders.productsOfEngagement.load(engagement.id)).map((id) => ({ id })),
  },

  Pesantren: {
    __resolveReference: (reference) => ({ id: reference.id }),
    partnerships: (pesantren, _args, { loaders }) => (isUuid(pesantren.id) ? loaders.engagementsByPesantren.load(pesantren.id.toLowerCase()) : []),
  },

  Product: {
    __resolveReference: (reference) => ({ id: reference.id }),
    partnerPrograms: (product, _args, { loaders }) => (isUuid(product.id) ? loaders.engagementsByProduct.load(product.id.toLowerCase()) : []),
  },
};
