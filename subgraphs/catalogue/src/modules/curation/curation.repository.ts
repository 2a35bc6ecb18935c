import type { EntityManager } from '@opop/server-kit';
import { CurationEvent } from './curation-event.entity.ts';

export class CurationRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  /** The history of each product, oldest step first. */
  historyOf(productIds: readonly string[]): Promise<CurationEvent[]> {
    return this.#em.find(CurationEvent, { product: { $in: [...productIds] } }, { orderBy: { at: 'asc', id: 'asc' } });
  }
}
