import slugify from '@sindresorhus/slugify';
import { firstPerGroup, type EntityManager } from '@opop/server-kit';
import { Seller } from './seller.entity.ts';

/** A pesantren's sellers as `Pesantren.sellers` lists them: the SDL's @listSize(assumedSize: 20). */
export const MAX_SELLERS_PER_PESANTREN = 20;

export class SellerRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  findByIds(ids: readonly string[]): Promise<Seller[]> {
    return this.#em.find(Seller, { id: { $in: [...ids] } });
  }

  findOne(where: { id?: string; slug?: string }): Promise<Seller | null> {
    return this.#em.findOne(Seller, where);
  }

  /** Each pesantren's first MAX_SELLERS_PER_PESANTREN sellers, by pillar then name, in one query. */
  firstOfPesantren(pesantrenIds: readonly string[]): Promise<Map<string, Seller[]>> {
    return firstPerGroup(this.#em, Seller, { keys: pesantrenIds, groupBy: 'pesantrenId', orderBy: { pillar: 'asc', name: 'asc', id: 'asc' }, limit: MAX_SELLERS_PER_PESANTREN });
  }

  /** The regency of a pesantren's sellers, or null when it has none yet. */
  async regencyOfPesantren(pesantrenId: string): Promise<string | null> {
    const sibling = await this.#em.findOne(Seller, { pesantrenId }, { fields: ['regencyCode'] });
    return sibling?.regencyCode ?? null;
  }

  /** Slug from the name plus the start of the id: readable, and unique without a lookup. */
  static slugFor(name: string, id: string): string {
    return `${slugify(name, { customReplacements: [["'", '']] }).slice(0, 180) || 'penjual'}-${id.slice(0, 6)}`;
  }
}
