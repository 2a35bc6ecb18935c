import { createSubgraphService, OutboxSubscriber, relayToStorefront, SharedCounts, type Logger, type StorefrontRelay, type SubgraphService } from '@opop/server-kit';
import { migrations } from '../migrations/index.ts';
import { seedDemoDataIfEmpty } from '../seeders/pesantren.seeder.ts';
import type { PesantrenConfig } from './config.ts';
import { createPesantrenContext, type PesantrenContext } from './context.ts';
import { entities } from './entities.ts';
import { name, resolvers, typeDefs } from './index.ts';
import { Pesantren } from './modules/pesantren/pesantren.entity.ts';
import { PesantrenChangesSubscriber } from './modules/pesantren/pesantren.subscriber.ts';
import { PublishOutboxEvent } from './modules/publishing/publish-outbox.entity.ts';
import { pesantrenChanges } from './modules/publishing/storefront-feed.ts';
import { RegencyDirectory } from './modules/regency/regency.directory.ts';

/**
 * How long this process's requests share their count of pesantren per regency: a group-by over
 * every pesantren on every regency list (1.8x slower at programme scale than on the demo data).
 * Dropped as soon as this process writes a pesantren.
 */
export const REGENCY_COUNTS_TTL_MS = 60_000;

/** Builds the pesantren service (database migrated, demo data seeded if asked); nothing listens yet. */
export function createPesantrenService(config: PesantrenConfig, logger?: Logger): Promise<SubgraphService<PesantrenContext>> {
  const counts = new SharedCounts(REGENCY_COUNTS_TTL_MS);
  let relay: StorefrontRelay<PublishOutboxEvent> | undefined;
  return createSubgraphService<PesantrenContext>({
    module: { name, typeDefs, resolvers },
    config,
    entities,
    migrations,
    ...(logger ? { logger } : {}),
    // The outbox is written only when something reads it: a relay to the storefront.
    subscribers: [new PesantrenChangesSubscriber(() => counts.clear()), ...(config.storefrontPublish ? [new OutboxSubscriber(PublishOutboxEvent, (entity) => (entity instanceof Pesantren ? { key: entity.id, event: { pesantrenId: entity.id } } : undefined), () => void relay?.notify())] : [])],
    seedDemoData: seedDemoDataIfEmpty,
    runtime: async (database, logger) => {
      const regencies = await RegencyDirectory.load(database.fork());
      // The storefront hears of registered and edited pesantren through a pg-boss job, when one is configured.
      const publishing = config.storefrontPublish
        ? await relayToStorefront({ database, databaseUrl: config.database.url, schema: config.database.schema, service: 'pesantren', publish: config.storefrontPublish, feed: pesantrenChanges, logger })
        : undefined;
      relay = publishing?.relay;
      return {
        createContext: (base) => createPesantrenContext(base, regencies, counts),
        ...(publishing ? { close: publishing.close, readiness: publishing.readiness } : {}),
      };
    },
  });
}
