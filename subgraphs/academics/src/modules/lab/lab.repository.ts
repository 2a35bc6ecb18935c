import type { EntityManager } from '@opop/server-kit';
import { EntrepreneurshipLab } from './lab.entity.ts';

/** Reads of entrepreneurship labs; one instance per request. */
export class LabRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  findByIds(ids: readonly string[]): Promise<EntrepreneurshipLab[]> {
    return this.#em.find(EntrepreneurshipLab, { id: { $in: [...ids] } });
  }

  findById(id: string): Promise<EntrepreneurshipLab | null> {
    return this.#em.findOne(EntrepreneurshipLab, { id });
  }

  /** Each pesantren's labs, by name. */
  findByPesantrenIds(pesantrenIds: readonly string[]): Promise<EntrepreneurshipLab[]> {
    return this.#em.find(EntrepreneurshipLab, { pesantrenId: { $in: [...pesantrenIds] } }, { orderBy: { name: 'asc' } });
  }
}
