import { defineEntity, p } from '@mikro-orm/core';

/**
 * "An engagement was recorded or changed", written in the same transaction as the change, for the
 * storefront relay to tell the storefront (which publishes its partner's page and its pesantren's).
 */
const PublishOutboxEventSchema = defineEntity({
  name: 'PublishOutboxEvent',
  tableName: 'publish_outbox',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    engagementId: p.uuid(),
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
