import { createSubgraphService, federatedReferences, OutboxSubscriber, relayToStorefront, SharedCounts, type EntityReferences, type Logger, type StorefrontRelay, type SubgraphService } from '@opop/server-kit';

/** How long the innovation funnel's counts are reused: the SDL's InnovationFunnel says so. */
const FUNNEL_COUNTS_TTL_MS = 60_000;
import { migrations } from '../migrations/index.ts';
import { seedDemoDataIfEmpty } from '../seeders/partners.seeder.ts';
import type { PartnersConfig } from './config.ts';
import { createPartnersContext, type PartnersContext, type PartnersReferences } from './context.ts';
import { entities } from './entities.ts';
import { name, resolvers, typeDefs } from './index.ts';
import { Engagement } from './modules/partner/partner.entity.ts';
import { PublishOutboxEvent } from './modules/publishing/publish-outbox.entity.ts';
import { engagementChanges } from './modules/publishing/storefront-feed.ts';

export interface PartnersServiceOptions {
  /** Where an engagement's pesantren and products are checked (default: the subgraphs at config.pesantrenUrl and config.catalogueUrl). */
  references?: PartnersReferences;
}

/** Builds the partners service (database migrated, demo data seeded if asked); nothing listens yet. */
export function createPartnersService(config: PartnersConfig, logger?: Logger, options: PartnersServiceOptions = {}): Promise<SubgraphService<PartnersContext>> {
  const owner = (url: string | undefined): EntityReferences | undefined =>
    url ? federatedReferences({ url, identitySecret: config.identitySecret, caller: 'subgraph:partners' }) : undefined;
  const references: PartnersReferences = options.references ?? { pesantren: owner(config.pesantrenUrl), products: owner(config.catalogueUrl) };
  if (config.environment === 'production' && (!references.pesantren || !references.products)) {
    throw new Error('PESANTREN_URL and CATALOGUE_URL are required in production: engagements are checked against what they name');
  }
  const funnelCounts = new SharedCounts(FUNNEL_COUNTS_TTL_MS);
  let relay: StorefrontRelay<PublishOutboxEvent> | undefined;
  return createSubgraphService<PartnersContext>({
    module: { name, typeDefs, resolvers },
    config,
    entities,
    migrations,
    ...(logger ? { logger } : {}),
    // The outbox is written only when something reads it: a relay to the storefront.
    ...(config.storefrontPublish ? { subscribers: [new OutboxSubscriber(PublishOutboxEvent, (entity) => (entity instanceof Engagement ? { key: entity.id, event: { engagementId: entity.id } } : undefined), () => void relay?.notify())] } : {}),
    seedDemoData: seedDemoDataIfEmpty,
    runtime: async (database, serviceLogger) => {
      if (!references.pesantren || !references.products) {
        serviceLogger.warn('PESANTREN_URL or CATALOGUE_URL is not set: an engagement\'s pesantren and products are not checked against their subgraphs');
      }
      // The storefront hears of recorded engagements through a pg-boss job, when one is configured.
      const publishing = config.storefrontPublish
        ? await relayToStorefront({ database, databaseUrl: config.database.url, schema: config.database.schema, service: 'partners', publish: config.storefrontPublish, feed: engagementChanges, logger: serviceLogger })
        : undefined;
      relay = publishing?.relay;
      return {
        createContext: (base) => createPartnersContext(base, funnelCounts, references),
        ...(publishing ? { close: publishing.close, readiness: publishing.readiness } : {}),
      };
    },
  });
}
