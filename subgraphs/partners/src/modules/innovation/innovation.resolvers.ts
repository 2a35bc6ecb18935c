import { randomUUID } from 'node:crypto';
import { actorOf, badUserInput, counterKeys, MAX_VISITORS_PER_NETWORK, pageSize, parseInput, requireVisitor } from '@opop/server-kit';
import type { PartnersContext } from '../../context.ts';
import type { Resolvers } from '../../generated/graphql.ts';
import { Agreement, FunnelEvent, Innovation, InterestExpression, Replication } from './innovation.entity.ts';
import { expressInterestInput, recordAgreementInput, recordReplicationInput } from './innovation.input.ts';

async function innovationBySlug(ctx: PartnersContext, slug: string, field: string): Promise<Innovation> {
  const innovation = await ctx.em.findOne(Innovation, { slug });
  if (!innovation) throw badUserInput(`is not a known innovation (${slug.slice(0, 80)})`, field);
  return innovation;
}


const regionOf = (record: Agreement | Replication) => ({
  name: record.regionName,
  kind: record.regionKind,
  bpsCode: record.regionBpsCode,
  provinceName: record.provinceName,
});


export const innovationResolvers: Resolvers = {
  Query: {
    innovation: (_parent, { slug }, { em }) => em.findOne(Innovation, { slug }),
    innovationInterests: async (_parent, { slug, first }, ctx) => {
      const innovation = await innovationBySlug(ctx, slug, 'slug');
      return ctx.em.find(InterestExpression, { innovation }, { orderBy: { receivedAt: 'desc', id: 'asc' }, limit: pageSize(first, 50) });
    },
  },

  Mutation: {
    recordInnovationView: async (_parent, { slug }, ctx) => {
      // The visitor is the one the router derived from the connection; `visitorId` is ignored.
      const visitor = requireVisitor(ctx.visitor);
      const innovation = await innovationBySlug(ctx, slug, 'slug');
      const at = new Date();
      const keys = counterKeys(`innovation:${innovation.id}`, visitor, at.toISOString().slice(0, 10));
      const fromNetwork = await ctx.em.count(FunnelEvent, { networkKey: keys.networkKey });
      if (fromNetwork < MAX_VISITORS_PER_NETWORK) {
        await ctx.em
          .createQueryBuilder(FunnelEvent)
          .insert({ id: randomUUID(), innovation: innovation.id, stage: 'VIEWED', ...keys, at })
          .onConflict('dedupeKey')
          .ignore()
          .execute();
      }
      return ctx.loaders.funnelByInnovation.load(innovation.id);
    },

    expressInterest: async (_parent, { input }, ctx) => {
      const data = parseInput(expressInterestInput, input, 'input');
      const innovation = await innovationBySlug(ctx, data.innovationSlug, 'input.innovationSlug');
      ctx.em.create(InterestExpression, {
        innovation,
        name: data.name,
        organisation: data.organisation,
        email: data.email ?? null,
        phone: data.phone ?? null,
        region: data.region,
        message: data.message,
      });
      ctx.em.create(FunnelEvent, { innovation, stage: 'INTEREST_EXPRESSED', dedupeKey: null });
      await ctx.em.flush();
      ctx.logger.info({ innovation: innovation.slug }, 'interest expressed');
      return { received: true, funnel: await ctx.loaders.funnelByInnovation.load(innovation.id) };
    },

    recordAgreement: async (_parent, { input }, ctx) => {
      const data = parseInput(recordAgreementInput, input, 'input');
      const innovation = await innovationBySlug(ctx, data.innovationSlug, 'input.innovationSlug');
      const agreement = ctx.em.create(Agreement, {
        innovation,
        regionName: data.region.name,
        regionKind: data.region.kind,
        regionBpsCode: data.region.bpsCode ?? null,
        provinceName: data.region.provinceName,
        signedOn: data.signedOn,
        note: data.note ?? null,
        recordedBy: actorOf(ctx.identity),
      });
      ctx.em.create(FunnelEvent, { innovation, stage: 'AGREEMENT_SIGNED', dedupeKey: null });
      await ctx.em.flush();
      return agreement;
    },

    recordReplication: async (_parent, { input }, ctx) => {
      const data = parseInput(recordReplicationInput, input, 'input');
      const innovation = await innovationBySlug(ctx, data.innovationSlug, 'input.innovationSlug');
      const replication = ctx.em.create(Replication, {
        innovation,
        regionName: data.region.name,
        regionKind: data.region.kind,
        regionBpsCode: data.region.bpsCode ?? null,
        provinceName: data.region.provinceName,
        startedOn: data.startedOn,
        note: data.note ?? null,
        recordedBy: actorOf(ctx.identity),
      });
      ctx.em.create(FunnelEvent, { innovation, stage: 'REPLICATED', dedupeKey: null });
      await ctx.em.flush();
      return replication;
    },
  },

  Innovation: {
    __resolveReference: (reference, { em }) => em.findOne(Innovation, { slug: reference.slug }),
    name: (innovation) => ({ indonesian: innovation.nameIndonesian, english: innovation.nameEnglish }),
    description: (innovation) => ({ indonesian: innovation.descriptionIndonesian, english: innovation.descriptionEnglish }),
    funnel: (innovation, _args, { loaders }) => loaders.funnelByInnovation.load(innovation.id),
    agreements: (innovation, _args, { em }) => em.find(Agreement, { innovation }, { orderBy: { signedOn: 'desc', id: 'asc' } }),
    replications: (innovation, _args, { em }) => em.find(Replication, { innovation }, { orderBy: { startedOn: 'desc', id: 'asc' } }),
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
