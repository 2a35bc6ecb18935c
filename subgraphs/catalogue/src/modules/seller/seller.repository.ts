import slugify from '@sindresorhus/slugify';
import type { EntityManager } from '@opop/server-kit';
import { Seller } from './seller.entity.ts';

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

  findByPesantrenIds(pesantrenIds: readonly string[]): Promise<Seller[]> {
    return this.#em.find(Seller, { pesantrenId: { $in: [...pesantrenIds] } }, { orderBy: { pillar: 'asc', name: 'asc' } });
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
