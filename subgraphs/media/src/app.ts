import { createSubgraphService, type Logger, type SubgraphConfig, type SubgraphService } from '@opop/server-kit';
import { migrations } from '../migrations/index.ts';
import { seedDemoDataIfEmpty } from '../seeders/media.seeder.ts';
import { createMediaContext, type MediaContext } from './context.ts';
import { entities } from './entities.ts';
import { name, resolvers, typeDefs } from './index.ts';

/** Builds the media service (database migrated, demo data seeded if asked); nothing listens yet. */
export function createMediaService(config: SubgraphConfig, logger?: Logger): Promise<SubgraphService<MediaContext>> {
  return createSubgraphService<MediaContext>({
    module: { name, typeDefs, resolvers },
    config,
    entities,
    migrations,
    ...(logger ? { logger } : {}),
    seedDemoData: seedDemoDataIfEmpty,
    runtime: async () => ({ createContext: createMediaContext }),
  });
}
