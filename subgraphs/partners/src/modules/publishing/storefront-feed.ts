import { outboxFeed } from '@opop/server-kit';
import { PublishCursor, PublishOutboxEvent } from './publish-outbox.entity.ts';

/** The relay's place in the outbox. */
export const RELAY_CURSOR = 'storefront-publisher';

/** Recorded engagements, as the storefront is told them: `{ engagements: ids }`. */
export const engagementChanges = outboxFeed({
  events: PublishOutboxEvent,
  cursors: PublishCursor,
  cursorName: RELAY_CURSOR,
  notice: (events) => ({ products: [], sellers: [], engagements: [...new Set(events.map((event) => event.engagementId))] }),
});
