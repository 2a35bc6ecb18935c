import { createSubgraphService, type Logger, type SubgraphConfig, type SubgraphService } from '@opop/server-kit';
import { migrations } from '../migrations/index.ts';
import { seedDemoDataIfEmpty } from '../seeders/catalogue.seeder.ts';
import { createCatalogueContext, type CatalogueContext } from './context.ts';
import { entities } from './entities.ts';
import { name, resolvers, typeDefs } from './index.ts';
import { CategoryDirectory } from './modules/category/category.directory.ts';

/** Builds the catalogue service (database migrated, demo data seeded if asked); nothing listens yet. */
export function createCatalogueService(config: SubgraphConfig, logger?: Logger): Promise<SubgraphService<CatalogueContext>> {
  return createSubgraphService<CatalogueContext>({
    module: { name, typeDefs, resolvers },
    config,
    entities,
    migrations,
    ...(logger ? { logger } : {}),
    seedDemoData: seedDemoDataIfEmpty,
    contextFactory: async (database) => {
      const categories = await CategoryDirectory.load(database.fork());
      return (base) => createCatalogueContext(base, categories);
    },
  });
}
