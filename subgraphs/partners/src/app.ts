import { createSubgraphService, type Logger, type SubgraphConfig, type SubgraphService } from '@opop/server-kit';
import { migrations } from '../migrations/index.ts';
import { seedDemoDataIfEmpty } from '../seeders/partners.seeder.ts';
import { createPartnersContext, type PartnersContext } from './context.ts';
import { entities } from './entities.ts';
import { name, resolvers, typeDefs } from './index.ts';

/** Builds the partners service (database migrated, demo data seeded if asked); nothing listens yet. */
export function createPartnersService(config: SubgraphConfig, logger?: Logger): Promise<SubgraphService<PartnersContext>> {
  return createSubgraphService<PartnersContext>({
    module: { name, typeDefs, resolvers },
    config,
    entities,
    migrations,
    ...(logger ? { logger } : {}),
    seedDemoData: seedDemoDataIfEmpty,
    runtime: async () => ({ createContext: createPartnersContext }),
  });
}
