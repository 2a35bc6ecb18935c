import { defineEntity, p } from '@mikro-orm/core';

/**
 * "An article was published or changed", written in the same transaction as the change, for the
 * storefront relay to tell the storefront (which publishes its page, the news list and the pages
 * of the pesantren it covers). The slug travels with it: the storefront reads articles by slug.
 */
const PublishOutboxEventSchema = defineEntity({
  name: 'PublishOutboxEvent',
  tableName: 'publish_outbox',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    articleId: p.uuid(),
    articleSlug: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class PublishOutboxEvent extends PublishOutboxEventSchema.class {}
PublishOutboxEventSchema.setClass(PublishOutboxEvent);

/** How far a relay (by name) has told the storefront of the outbox. */
const PublishCursorSchema = defineEntity({
  name: 'PublishCursor',
  tableName: 'publish_cursor',
  properties: {
    name: p.string().length(120).primary(),
    lastEventId: p.bigint('number'),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class PublishCursor extends PublishCursorSchema.class {}
PublishCursorSchema.setClass(PublishCursor);
