import type { ChangeFeed } from '@opop/server-kit';
import { SearchIndexCursor, SearchOutboxEvent } from '../search/outbox.entity.ts';

/** The pg-boss queue of the catalogue's storefront relay (server-kit's StorefrontRelay). */
export const RELAY_STOREFRONT = 'storefront-relay';
/** The relay's place in the outbox, kept beside the search indexes' cursors. */
export const RELAY_CURSOR = 'storefront-publisher';

/**
 * The catalogue's changes as the storefront is told them: its outbox (search_outbox) already has
 * an event for every flush that changes a product or seller, written in the same transaction.
 */
export const catalogueChanges: ChangeFeed<SearchOutboxEvent> = {
  after: (em, cursor, limit) => em.find(SearchOutboxEvent, { id: { $gt: cursor } }, { orderBy: { id: 'asc' }, limit }),
  latest: async (em) => (await em.find(SearchOutboxEvent, {}, { orderBy: { id: 'desc' }, limit: 1, fields: ['id'] }))[0]?.id ?? 0,
  countAfter: (em, cursor) => em.count(SearchOutboxEvent, { id: { $gt: cursor } }),
  readCursor: async (em) => (await em.findOne(SearchIndexCursor, { indexName: RELAY_CURSOR }))?.lastEventId,
  writeCursor: async (em, cursor) => void (await em.upsert(SearchIndexCursor, { indexName: RELAY_CURSOR, lastEventId: cursor, updatedAt: new Date() })),
  notice: (events) => ({
    products: [...new Set(events.flatMap((event) => (event.productId ? [event.productId] : [])))],
    sellers: [...new Set(events.flatMap((event) => (event.sellerId ? [event.sellerId] : [])))],
  }),
};
