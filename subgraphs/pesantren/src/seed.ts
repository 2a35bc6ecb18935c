import { generateWorld } from '@opop/demo-data';
import { runSeedCommand } from '@opop/server-kit/seed';
import { migrations } from '../migrations/index.ts';
import { loadPesantren } from '../seeders/pesantren.seeder.ts';
import { loadPesantrenConfig } from './config.ts';
import { entities } from './entities.ts';

await runSeedCommand({ loadConfig: () => loadPesantrenConfig(), entities, migrations, generate: generateWorld, load: loadPesantren });
