import { badUserInput, type EntityManager } from '@opop/server-kit';
import { Outlet } from './outlet.entity.ts';

/** Outlets as `Query.outlets` lists them: the SDL's @listSize(assumedSize: 100). */
export const MAX_OUTLETS_LISTED = 100;

/** Reads of media partners (outlets). */
export class OutletRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  list(): Promise<Outlet[]> {
    return this.#em.find(Outlet, {}, { orderBy: { name: 'asc', id: 'asc' }, limit: MAX_OUTLETS_LISTED });
  }

  findBySlug(slug: string): Promise<Outlet | null> {
    return this.#em.findOne(Outlet, { slug });
  }

  findByIds(ids: readonly string[]): Promise<Outlet[]> {
    return this.#em.find(Outlet, { id: { $in: [...ids] } });
  }

  /** The outlet whose embed snippet carries this public key. */
  findByPublicKey(publicKey: string): Promise<Outlet | null> {
    return this.#em.findOne(Outlet, { publicKey });
  }

  /** An outlet named by slug in an input, or that input's error. */
  async known(slug: string, field: string): Promise<Outlet> {
    const outlet = await this.findBySlug(slug);
    if (!outlet) throw badUserInput(`is not a known outlet (${slug.slice(0, 80)})`, field);
    return outlet;
  }
}
