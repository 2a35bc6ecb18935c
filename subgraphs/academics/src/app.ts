import { createSubgraphService, type Logger, type SubgraphConfig, type SubgraphService } from '@opop/server-kit';
import { migrations } from '../migrations/index.ts';
import { seedDemoDataIfEmpty } from '../seeders/academics.seeder.ts';
import { createAcademicsContext, type AcademicsContext } from './context.ts';
import { entities } from './entities.ts';
import { name, resolvers, typeDefs } from './index.ts';

/** Builds the academics service (database migrated, demo data seeded if asked); nothing listens yet. */
export function createAcademicsService(config: SubgraphConfig, logger?: Logger): Promise<SubgraphService<AcademicsContext>> {
  return createSubgraphService<AcademicsContext>({
    module: { name, typeDefs, resolvers },
    config,
    entities,
    migrations,
    ...(logger ? { logger } : {}),
    seedDemoData: seedDemoDataIfEmpty,
    runtime: async () => ({ createContext: createAcademicsContext }),
  });
}
