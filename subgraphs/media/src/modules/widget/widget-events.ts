import { createHash, randomUUID } from 'node:crypto';
import { raw } from '@mikro-orm/core';
import { counterKeys, MAX_VISITORS_PER_NETWORK, type EntityManager, type Visitor } from '@opop/server-kit';
import type { Outlet } from '../outlet/outlet.entity.ts';
import { WidgetDailyStat, WidgetEvent, WidgetPlacement } from './widget.entity.ts';

/** A visitor's repeat of the same event on the same placement within this window counts once. */
export const DEDUPE_WINDOW_MS = 30 * 60 * 1000;

export interface WidgetEventRecord {
  outlet: Outlet;
  pageUrl: string;
  widget: WidgetPlacement['widget'];
  productIds: readonly string[];
  pesantrenId: string | null;
  event: WidgetEvent['kind'];
  visitor: Visitor;
  at: Date;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Asia/Jakarta (WIB) is UTC+7 all year: no daylight saving, no change since 1964. */
const JAKARTA_OFFSET_MS = 7 * 60 * 60 * 1000;

/** The calendar day an instant falls on in Asia/Jakarta, as `Query.widgetStats` reports days (2024-05-01). */
export const jakartaDay = (at: Date): string => new Date(at.getTime() + JAKARTA_OFFSET_MS).toISOString().slice(0, 10);

/** What identifies a placement: the outlet's page, the widget on it, and what it shows. */
export function placementKeyOf(outletId: string, pageUrl: string, widget: string, productIds: readonly string[], pesantrenId: string | null): string {
  return sha256(JSON.stringify([outletId, pageUrl, widget, [...new Set(productIds)].sort(), pesantrenId]));
}

/** The same page, however it was linked: no fragment, no utm_* tracking parameters. */
export function canonicalPageUrl(pageUrl: string): string {
  const url = new URL(pageUrl);
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) if (key.toLowerCase().startsWith('utm_')) url.searchParams.delete(key);
  return url.toString();
}

/**
 * Counts one widget event: finds or creates the placement, records the event unless the same
 * visitor already did the same within the window (or the visitor's network already counted its
 * share), and bumps the placement's counter and the outlet's day of that widget kind only when it
 * recorded one. All in one transaction, so neither count ever disagrees with its events.
 */
export async function recordWidgetEvent(em: EntityManager, record: WidgetEventRecord): Promise<boolean> {
  const products = [...new Set(record.productIds)].sort();
  const placementKey = placementKeyOf(record.outlet.id, record.pageUrl, record.widget, products, record.pesantrenId);
  return em.transactional(async (tx) => {
    const placement = await tx.upsert(
      WidgetPlacement,
      {
        placementKey,
        outlet: record.outlet,
        pageUrl: record.pageUrl,
        widget: record.widget,
        productIds: products,
        pesantrenId: record.pesantrenId,
        lastSeenAt: record.at,
      },
      { onConflictFields: ['placementKey'], onConflictAction: 'merge', onConflictMergeFields: ['lastSeenAt'] },
    );
    const window = Math.floor(record.at.getTime() / DEDUPE_WINDOW_MS);
    const keys = counterKeys(`widget:${placement.id}|${record.event}`, record.visitor, String(window));
    if ((await tx.count(WidgetEvent, { networkKey: keys.networkKey })) >= MAX_VISITORS_PER_NETWORK) return false;
    const inserted = await tx
      .createQueryBuilder(WidgetEvent)
      .insert({ id: randomUUID(), placement: placement.id, kind: record.event, ...keys, at: record.at })
      .onConflict('dedupeKey')
      .ignore()
      .execute('run');
    if (!inserted.affectedRows) return false;
    const counter = record.event === 'VIEW' ? 'views' : 'clicks';
    await tx.nativeUpdate(WidgetPlacement, { id: placement.id }, { [counter]: raw(`${counter} + 1`) });
    await tx
      .createQueryBuilder(WidgetDailyStat)
      .insert({ outlet: record.outlet.id, day: jakartaDay(record.at), widget: record.widget, views: counter === 'views' ? 1 : 0, clicks: counter === 'clicks' ? 1 : 0 })
      .onConflict(['outlet', 'day', 'widget'])
      .merge({ [counter]: raw(`"widget_daily_stat"."${counter}" + 1`) })
      .execute('run');
    return true;
  });
}
