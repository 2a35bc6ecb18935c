import type { EntityManager } from '@opop/server-kit';
import type { Outlet } from '../outlet/outlet.entity.ts';
import { WIDGET_KINDS, WidgetDailyStat, WidgetPlacement } from './widget.entity.ts';
import { jakartaDay } from './widget-events.ts';

/** At most this many days back: a year, a leap day included. */
export const MAX_STAT_DAYS = 366;

export interface DailyStat {
  day: string;
  widget: (typeof WIDGET_KINDS)[number];
  views: number;
  clicks: number;
}

/** Reads of widget placements and their daily counts: where partners embed widgets, with their counted views and clicks. */
export class WidgetPlacementRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  /** The most viewed placements first, of one outlet or of all. */
  mostViewed(outlet: Outlet | undefined, limit: number): Promise<WidgetPlacement[]> {
    return this.#em.find(WidgetPlacement, outlet ? { outlet } : {}, { orderBy: { views: 'desc', id: 'asc' }, limit });
  }

  /**
   * An outlet's counted views and clicks per day (Asia/Jakarta) and widget kind over the last
   * `days` days, today included: newest day first, kinds in the schema's order. At most
   * MAX_STAT_DAYS × 4 rows, the SDL's @listSize.
   */
  async dailyStats(outlet: Outlet, days: number, now = new Date()): Promise<DailyStat[]> {
    const today = jakartaDay(now);
    const since = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const rows = await this.#em.find(WidgetDailyStat, { outlet, day: { $gte: since, $lte: today } }, { orderBy: { day: 'desc' }, limit: MAX_STAT_DAYS * WIDGET_KINDS.length });
    const order = (kind: DailyStat['widget']) => WIDGET_KINDS.indexOf(kind);
    return rows
      .filter((row) => row.views > 0 || row.clicks > 0)
      .map((row) => ({ day: String(row.day), widget: row.widget, views: row.views, clicks: row.clicks }))
      .sort((a, b) => (a.day === b.day ? order(a.widget) - order(b.widget) : a.day < b.day ? 1 : -1));
  }
}
