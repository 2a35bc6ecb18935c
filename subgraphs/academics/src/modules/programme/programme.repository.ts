import type { EntityManager } from '@opop/server-kit';
import { Programme } from './programme.entity.ts';

/** Reads of programmes; one instance per request. */
export class ProgrammeRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  findByIds(ids: readonly string[]): Promise<Programme[]> {
    return this.#em.find(Programme, { id: { $in: [...ids] } });
  }

  findById(id: string): Promise<Programme | null> {
    return this.#em.findOne(Programme, { id });
  }

  /** Each pesantren's programmes, by kind then name. */
  findByPesantrenIds(pesantrenIds: readonly string[]): Promise<Programme[]> {
    return this.#em.find(Programme, { pesantrenId: { $in: [...pesantrenIds] } }, { orderBy: { kind: 'asc', name: 'asc' } });
  }
}
