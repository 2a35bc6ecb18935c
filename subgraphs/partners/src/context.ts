import DataLoader from 'dataloader';
import { loaderById, loaderGroupedBy, loaderOfGroups, loaderPer, type SharedCounts, type SubgraphRequestContext, type EntityReferences } from '@opop/server-kit';
import { ApiKeyRepository } from './modules/api-key/api-key.repository.ts';
import { ApiKeyService } from './modules/api-key/api-key.service.ts';
import { InnovationRepository, type FunnelCounts } from './modules/innovation/innovation.repository.ts';
import { InnovationService } from './modules/innovation/innovation.service.ts';
import type { EngagementRecord, Partner } from './modules/partner/partner.entity.ts';
import { PartnerRepository, type LinkRecord } from './modules/partner/partner.repository.ts';
import { PartnerService } from './modules/partner/partner.service.ts';

export type { FunnelCounts } from './modules/innovation/innovation.repository.ts';

export interface EntityReference {
  id: string;
}

export interface PartnersContext extends SubgraphRequestContext {
  partners: PartnerRepository;
  innovations: InnovationRepository;
  apiKeys: ApiKeyRepository;
  partnerService: PartnerService;
  innovationService: InnovationService;
  apiKeyService: ApiKeyService;
  loaders: {
    partnerById: DataLoader<string, Partner | null>;
    engagementById: DataLoader<string, EngagementRecord | null>;
    /** A partner's newest `first` engagements: one loader per `first` asked for in the request. */
    engagementsByPartner: (first: number) => DataLoader<string, EngagementRecord[]>;
    engagementCountOfPartner: DataLoader<string, number>;
    /** A pesantren's engagements, newest first (at most MAX_ENGAGEMENTS_LISTED). */
    engagementsOfPesantren: DataLoader<string, EngagementRecord[]>;
    /** A product's engagements, newest first (at most MAX_ENGAGEMENTS_LISTED). */
    engagementsOfProduct: DataLoader<string, EngagementRecord[]>;
    /** An engagement's first `first` pesantren by key: one loader per `first` asked for. */
    pesantrenOfEngagement: (first: number) => DataLoader<string, LinkRecord<'pesantrenId'>[]>;
    pesantrenCountOfEngagement: DataLoader<string, number>;
    productsOfEngagement: DataLoader<string, LinkRecord<'productId'>[]>;
    funnelByInnovation: DataLoader<string, FunnelCounts>;
  };
}

/** The owners of what engagements link to; undefined where partners runs alone (never in production). */
export interface PartnersReferences {
  pesantren: EntityReferences | undefined;
  products: EntityReferences | undefined;
}

export function createPartnersContext(base: SubgraphRequestContext, funnelCounts: SharedCounts, references: PartnersReferences = { pesantren: undefined, products: undefined }): PartnersContext {
  const { em, identity, logger, visitor } = base;
  const partners = new PartnerRepository(em);
  const innovations = new InnovationRepository(em);
  const apiKeys = new ApiKeyRepository(em);
  return {
    ...base,
    partners,
    innovations,
    apiKeys,
    partnerService: new PartnerService(em, partners, references),
    innovationService: new InnovationService({ em, identity, visitor, logger, innovations, funnelCounts }),
    apiKeyService: new ApiKeyService({ em, identity, logger, apiKeys, partners }),
    loaders: {
      partnerById: loaderById((ids) => partners.findByIds(ids)),
      engagementById: loaderById((ids) => partners.findEngagementsByIds(ids)),
      engagementsByPartner: loaderPer((first: number) => loaderOfGroups((ids) => partners.newestEngagementsOfPartners(ids, first))),
      engagementCountOfPartner: new DataLoader((ids) => partners.engagementCounts(ids)),
      engagementsOfPesantren: loaderOfGroups((ids) => partners.newestEngagementsOfPesantren(ids)),
      engagementsOfProduct: loaderOfGroups((ids) => partners.newestEngagementsOfProducts(ids)),
      pesantrenOfEngagement: loaderPer((first: number) => loaderOfGroups((ids) => partners.firstPesantrenOfEngagements(ids, first))),
      pesantrenCountOfEngagement: new DataLoader((ids) => partners.pesantrenCounts(ids)),
      productsOfEngagement: loaderGroupedBy((ids) => partners.findProductLinksOfEngagements(ids), (link) => link.engagement.id),
      // Counting the funnel's events grows with them (3x slower at programme scale): shared for a minute, dropped after a write here.
      funnelByInnovation: new DataLoader(async (ids) => funnelCounts.get(`funnel:${ids.join(',')}`, () => innovations.funnelCounts(ids))),
    },
  };
}
