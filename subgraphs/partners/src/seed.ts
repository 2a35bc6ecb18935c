import { generateWorld } from '@opop/demo-data';
import { runSeedCommand } from '@opop/server-kit/seed';
import { migrations } from '../migrations/index.ts';
import { loadPartners } from '../seeders/partners.seeder.ts';
import { loadPartnersConfig } from './config.ts';
import { entities } from './entities.ts';

await runSeedCommand({ loadConfig: () => loadPartnersConfig(), entities, migrations, generate: generateWorld, load: loadPartners });
