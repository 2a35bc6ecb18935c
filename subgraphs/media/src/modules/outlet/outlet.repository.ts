import { badUserInput, type EntityManager } from '@opop/server-kit';
import { OutletKey } from './outlet-key.entity.ts';
import { Outlet } from './outlet.entity.ts';

/** Outlets as `Query.outlets` lists them: the SDL's @listSize(assumedSize: 100). */
export const MAX_OUTLETS_LISTED = 100;

/** An outlet's keys as `Query.outletKeys` lists them: the SDL's @listSize(assumedSize: 100), newest first. */
export const MAX_OUTLET_KEYS_LISTED = 100;

/** Reads of media partners (outlets) and their widget keys. */
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

  /** The outlet whose embed snippet carries this key, if the key is not revoked. */
  async findByActiveKey(key: string): Promise<Outlet | null> {
    const found = await this.#em.findOne(OutletKey, { key, revokedAt: null }, { populate: ['outlet'] });
    return found?.outlet ?? null;
  }

  /** An outlet named by slug in an input, or that input's error. */
  async known(slug: string, field: string): Promise<Outlet> {
    const outlet = await this.findBySlug(slug);
    if (!outlet) throw badUserInput(`is not a known outlet (${slug.slice(0, 80)})`, field);
    return outlet;
  }

  /** An outlet's keys, newest first, revoked ones included. */
  keysOf(outlet: Outlet): Promise<OutletKey[]> {
    return this.#em.find(OutletKey, { outlet }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: MAX_OUTLET_KEYS_LISTED });
  }

  findKeyById(id: string): Promise<OutletKey | null> {
    return this.#em.findOne(OutletKey, { id }, { populate: ['outlet'] });
  }

  /** Each outlet's first active key (oldest first), in one query for a whole batch: `Outlet.publicKey`. */
  async firstActiveKeys(outletIds: readonly string[]): Promise<Map<string, string>> {
    const keys = await this.#em.find(OutletKey, { outlet: { $in: [...outletIds] }, revokedAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const first = new Map<string, string>();
    for (const key of keys) if (!first.has(key.outlet.id)) first.set(key.outlet.id, key.key);
    return first;
  }
}
