import { parseArgs } from 'node:util';
import { openDatabase, type DatabaseOptions, type EntityManager } from './database.ts';
import { createLogger } from './logger.ts';
import { runMain } from './main.ts';
import type { SubgraphConfig } from './subgraph.ts';

export const SEED_SCALES = ['demo', 'medium', 'full'] as const;
export type SeedScale = (typeof SEED_SCALES)[number];

export interface SeedCommandOptions<TWorld> extends Pick<DatabaseOptions, 'entities' | 'migrations'> {
  loadConfig: () => SubgraphConfig;
  generate: (scale: SeedScale) => TWorld;
  load: (em: EntityManager, world: TWorld) => Promise<Record<string, number>>;
}

/**
 * A subgraph's `seed` command: `--scale demo|medium|full` replaces the subgraph's data with the
 * generated world's. Refused in production, where it would erase real records.
 */
export async function runSeedCommand<TWorld>(options: SeedCommandOptions<TWorld>): Promise<void> {
  await runMain(async () => {
    const { values } = parseArgs({ options: { scale: { type: 'string', default: 'demo' } } });
    const scale = SEED_SCALES.find((known) => known === values.scale);
    if (!scale) throw new Error(`--scale must be one of ${SEED_SCALES.join(', ')}, not ${values.scale}`);
    const config = options.loadConfig();
    if (config.environment === 'production') throw new Error('Refusing to replace data with generated data in production (NODE_ENV=production).');
    const logger = createLogger(`${config.service}-seed`, config.logLevel === 'info' ? 'warn' : config.logLevel);
    const started = performance.now();
    const world = options.generate(scale);
    const generatedMs = performance.now() - started;
    const database = await openDatabase({ service: config.service, config: config.database, entities: options.entities, migrations: options.migrations, logger });
    try {
      const counts = await options.load(database.fork(), world);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${config.service}: loaded ${Object.entries(counts).map(([kind, n]) => `${n.toLocaleString('en')} ${kind}`).join(', ')} ` +
          `(${scale} scale) in ${seconds.toFixed(1)} s, of which ${(generatedMs / 1000).toFixed(1)} s generating`,
      );
    } finally {
      await database.close();
    }
  });
}
