import { createHmac } from 'node:crypto';
import type { EntityClass, EventSubscriber, FlushEventArgs } from '@mikro-orm/core';
import type { PgBoss } from 'pg-boss';
import { runAsBackgroundWork, type Database, type EntityManager } from './database.ts';
import { openJobQueue } from './jobs.ts';
import type { Logger } from './logger.ts';

/** Events sent per request: a burst of changes becomes one partial build. */
const BATCH = 1000;

/**
 * A service's transactional outbox, as the relay reads it: events in id order, each written in
 * the transaction of the change it records, and where the relay has got to.
 */
export interface ChangeFeed<TEvent extends { id: number }> {
  /** The events after `cursor`, in id order, at most `limit`. */
  after(em: EntityManager, cursor: number, limit: number): Promise<TEvent[]>;
  /** The newest event's id, or 0: where a relay with no place yet starts. */
  latest(em: EntityManager): Promise<number>;
  /** How many events are after `cursor`. */
  countAfter(em: EntityManager, cursor: number): Promise<number>;
  readCursor(em: EntityManager): Promise<number | undefined>;
  writeCursor(em: EntityManager, cursor: number): Promise<void>;
  /** What the storefront is told of a batch: changed ids by kind (`products`, `sellers`, `pesantren`). */
  notice(events: readonly TEvent[]): Record<string, string[]>;
}

export interface StorefrontRelayOptions<TEvent extends { id: number }> {
  database: Database;
  boss: PgBoss;
  /** The pg-boss queue of the relay (one per service). */
  queue: string;
  feed: ChangeFeed<TEvent>;
  /** The storefront's /_publish. */
  url: string;
  secret: string;
  logger: Logger;
  /** How long the storefront may take to publish a batch (it answers when the pages are served). */
  timeoutMs?: number;
}

/**
 * Tells the storefront what changed, so it publishes only the pages those changes touch
 * (storefront/server/publisher.ts). Reads the service's outbox after its cursor and POSTs the
 * changed ids, signed, to the storefront; the cursor moves only when the storefront has published
 * them. It runs as a pg-boss job: woken after each commit that wrote events, every minute as a
 * safety net, and retried with backoff while the storefront is down, so no change is lost.
 */
export class StorefrontRelay<TEvent extends { id: number }> {
  readonly #options: StorefrontRelayOptions<TEvent>;

  private constructor(options: StorefrontRelayOptions<TEvent>) {
    this.#options = options;
  }

  static async start<TEvent extends { id: number }>(options: StorefrontRelayOptions<TEvent>): Promise<StorefrontRelay<TEvent>> {
    const relay = new StorefrontRelay(options);
    const { boss, queue } = options;
    await relay.#cursor();
    // "stately": one job queued and one running at most.
    await boss.createQueue(queue, { policy: 'stately', retryLimit: 20, retryDelay: 2, retryBackoff: true, retryDelayMax: 300, expireInSeconds: 600 });
    await boss.work(queue, { pollingIntervalSeconds: 1 }, async () => runAsBackgroundWork(() => relay.#relay()));
    await boss.schedule(queue, '* * * * *');
    await relay.notify();
    return relay;
  }

  /** After a commit that wrote outbox events: a job, unless one is already waiting. */
  async notify(): Promise<void> {
    try {
      await this.#options.boss.send(this.#options.queue, {});
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'could not wake the storefront relay; the minute schedule will');
    }
  }

  /** One batch; throws (and pg-boss tries again later) when the storefront cannot publish it. */
  async #relay(): Promise<void> {
    const { database, feed, url, secret, logger, timeoutMs = 300_000 } = this.#options;
    const em = database.fork();
    const events = await feed.after(em, await this.#cursor(), BATCH);
    if (events.length === 0) return;
    const body = JSON.stringify(feed.notice(events));
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-opop-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`the storefront did not publish the change (${response.status}): ${(await response.text()).slice(0, 300)}`);
    const last = events.at(-1)!.id;
    await feed.writeCursor(em, last);
    logger.info({ events: events.length, upTo: last, published: await response.json() }, 'storefront published the changes');
    if (events.length === BATCH) await this.notify();
  }

  /**
   * Where the relay is in the outbox. Without a place yet (a new service, or data loaded over it
   * since) it starts at the outbox's end: the storefront's full build shows everything before.
   */
  async #cursor(): Promise<number> {
    const { database, feed } = this.#options;
    const em = database.fork();
    const cursor = await feed.readCursor(em);
    if (cursor !== undefined) return cursor;
    const latest = await feed.latest(em);
    await feed.writeCursor(em, latest);
    return latest;
  }

  /** Outbox events the storefront has not published yet, for /ready. */
  async pending(): Promise<number> {
    const { database, feed } = this.#options;
    const em = database.fork();
    return feed.countAfter(em, (await feed.readCursor(em)) ?? 0);
  }
}

export interface RelayToStorefrontOptions<TEvent extends { id: number }> {
  database: Database;
  /** Real PostgreSQL (pg-boss opens its own small pool there); unset for PGlite. */
  databaseUrl: string | undefined;
  /** The service's own schema: the queue's tables go in `<schema>_jobs` beside it. */
  schema: string;
  service: string;
  publish: { url: string; secret: string };
  feed: ChangeFeed<TEvent>;
  logger: Logger;
}

/**
 * A subgraph's relay to the storefront on a pg-boss queue of its own: what a service's runtime
 * needs to start it, stop it and report it in /ready.
 */
export async function relayToStorefront<TEvent extends { id: number }>(options: RelayToStorefrontOptions<TEvent>) {
  const { database, databaseUrl, schema, service, publish, feed, logger } = options;
  const boss = await openJobQueue({ database, databaseUrl, schema: `${schema}_jobs`, logger, applicationName: `${service}-jobs` });
  const relay = await StorefrontRelay.start({ database, boss, queue: 'storefront-relay', feed, ...publish, logger });
  return {
    relay,
    close: async () => void (await boss.stop()),
    readiness: async () => ({ storefront: { unpublishedChanges: await relay.pending() } }),
  };
}

/** What an outbox feed reads of a cursor row: one per relay, by name. */
interface CursorRow {
  name: string;
  lastEventId: number;
  updatedAt: Date;
}

/**
 * The change feed of a subgraph's `publish_outbox`: its events in id order, and the relay's
 * cursor in `publish_cursor` (each subgraph defines both tables; they are its own).
 */
export function outboxFeed<TEvent extends { id: number }>(options: {
  events: EntityClass<TEvent>;
  cursors: EntityClass<CursorRow>;
  /** The relay's row in the cursor table. */
  cursorName: string;
  notice: (events: readonly TEvent[]) => Record<string, string[]>;
}): ChangeFeed<TEvent> {
  const { events, cursors, cursorName, notice } = options;
  // The ORM's filter types cannot follow a generic entity; these are the properties every outbox has.
  const after = (cursor: number) => ({ id: { $gt: cursor } }) as never;
  return {
    after: (em, cursor, limit) => em.find(events, after(cursor), { orderBy: { id: 'asc' } as never, limit }),
    latest: async (em) => (await em.find(events, {} as never, { orderBy: { id: 'desc' } as never, limit: 1 }))[0]?.id ?? 0,
    countAfter: (em, cursor) => em.count(events, after(cursor)),
    readCursor: async (em) => (await em.findOne(cursors, { name: cursorName } as never))?.lastEventId,
    writeCursor: async (em, cursor) => void (await em.upsert(cursors, { name: cursorName, lastEventId: cursor, updatedAt: new Date() } as never)),
    notice,
  };
}

/**
 * Writes an outbox event for every entity a flush creates or changes that `eventOf` names, in that
 * flush's transaction, so the storefront hears of every committed change and of nothing rolled
 * back; `onWritten` wakes the relay after a flush that wrote events.
 */
export class OutboxSubscriber<TEvent extends object> implements EventSubscriber {
  readonly #events: EntityClass<TEvent>;
  readonly #eventOf: (entity: object) => { key: string; event: Partial<TEvent> } | undefined;
  readonly #onWritten: () => void;

  constructor(events: EntityClass<TEvent>, eventOf: (entity: object) => { key: string; event: Partial<TEvent> } | undefined, onWritten: () => void) {
    this.#events = events;
    this.#eventOf = eventOf;
    this.#onWritten = onWritten;
  }

  onFlush({ em, uow }: FlushEventArgs): void {
    const changed = new Map<string, Partial<TEvent>>();
    for (const changeSet of uow.getChangeSets()) {
      const found = this.#eventOf(changeSet.entity);
      if (found) changed.set(found.key, found.event);
    }
    for (const event of changed.values()) uow.computeChangeSet(em.create(this.#events, event as never));
  }

  afterFlush({ uow }: FlushEventArgs): void {
    if (uow.getChangeSets().some((changeSet) => changeSet.entity instanceof this.#events)) this.#onWritten();
  }
}
