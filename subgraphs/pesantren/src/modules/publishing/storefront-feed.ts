import type { ChangeFeed } from '@opop/server-kit';
import { PublishCursor, PublishOutboxEvent } from './publish-outbox.entity.ts';

/** The relay's place in the outbox. */
export const RELAY_CURSOR = 'storefront-publisher';

/** Registered and edited pesantren, as the storefront is told them: `{ pesantren: ids }`. */
export const pesantrenChanges: ChangeFeed<PublishOutboxEvent> = {
  after: (em, cursor, limit) => em.find(PublishOutboxEvent, { id: { $gt: cursor } }, { orderBy: { id: 'asc' }, limit }),
  latest: async (em) => (await em.find(PublishOutboxEvent, {}, { orderBy: { id: 'desc' }, limit: 1, fields: ['id'] }))[0]?.id ?? 0,
  countAfter: (em, cursor) => em.count(PublishOutboxEvent, { id: { $gt: cursor } }),
  readCursor: async (em) => (await em.findOne(PublishCursor, { name: RELAY_CURSOR }))?.lastEventId,
  writeCursor: async (em, cursor) => void (await em.upsert(PublishCursor, { name: RELAY_CURSOR, lastEventId: cursor, updatedAt: new Date() })),
  notice: (events) => ({ products: [], sellers: [], pesantren: [...new Set(events.map((event) => event.pesantrenId))] }),
};
