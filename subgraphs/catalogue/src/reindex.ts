import { SingleBar, Presets } from 'cli-progress';
import { createLogger, openDatabase, runMain } from '@opop/server-kit';
import { migrations } from '../migrations/index.ts';
import { configuredSearchIndex } from './app.ts';
import { loadCatalogueConfig } from './config.ts';
import { entities } from './entities.ts';
import { CategoryDirectory } from './modules/category/category.directory.ts';
import { SearchIndexer } from './modules/search/indexer.ts';
import { SearchUnavailableError } from './modules/search/search-index.ts';

/**
 * `npm run reindex`: rebuilds the Meilisearch index from the catalogue's database, next to the
 * live index and swapped in when complete, then records how far the outbox is applied. The
 * embedded index lives inside the catalogue process and is rebuilt each time it starts.
 */
await runMain(async () => {
  const config = loadCatalogueConfig();
  if (!config.search.meiliUrl) {
    console.log('No MEILI_URL: the catalogue uses its embedded index, which it rebuilds from the database each time it starts. Nothing to do.');
    return;
  }
  const logger = createLogger('reindex', 'warn');
  const database = await openDatabase({ service: 'catalogue', config: config.database, entities, migrations, logger });
  try {
    const index = configuredSearchIndex(config);
    const indexer = new SearchIndexer(database, index, await CategoryDirectory.load(database.fork()), logger, {
      persistentCursor: `meilisearch:${config.search.meiliIndex}`,
      pollMs: 1_000,
      batchSize: 500,
      maxBackoffMs: 30_000,
    });
    await index.prepare().catch((error: unknown) => {
      if (!(error instanceof SearchUnavailableError)) throw error;
      console.error(`${error.message}. Is Meilisearch running (docker compose up -d meilisearch) and MEILI_API_KEY right?`);
      process.exit(1);
    });
    const bar = new SingleBar({ format: 'reindexing {bar} {value}/{total} products | {eta_formatted} left' }, Presets.shades_classic);
    let started = false;
    const startedAt = performance.now();
    const indexed = await indexer.rebuild((done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    });
    bar.stop();
    console.log(`Rebuilt ${config.search.meiliIndex} on ${config.search.meiliUrl}: ${indexed.toLocaleString('en')} products in ${((performance.now() - startedAt) / 1000).toFixed(1)} s.`);
  } finally {
    await database.close();
  }
});
