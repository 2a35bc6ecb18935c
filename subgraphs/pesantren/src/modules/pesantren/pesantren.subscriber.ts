import type { EventSubscriber, FlushEventArgs } from '@mikro-orm/core';
import { Pesantren } from './pesantren.entity.ts';

/**
 * Tells this process when pesantren were written through it, so what its requests share (the
 * count of pesantren per regency) is dropped at once instead of lasting its minute.
 */
export class PesantrenChangesSubscriber implements EventSubscriber {
  readonly #onChange: () => void;

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  afterFlush({ uow }: FlushEventArgs): void {
    if (uow.getChangeSets().some((changeSet) => changeSet.entity instanceof Pesantren)) this.#onChange();
  }

  /**
   * A flush inside a transaction is seen by other requests only once it commits: a count shared
   * between the flush and the commit would miss it, so the counts are dropped again here.
   */
  afterTransactionCommit(): void {
    this.#onChange();
  }
}
