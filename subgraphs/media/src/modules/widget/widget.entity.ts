import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Outlet } from '../outlet/outlet.entity.ts';

export const WIDGET_KINDS = ['PRODUCT_CARD', 'PRODUCT_GRID', 'SEARCH', 'PESANTREN_BADGE'] as const;
export const WIDGET_EVENT_KINDS = ['VIEW', 'CLICK'] as const;

/**
 * A widget embedded on an outlet's page. `placementKey` is a hash of what identifies it (outlet,
 * page, widget, products, pesantren), so the widgets' first event creates it and later ones find it.
 */
const WidgetPlacementSchema = defineEntity({
  name: 'WidgetPlacement',
  tableName: 'widget_placement',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    placementKey: p.string().length(64).unique(),
    outlet: () => p.manyToOne(Outlet).index(),
    pageUrl: p.string().length(500),
    widget: p.enum(WIDGET_KINDS),
    productIds: p.array().onCreate(() => []),
    pesantrenId: p.uuid().nullable(),
    views: p.integer().default(0),
    clicks: p.integer().default(0),
    firstSeenAt: p.datetime().onCreate(() => new Date()),
    lastSeenAt: p.datetime().onCreate(() => new Date()),
    isDemo: p.boolean().default(false),
  },
});

export class WidgetPlacement extends WidgetPlacementSchema.class {}
WidgetPlacementSchema.setClass(WidgetPlacement);

/**
 * One counted event. The unique `dedupeKey` (placement, kind, hashed visitor, 30-minute window)
 * makes a repeat within the window a no-op, so reloads and double clicks count once.
 */
const WidgetEventSchema = defineEntity({
  name: 'WidgetEvent',
  tableName: 'widget_event',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    placement: () => p.manyToOne(WidgetPlacement).index(),
    kind: p.enum(WIDGET_EVENT_KINDS),
    dedupeKey: p.string().length(64).unique(),
    /** Shared by every visitor of one network, so a network's events can be capped (server-kit counterKeys). */
    networkKey: p.string().length(64).nullable().index(),
    at: p.datetime().onCreate(() => new Date()),
  },
});

export class WidgetEvent extends WidgetEventSchema.class {}
WidgetEventSchema.setClass(WidgetEvent);

/**
 * Counted views and clicks of one outlet's widgets of one kind on one day (Asia/Jakarta), for
 * `Query.widgetStats`. Written in the transaction that records each counted event, so it always
 * equals the counted events of that outlet, day and kind; demo placements, which carry counts
 * without events, have none.
 */
const WidgetDailyStatSchema = defineEntity({
  name: 'WidgetDailyStat',
  tableName: 'widget_daily_stat',
  properties: {
    outlet: () => p.manyToOne(Outlet).primary(),
    day: p.date().primary(),
    widget: p.enum(WIDGET_KINDS).primary(),
    views: p.integer().default(0),
    clicks: p.integer().default(0),
  },
});

export class WidgetDailyStat extends WidgetDailyStatSchema.class {}
WidgetDailyStatSchema.setClass(WidgetDailyStat);
