import { createSubgraphService, type Logger, type SubgraphConfig, type SubgraphService } from '@opop/server-kit';
import { migrations } from '../migrations/index.ts';
import { seedDemoDataIfEmpty } from '../seeders/pesantren.seeder.ts';
import { createPesantrenContext, type PesantrenContext } from './context.ts';
import { entities } from './entities.ts';
import { name, resolvers, typeDefs } from './index.ts';
import { RegencyDirectory } from './modules/regency/regency.directory.ts';

/** Builds the pesantren service (database migrated, demo data seeded if asked); nothing listens yet. */
export function createPesantrenService(config: SubgraphConfig, logger?: Logger): Promise<SubgraphService<PesantrenContext>> {
  return createSubgraphService<PesantrenContext>({
    module: { name, typeDefs, resolvers },
    config,
    entities,
    migrations,
    ...(logger ? { logger } : {}),
    seedDemoData: seedDemoDataIfEmpty,
    runtime: async (database) => {
      const regencies = await RegencyDirectory.load(database.fork());
      return { createContext: (base) => createPesantrenContext(base, regencies) };
    },
  });
}
