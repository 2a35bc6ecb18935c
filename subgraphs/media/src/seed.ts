import { generateWorld } from '@opop/demo-data';
import { runSeedCommand } from '@opop/server-kit/seed';
import { migrations } from '../migrations/index.ts';
import { loadMedia } from '../seeders/media.seeder.ts';
import { loadMediaConfig } from './config.ts';
import { entities } from './entities.ts';

await runSeedCommand({ loadConfig: () => loadMediaConfig(), entities, migrations, generate: generateWorld, load: loadMedia });
