import { createMigrationFromArgs } from '@opop/server-kit/migrations';
import { migrations } from '../migrations/index.ts';
import { entities } from './entities.ts';

await createMigrationFromArgs({ service: 'partners', entities, migrations, directory: new URL('../migrations', import.meta.url).pathname });
