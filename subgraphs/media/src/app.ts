import { cachedReferences, createSubgraphService, federatedReferences, OutboxSubscriber, relayToStorefront, type EntityReferences, type Logger, type StorefrontRelay, type SubgraphService } from '@opop/server-kit';
import { migrations } from '../migrations/index.ts';
import { seedDemoDataIfEmpty } from '../seeders/media.seeder.ts';
import type { MediaConfig } from './config.ts';
import { createMediaContext, type MediaContext, type MediaReferences, type OwnerReferences } from './context.ts';
import { entities } from './entities.ts';
import { name, resolvers, typeDefs } from './index.ts';
import { Article } from './modules/article/article.entity.ts';
import { PublishOutboxEvent } from './modules/publishing/publish-outbox.entity.ts';
import { articleChanges } from './modules/publishing/storefront-feed.ts';

export interface MediaServiceOptions {
  /** Where the pesantren and products an article or a widget event names are checked (default: the subgraphs at config.pesantrenUrl and config.catalogueUrl). */
  references?: OwnerReferences;
}

/** Builds the media service (database migrated, demo data seeded if asked); nothing listens yet. */
export async function createMediaService(config: MediaConfig, logger?: Logger, options: MediaServiceOptions = {}): Promise<SubgraphService<MediaContext>> {
  const owner = (url: string | undefined): EntityReferences | undefined =>
    url ? federatedReferences({ url, identitySecret: config.identitySecret, caller: 'subgraph:media' }) : undefined;
  const owners: OwnerReferences = options.references ?? { pesantren: owner(config.pesantrenUrl), products: owner(config.catalogueUrl) };
  if (config.environment === 'production' && (!owners.pesantren || !owners.products)) {
    throw new Error('PESANTREN_URL and CATALOGUE_URL are required in production: articles and widget events are checked against what they name');
  }
  // Articles (written by programme admins, rarely) ask the owners at each write; widget events
  // (anonymous, on every page view) ask them through a cache shared by the process, which also
  // bounds what a burst of unknown ids can ask of them (cachedReferences).
  const references: MediaReferences = {
    pesantren: owners.pesantren,
    products: owners.products,
    hot: {
      pesantren: owners.pesantren && cachedReferences(owners.pesantren),
      products: owners.products && cachedReferences(owners.products),
    },
  };
  let relay: StorefrontRelay<PublishOutboxEvent> | undefined;
  return createSubgraphService<MediaContext>({
    module: { name, typeDefs, resolvers },
    config,
    entities,
    migrations,
    ...(logger ? { logger } : {}),
    // The outbox is written only when something reads it: a relay to the storefront.
    ...(config.storefrontPublish ? { subscribers: [new OutboxSubscriber(PublishOutboxEvent, (entity) => (entity instanceof Article ? { key: entity.id, event: { articleId: entity.id, articleSlug: entity.slug } } : undefined), () => void relay?.notify())] } : {}),
    seedDemoData: seedDemoDataIfEmpty,
    runtime: async (database, serviceLogger) => {
      if (!owners.pesantren || !owners.products) {
        serviceLogger.warn('PESANTREN_URL or CATALOGUE_URL is not set: the pesantren and products of articles and widget events are not checked against their subgraphs');
      }
      // The storefront hears of published articles through a pg-boss job, when one is configured.
      const publishing = config.storefrontPublish
        ? await relayToStorefront({ database, databaseUrl: config.database.url, schema: config.database.schema, service: 'media', publish: config.storefrontPublish, feed: articleChanges, logger: serviceLogger })
        : undefined;
      relay = publishing?.relay;
      return {
        createContext: (base) => createMediaContext(base, references),
        ...(publishing ? { close: publishing.close, readiness: publishing.readiness } : {}),
      };
    },
  });
}
