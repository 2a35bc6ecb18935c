import { generateWorld } from '@opop/demo-data';
import { runSeedCommand } from '@opop/server-kit/seed';
import { migrations } from '../migrations/index.ts';
import { loadCatalogue } from '../seeders/catalogue.seeder.ts';
import { loadCatalogueConfig } from './config.ts';
import { entities } from './entities.ts';

await runSeedCommand({ loadConfig: () => loadCatalogueConfig(), entities, migrations, generate: generateWorld, load: loadCatalogue });
