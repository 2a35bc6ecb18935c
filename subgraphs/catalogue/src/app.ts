import { createSubgraphService, federatedReferences, SharedCounts, StorefrontRelay, type EntityReferences, type Logger, type SubgraphService } from '@opop/server-kit';
import { LISTED_COUNTS_TTL_MS } from './modules/product/product.repository.ts';
import { migrations } from '../migrations/index.ts';
import { seedDemoDataIfEmpty } from '../seeders/catalogue.seeder.ts';
import { seedDemoPhotos } from '../seeders/demo-photos.ts';
import { DEFAULT_PHOTOS, type CatalogueConfig, type PhotosConfig } from './config.ts';
import { createCatalogueContext, type CatalogueContext } from './context.ts';
import { entities } from './entities.ts';
import { name, resolvers, typeDefs } from './index.ts';
import { CategoryDirectory } from './modules/category/category.directory.ts';
import { DiskPhotoStore } from './modules/photo/disk-store.ts';
import { PhotoPipeline } from './modules/photo/photo.pipeline.ts';
import { PhotoQueue } from './modules/photo/photo.queue.ts';
import { startOrderExpiry } from './modules/order/order-expiry.ts';
import { DEFAULT_ORDER_POLICY } from './modules/order/order-policy.ts';
import { catalogueChanges, RELAY_STOREFRONT } from './modules/publishing/storefront-relay.ts';
import { photoRoutes } from './modules/photo/photo.routes.ts';
import type { PhotoStore } from './modules/photo/photo-store.ts';
import { S3PhotoStore } from './modules/photo/s3-store.ts';
import { UploadTokens } from './modules/photo/upload-token.ts';
import { EmbeddedSearchIndex } from './modules/search/embedded-index.ts';
import { SearchIndexer } from './modules/search/indexer.ts';
import { MeilisearchIndex } from './modules/search/meilisearch-index.ts';
import type { SearchOutboxEvent } from './modules/search/outbox.entity.ts';
import { SearchOutboxSubscriber } from './modules/search/outbox.subscriber.ts';
import type { SearchIndex } from './modules/search/search-index.ts';

export interface CatalogueServiceOptions {
  logger?: Logger;
  /** Replaces the configured search index (tests inject failing or shared ones). */
  searchIndex?: SearchIndex;
  /** Where a new seller's pesantren is checked (default: the pesantren subgraph at config.pesantrenUrl). */
  pesantrenReferences?: EntityReferences;
  /** Replaces the configured photo store (tests use a temporary folder or a failing store). */
  photoStore?: PhotoStore;
  /** The clock of curation steps and waiting times (tests set the time; default: the system's). */
  now?: () => Date;
}

export interface CatalogueService extends SubgraphService<CatalogueContext> {
  indexer: SearchIndexer;
  photos: PhotoPipeline;
}

/** The store the configuration asks for: S3 with S3_URL, the local disk otherwise. */
export function configuredPhotoStore(photos: PhotosConfig): PhotoStore {
  return photos.s3 ? new S3PhotoStore(photos.s3) : new DiskPhotoStore(photos.directory, photos.publicUrl);
}

/** The index the configuration asks for: Meilisearch with MEILI_URL, the embedded one otherwise. */
export function configuredSearchIndex(config: CatalogueConfig): SearchIndex {
  const { meiliUrl, meiliApiKey, meiliIndex } = config.search;
  return meiliUrl ? new MeilisearchIndex(meiliUrl, meiliApiKey, meiliIndex) : new EmbeddedSearchIndex();
}

/**
 * Builds the catalogue service: database migrated, demo data seeded if asked, search index built
 * (or resumed) and kept current through the outbox. Nothing listens yet.
 */
export async function createCatalogueService(config: CatalogueConfig, options: CatalogueServiceOptions = {}): Promise<CatalogueService> {
  let indexer: SearchIndexer | undefined;
  let pipeline: PhotoPipeline | undefined;
  let relay: StorefrontRelay<SearchOutboxEvent> | undefined;
  const photosConfig = config.photos ?? DEFAULT_PHOTOS;
  const orderPolicy = config.orders ?? DEFAULT_ORDER_POLICY;
  if (!config.pesantrenUrl && !options.pesantrenReferences && config.environment === 'production') {
    throw new Error('PESANTREN_URL is required in production: sellers are checked against the pesantren they name');
  }
  const pesantren =
    options.pesantrenReferences ??
    (config.pesantrenUrl ? federatedReferences({ url: config.pesantrenUrl, identitySecret: config.identitySecret, caller: 'subgraph:catalogue' }) : undefined);
  // Listed-product counts (category menus, first pages of shoppers' lists), shared by this
  // process's requests: dropped when it commits a product change, kept a minute at most otherwise.
  const counts = new SharedCounts(LISTED_COUNTS_TTL_MS);
  const service = await createSubgraphService<CatalogueContext>({
    module: { name, typeDefs, resolvers },
    config,
    entities,
    migrations,
    ...(options.logger ? { logger: options.logger } : {}),
    subscribers: [new SearchOutboxSubscriber(() => {
      counts.clear();
      indexer?.notify();
      void relay?.notify();
    })],
    seedDemoData: seedDemoDataIfEmpty,
    runtime: async (database, logger) => {
      if (!pesantren) logger.warn('PESANTREN_URL is not set: new sellers are not checked against the pesantren subgraph (their pesantren and regency are taken as given)');
      const categories = await CategoryDirectory.load(database.fork());
      const index = options.searchIndex ?? configuredSearchIndex(config);
      const running = new SearchIndexer(database, index, categories, logger, {
        persistentCursor: index.kind === 'meilisearch' ? `meilisearch:${config.search.meiliIndex}` : undefined,
        pollMs: config.search.pollMs,
        batchSize: 500,
        maxBackoffMs: 30_000,
      });
      indexer = running;
      await running.start();
      const store = options.photoStore ?? configuredPhotoStore(photosConfig);
      const queue = await PhotoQueue.start({
        database,
        databaseUrl: config.database.url,
        schema: `${config.database.schema}_jobs`,
        logger,
        concurrency: photosConfig.concurrency,
      });
      const photos = new PhotoPipeline({ database, store, queue, tokens: new UploadTokens(config.identitySecret), logger, publicApiUrl: photosConfig.publicApiUrl });
      pipeline = photos;
      await queue.processWith((job, attempt) => photos.process(job.photoId, attempt));
      await queue.sweepWith(async () => void (await photos.sweep()));
      if (config.storefrontPublish) relay = await StorefrontRelay.start({ database, boss: queue.boss, queue: RELAY_STOREFRONT, feed: catalogueChanges, ...config.storefrontPublish, logger });
      await startOrderExpiry({ database, boss: queue.boss, logger, ...(options.now ? { now: options.now } : {}) });
      // Demo illustrations for about one product in four, through the pipeline (demo scale, first start; not in tests).
      if (config.seedDemoData && config.environment !== 'test') await seedDemoPhotos(database, photos, logger);
      return {
        createContext: (base) => createCatalogueContext(base, categories, running, pesantren, photos, counts, orderPolicy, options.now),
        close: async () => {
          await queue.stop();
          await running.stop();
        },
        readiness: async () => {
          await store.ping();
          return {
            search: await running.status(),
            photos: { store: store.kind, waiting: await queue.pending() },
            ...(relay ? { storefront: { unpublishedChanges: await relay.pending() } } : {}),
          };
        },
      };
    },
  });
  await photoRoutes(service.server.app, pipeline!);
  return { ...service, indexer: indexer!, photos: pipeline! };
}
