import { generateWorld } from '@opop/demo-data';
import { runSeedCommand } from '@opop/server-kit/seed';
import { migrations } from '../migrations/index.ts';
import { loadAcademics } from '../seeders/academics.seeder.ts';
import { loadAcademicsConfig } from './config.ts';
import { entities } from './entities.ts';

await runSeedCommand({ loadConfig: () => loadAcademicsConfig(), entities, migrations, generate: generateWorld, load: loadAcademics });
