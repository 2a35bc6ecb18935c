import { firstPerGroup, type EntityManager } from '@opop/server-kit';
import { EntrepreneurshipLab } from './lab.entity.ts';

/** A pesantren's labs as `AcademicSummary.labs` lists them: the SDL's @listSize(assumedSize: 20). */
export const MAX_LABS_PER_PESANTREN = 20;

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

  /** Each pesantren's first MAX_LABS_PER_PESANTREN labs, by name, in one query. */
  firstOfPesantren(pesantrenIds: readonly string[]): Promise<Map<string, EntrepreneurshipLab[]>> {
    return firstPerGroup(this.#em, EntrepreneurshipLab, { keys: pesantrenIds, groupBy: 'pesantrenId', orderBy: { name: 'asc', id: 'asc' }, limit: MAX_LABS_PER_PESANTREN });
  }
}
