import { firstPerGroup, type EntityManager } from '@opop/server-kit';
import { Programme } from './programme.entity.ts';

/** A pesantren's programmes as `AcademicSummary.programmes` lists them: the SDL's @listSize(assumedSize: 20). */
export const MAX_PROGRAMMES_PER_PESANTREN = 20;

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

  /** Each pesantren's first MAX_PROGRAMMES_PER_PESANTREN programmes, by kind then name, in one query. */
  firstOfPesantren(pesantrenIds: readonly string[]): Promise<Map<string, Programme[]>> {
    return firstPerGroup(this.#em, Programme, { keys: pesantrenIds, groupBy: 'pesantrenId', orderBy: { kind: 'asc', name: 'asc', id: 'asc' }, limit: MAX_PROGRAMMES_PER_PESANTREN });
  }
}
