import { runAsBackgroundWork, type Database, type EntityManager, type Logger } from '@opop/server-kit';
import type { CategoryDirectory } from '../category/category.directory.ts';
import { isListed, LISTED_STATUSES, Product } from '../product/product.entity.ts';
import { toDocument } from './document.ts';
import { SearchIndexCursor, SearchOutboxEvent } from './outbox.entity.ts';
import type { ProductDocument, SearchIndex } from './search-index.ts';

export interface IndexerOptions {
  /** Name the cursor is stored under, for an index that outlives the process (Meilisearch). */
  persistentCursor: string | undefined;
  pollMs: number;
  batchSize: number;
  maxBackoffMs: number;
}

export interface IndexerStatus {
  engine: SearchIndex['kind'];
  ready: boolean;
  /** Null while the index is being built or cannot be reached. */
  documents: number | null;
  /** Outbox events written but not yet applied to the index. */
  pendingEvents: number;
  lastError: string | null;
}

const REBUILD_BATCH = 2_000;

/**
 * Keeps the search index in step with the catalogue through the outbox: it applies events in id
 * order, re-reading each product's current state, so applying an event twice or late is
 * harmless. When the index cannot be reached it backs off (doubling, up to `maxBackoffMs`) and
 * tries again; nothing is lost, because the events stay in the outbox until applied.
 */
export class SearchIndexer {
  readonly #database: Database;
  readonly #index: SearchIndex;
  readonly #categories: CategoryDirectory;
  readonly #logger: Logger;
  readonly #options: IndexerOptions;
  #cursor = 0;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #backoffMs = 0;
  #stopped = true;
  #ready = false;
  #lastError: string | null = null;

  constructor(database: Database, index: SearchIndex, categories: CategoryDirectory, logger: Logger, options: IndexerOptions) {
    this.#database = database;
    this.#index = index;
    this.#categories = categories;
    this.#logger = logger;
    this.#options = options;
  }

  get index(): SearchIndex {
    return this.#index;
  }

  /**
   * Brings the index up to date, then keeps it there. An in-memory index, or an external one
   * that has never been built, is rebuilt from the database; otherwise indexing resumes where
   * the stored cursor says it stopped. When the index cannot be reached, the catalogue still
   * starts: search answers SERVICE_UNAVAILABLE while the indexer keeps trying in the background.
   */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#tick();
  }

  /** Whether searches can be answered: the index has been built or resumed. */
  get ready(): boolean {
    return this.#ready;
  }

  async #initialize(): Promise<void> {
    await this.#index.prepare();
    const stored = this.#options.persistentCursor ? await this.#storedCursor() : undefined;
    if (stored === undefined) await this.rebuild();
    else this.#cursor = stored;
    this.#ready = true;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  /** Wakes the indexer now (after a local write) instead of at its next poll. */
  notify(): void {
    if (!this.#stopped && this.#backoffMs === 0) this.#schedule(0);
  }

  /** Rebuilds the whole index from the database; events written meanwhile are replayed after. */
  async rebuild(onProgress?: (indexed: number, total: number) => void): Promise<number> {
    const em = this.#database.fork();
    const highWater = await this.#maxEventId(em);
    const total = await em.count(Product, { curationStatus: { $in: [...LISTED_STATUSES] } });
    const indexed = await this.#index.replaceAll(this.#listedDocuments(), (count) => onProgress?.(count, total));
    await this.#saveCursor(highWater);
    this.#logger.info({ engine: this.#index.kind, documents: indexed }, 'search index rebuilt');
    return indexed;
  }

  /** Applies every pending event now; returns how many it applied. Used at start-up and by tests. */
  async drain(): Promise<number> {
    if (!this.#ready) await this.#initialize();
    let applied = 0;
    for (let batch = await this.#applyBatch(); batch > 0; batch = await this.#applyBatch()) applied += batch;
    return applied;
  }

  async status(): Promise<IndexerStatus> {
    const em = this.#database.fork();
    return {
      engine: this.#index.kind,
      ready: this.#ready,
      documents: this.#ready ? await this.#index.count().catch(() => null) : null,
      pendingEvents: await em.count(SearchOutboxEvent, { id: { $gt: this.#cursor } }),
      lastError: this.#lastError,
    };
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#stopped || this.#running) return;
    this.#running = runAsBackgroundWork(() => this.drain());
    try {
      await this.#running;
      this.#backoffMs = 0;
      this.#lastError = null;
    } catch (error) {
      this.#backoffMs = Math.min(this.#options.maxBackoffMs, Math.max(this.#options.pollMs, this.#backoffMs * 2));
      this.#lastError = (error as Error).message;
      this.#logger.warn({ err: error, retryInMs: this.#backoffMs }, 'search indexing failed; will retry');
    } finally {
      this.#running = undefined;
    }
    if (!this.#stopped) this.#schedule(this.#backoffMs || this.#options.pollMs);
  }

  async #applyBatch(): Promise<number> {
    const em = this.#database.fork();
    const events = await em.find(SearchOutboxEvent, { id: { $gt: this.#cursor } }, { orderBy: { id: 'asc' }, limit: this.#options.batchSize });
    if (events.length === 0) return 0;
    const productIds = new Set(events.flatMap((event) => (event.productId ? [event.productId] : [])));
    const sellerIds = events.flatMap((event) => (event.sellerId ? [event.sellerId] : []));
    if (sellerIds.length) {
      for (const product of await em.find(Product, { seller: { $in: sellerIds } }, { fields: ['id'] })) productIds.add(product.id);
    }
    const products = await em.find(Product, { id: { $in: [...productIds] } }, { populate: ['seller'] });
    const listed = products.filter(isListed);
    const listedIds = new Set(listed.map((product) => product.id));
    await this.#index.upsert(listed.map((product) => toDocument(product, product.seller, this.#categories)));
    await this.#index.remove([...productIds].filter((id) => !listedIds.has(id)));
    await this.#saveCursor(events.at(-1)!.id);
    return events.length;
  }

  async *#listedDocuments(): AsyncGenerator<ProductDocument[]> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const em = this.#database.fork();
      const products = await em.find(
        Product,
        { curationStatus: { $in: [...LISTED_STATUSES] }, id: { $gt: after } },
        { populate: ['seller'], orderBy: { id: 'asc' }, limit: REBUILD_BATCH },
      );
      if (products.length === 0) return;
      yield products.map((product) => toDocument(product, product.seller, this.#categories));
      after = products.at(-1)!.id;
    }
  }

  async #maxEventId(em: EntityManager): Promise<number> {
    const [latest] = await em.find(SearchOutboxEvent, {}, { orderBy: { id: 'desc' }, limit: 1, fields: ['id'] });
    return latest?.id ?? 0;
  }

  async #storedCursor(): Promise<number | undefined> {
    const row = await this.#database.fork().findOne(SearchIndexCursor, { indexName: this.#options.persistentCursor! });
    return row?.lastEventId;
  }

  async #saveCursor(eventId: number): Promise<void> {
    this.#cursor = eventId;
    if (!this.#options.persistentCursor) return;
    await this.#database.fork().upsert(SearchIndexCursor, { indexName: this.#options.persistentCursor, lastEventId: eventId, updatedAt: new Date() });
  }
}
