import DataLoader from 'dataloader';
import { raw } from '@mikro-orm/core';
import { byKey, loaderById, loaderGroupedBy, type SubgraphRequestContext } from '@opop/server-kit';
import { FunnelEvent, type FunnelStage } from './modules/innovation/innovation.entity.ts';
import { Engagement, EngagementPesantren, EngagementProduct, Partner } from './modules/partner/partner.entity.ts';

export interface EntityReference {
  id: string;
}

export interface PartnersContext extends SubgraphRequestContext {
  loaders: {
    partnerById: DataLoader<string, Partner | null>;
    engagementById: DataLoader<string, Engagement | null>;
    engagementsByPartner: DataLoader<string, Engagement[]>;
    engagementsByPesantren: DataLoader<string, Engagement[]>;
    engagementsByProduct: DataLoader<string, Engagement[]>;
    pesantrenOfEngagement: DataLoader<string, string[]>;
    productsOfEngagement: DataLoader<string, string[]>;
    funnelByInnovation: DataLoader<string, Record<FunnelStage, number>>;
  };
}

const NEWEST = { startsOn: 'desc', id: 'asc' } as const;

export function createPartnersContext(base: SubgraphRequestContext): PartnersContext {
  const { em } = base;
  return {
    ...base,
    loaders: {
      partnerById: loaderById((ids) => em.find(Partner, { id: { $in: [...ids] } })),
      engagementById: loaderById((ids) => em.find(Engagement, { id: { $in: [...ids] } })),
      engagementsByPartner: loaderGroupedBy((ids) => em.find(Engagement, { partner: { $in: [...ids] } }, { orderBy: NEWEST }), (e) => e.partner.id),
      engagementsByPesantren: new DataLoader(async (ids) => {
        const links = await em.find(EngagementPesantren, { pesantrenId: { $in: [...ids] } }, { populate: ['engagement'], orderBy: { engagement: NEWEST } });
        return byKey(ids, Map.groupBy(links, (link) => link.pesantrenId), []).map((group) => group.map((link) => link.engagement));
      }),
      engagementsByProduct: new DataLoader(async (ids) => {
        const links = await em.find(EngagementProduct, { productId: { $in: [...ids] } }, { populate: ['engagement'], orderBy: { engagement: NEWEST } });
        return byKey(ids, Map.groupBy(links, (link) => link.productId), []).map((group) => group.map((link) => link.engagement));
      }),
      pesantrenOfEngagement: new DataLoader(async (ids) => {
        const links = await em.find(EngagementPesantren, { engagement: { $in: [...ids] } }, { orderBy: { pesantrenId: 'asc' } });
        return byKey(ids, Map.groupBy(links, (link) => link.engagement.id), []).map((group) => group.map((link) => link.pesantrenId));
      }),
      productsOfEngagement: new DataLoader(async (ids) => {
        const links = await em.find(EngagementProduct, { engagement: { $in: [...ids] } }, { orderBy: { productId: 'asc' } });
        return byKey(ids, Map.groupBy(links, (link) => link.engagement.id), []).map((group) => group.map((link) => link.productId));
      }),
      funnelByInnovation: new DataLoader(async (ids) => {
        const rows = await em
          .createQueryBuilder(FunnelEvent, 'f')
          .select(['f.innovation', 'f.stage', raw('count(*)::int as total')])
          .where({ innovation: { $in: [...ids] } })
          .groupBy(['f.innovation', 'f.stage'])
          .execute<{ innovation_id: string; stage: FunnelStage; total: number | string }[]>('all', false);
        return ids.map((id) => {
          const counts: Record<FunnelStage, number> = { VIEWED: 0, INTEREST_EXPRESSED: 0, AGREEMENT_SIGNED: 0, REPLICATED: 0 };
          for (const row of rows) if (row.innovation_id === id) counts[row.stage] = Number(row.total);
          return counts;
        });
      }),
    },
  };
}

export type FunnelCounts = Record<FunnelStage, number>;
