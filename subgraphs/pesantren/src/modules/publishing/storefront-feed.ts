import { outboxFeed } from '@opop/server-kit';
import { PublishCursor, PublishOutboxEvent } from './publish-outbox.entity.ts';

/** The relay's place in the outbox. */
export const RELAY_CURSOR = 'storefront-publisher';

/** Registered and edited pesantren, as the storefront is told them: `{ pesantren: ids }`. */
export const pesantrenChanges = outboxFeed({
  events: PublishOutboxEvent,
  cursors: PublishCursor,
  cursorName: RELAY_CURSOR,
  notice: (events) => ({ products: [], sellers: [], pesantren: [...new Set(events.map((event) => event.pesantrenId))] }),
});
