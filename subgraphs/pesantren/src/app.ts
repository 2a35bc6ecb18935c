import { createSubgraphService, SharedCounts, type Logger, type SubgraphConfig, type SubgraphService } from '@opop/server-kit';
import { migrations } from '../migrations/index.ts';
import { seedDemoDataIfEmpty } from '../seeders/pesantren.seeder.ts';
import { createPesantrenContext, type PesantrenContext } from './context.ts';
import { entities } from './entities.ts';
import { name, resolvers, typeDefs } from './index.ts';
import { PesantrenChangesSubscriber } from './modules/pesantren/pesantren.subscriber.ts';
import { RegencyDirectory } from './modules/regency/regency.directory.ts';

/**
 * How long this process's requests share their count of pesantren per regency: a group-by over
 * every pesantren on every regency list (1.8x slower at programme scale than on the demo data).
 * Dropped as soon as this process writes a pesantren.
 */
export const REGENCY_COUNTS_TTL_MS = 60_000;

/** Builds the pesantren service (database migrated, demo data seeded if asked); nothing listens yet. */
export function createPesantrenService(config: SubgraphConfig, logger?: Logger): Promise<SubgraphService<PesantrenContext>> {
  const counts = new SharedCounts(REGENCY_COUNTS_TTL_MS);
  return createSubgraphService<PesantrenContext>({
    module: { name, typeDefs, resolvers },
    config,
    entities,
    migrations,
    ...(logger ? { logger } : {}),
    subscribers: [new PesantrenChangesSubscriber(() => counts.clear())],
    seedDemoData: seedDemoDataIfEmpty,
    runtime: async (database) => {
      const regencies = await RegencyDirectory.load(database.fork());
      return { createContext: (base) => createPesantrenContext(base, regencies, counts) };
    },
  });
}
