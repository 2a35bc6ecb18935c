import { outboxFeed } from '@opop/server-kit';
import { PublishCursor, PublishOutboxEvent } from './publish-outbox.entity.ts';

/** The relay's place in the outbox. */
export const RELAY_CURSOR = 'storefront-publisher';

/** Published articles, as the storefront is told them: `{ articles: slugs }`. */
export const articleChanges = outboxFeed({
  events: PublishOutboxEvent,
  cursors: PublishCursor,
  cursorName: RELAY_CURSOR,
  notice: (events) => ({ products: [], sellers: [], articles: [...new Set(events.map((event) => event.articleSlug))] }),
});
