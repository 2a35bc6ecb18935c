import { defineEntity, p } from '@mikro-orm/core';

/**
 * "Something a product's search document depends on changed", written in the same transaction
 * as the change. The indexer reads these in id order; a crash between the write and the index
 * update leaves the row behind, so the index catches up when the indexer runs again.
 */
const SearchOutboxEventSchema = defineEntity({
  name: 'SearchOutboxEvent',
  tableName: 'search_outbox',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    /** The product whose document changed, or null when a seller changed (all its products). */
    productId: p.uuid().nullable(),
    sellerId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class SearchOutboxEvent extends SearchOutboxEventSchema.class {}
SearchOutboxEventSchema.setClass(SearchOutboxEvent);

/** How far an external index (Meilisearch) has applied the outbox; the embedded index keeps this in memory. */
const SearchIndexCursorSchema = defineEntity({
  name: 'SearchIndexCursor',
  tableName: 'search_index_cursor',
  properties: {
    indexName: p.string().length(120).primary(),
    lastEventId: p.bigint('number'),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class SearchIndexCursor extends SearchIndexCursorSchema.class {}
SearchIndexCursorSchema.setClass(SearchIndexCursor);
