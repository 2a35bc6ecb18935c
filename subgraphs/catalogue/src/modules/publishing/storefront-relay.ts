import { createHmac } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import { runAsBackgroundWork, type Database, type Logger } from '@opop/server-kit';
import { SearchIndexCursor, SearchOutboxEvent } from '../search/outbox.entity.ts';

/** The pg-boss queue of the relay; one job queued and one running at most (policy "stately"). */
export const RELAY_STOREFRONT = 'storefront-relay';
/** The relay's place in the outbox, kept beside the search indexes' cursors. */
export const RELAY_CURSOR = 'storefront-publisher';
/** Events sent per request: a burst of changes becomes one partial build. */
const BATCH = 1000;

export interface StorefrontRelayOptions {
  database: Database;
  boss: PgBoss;
  url: string;
  secret: string;
  logger: Logger;
  /** How long the storefront may take to publish a batch (it answers when the pages are served). */
  timeoutMs?: number;
}

/**
 * Tells the storefront what changed, so it publishes only the pages those changes touch
 * (storefront/server/publisher.ts). The catalogue's changes are already in its transactional
 * outbox (search_outbox: every flush that changes a product or seller writes one, in the same
 * transaction). This relay reads the outbox after its cursor and POSTs the changed product and
 * seller ids, signed, to the storefront; the cursor moves only when the storefront has published
 * them. It runs as a pg-boss job: woken after each commit that wrote events, every minute as a
 * safety net, and retried with backoff while the storefront is down, so no change is lost.
 */
export class StorefrontRelay {
  readonly #options: StorefrontRelayOptions;

  private constructor(options: StorefrontRelayOptions) {
    this.#options = options;
  }

  static async start(options: StorefrontRelayOptions): Promise<StorefrontRelay> {
    const relay = new StorefrontRelay(options);
    const { boss, database } = options;
    await relay.#cursor();
    await boss.createQueue(RELAY_STOREFRONT, { policy: 'stately', retryLimit: 20, retryDelay: 2, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 600 });
    await boss.work(RELAY_STOREFRONT, { pollingIntervalSeconds: 1 }, async () => runAsBackgroundWork(() => relay.#relay()));
    await boss.schedule(RELAY_STOREFRONT, '* * * * *');
    await relay.notify();
    return relay;
  }

  /** After a commit that wrote outbox events: a job, unless one is already waiting. */
  async notify(): Promise<void> {
    try {
      await this.#options.boss.send(RELAY_STOREFRONT, {});
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'could not wake the storefront relay; the minute schedule will');
    }
  }

  /** One batch; throws (and pg-boss tries again later) when the storefront cannot publish it. */
  async #relay(): Promise<void> {
    const { database, url, secret, logger, timeoutMs = 300_000 } = this.#options;
    const em = database.fork();
    const cursor = await this.#cursor();
    const events = await em.find(SearchOutboxEvent, { id: { $gt: cursor } }, { orderBy: { id: 'asc' }, limit: BATCH });
    if (events.length === 0) return;
    const body = JSON.stringify({
      products: [...new Set(events.flatMap((event) => (event.productId ? [event.productId] : [])))],
      sellers: [...new Set(events.flatMap((event) => (event.sellerId ? [event.sellerId] : [])))],
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-opop-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`the storefront did not publish the change (${response.status}): ${(await response.text()).slice(0, 300)}`);
    const last = events.at(-1)!.id;
    await em.upsert(SearchIndexCursor, { indexName: RELAY_CURSOR, lastEventId: last, updatedAt: new Date() });
    logger.info({ events: events.length, upTo: last, published: await response.json() }, 'storefront published the catalogue changes');
    if (events.length === BATCH) await this.notify();
  }

  /**
   * Where the relay is in the outbox. Without a place yet (a new catalogue, or data loaded over
   * it since) it starts at the outbox's end: the storefront's full build shows everything before.
   */
  async #cursor(): Promise<number> {
    const em = this.#options.database.fork();
    const row = await em.findOne(SearchIndexCursor, { indexName: RELAY_CURSOR });
    if (row) return row.lastEventId;
    const [latest] = await em.find(SearchOutboxEvent, {}, { orderBy: { id: 'desc' }, limit: 1, fields: ['id'] });
    await em.upsert(SearchIndexCursor, { indexName: RELAY_CURSOR, lastEventId: latest?.id ?? 0, updatedAt: new Date() });
    return latest?.id ?? 0;
  }

  /** Outbox events the storefront has not published yet, for /ready. */
  async pending(): Promise<number> {
    const em = this.#options.database.fork();
    const cursor = (await em.findOne(SearchIndexCursor, { indexName: RELAY_CURSOR }))?.lastEventId ?? 0;
    return em.count(SearchOutboxEvent, { id: { $gt: cursor } });
  }
}
