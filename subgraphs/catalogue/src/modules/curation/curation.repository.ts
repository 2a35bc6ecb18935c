import { firstPerGroup, type EntityManager } from '@opop/server-kit';
import { CurationEvent } from './curation-event.entity.ts';

/** The curation steps `Product.curationHistory` lists: the SDL's @listSize(assumedSize: 50). */
export const MAX_CURATION_HISTORY = 50;

export class CurationRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  /** The newest MAX_CURATION_HISTORY steps of each product, oldest of them first, in one query. */
  async historyOf(productIds: readonly string[]): Promise<Map<string, CurationEvent[]>> {
    const newest = await firstPerGroup(this.#em, CurationEvent, { keys: productIds, groupBy: 'product', orderBy: { at: 'desc', id: 'desc' }, limit: MAX_CURATION_HISTORY });
    for (const steps of newest.values()) steps.reverse();
    return newest;
  }
}
