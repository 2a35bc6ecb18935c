import { WidgetPlacement } from './widget.entity.ts';
import type { EntityManager } from '@opop/server-kit';
import type { Outlet } from '../outlet/outlet.entity.ts';

/** Reads of widget placements: where partners embed widgets, with their counted views and clicks. */
export class WidgetPlacementRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  /** The most viewed placements first, of one outlet or of all. */
  mostViewed(outlet: Outlet | undefined, limit: number): Promise<WidgetPlacement[]> {
    return this.#em.find(WidgetPlacement, outlet ? { outlet } : {}, { orderBy: { views: 'desc', id: 'asc' }, limit });
  }
}
