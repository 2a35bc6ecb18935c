import type { EntityManager } from '@opop/server-kit';
import { Engagement, EngagementPesantren, EngagementProduct, Partner, type PENTAHELIX_ROLES } from './partner.entity.ts';

/** Newest engagements first; the id breaks ties so pages and lists keep one order. */
const NEWEST = { startsOn: 'desc', id: 'asc' } as const;

/** Reads of partners and their engagements; one instance per request. */
export class PartnerRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  findAll(role: (typeof PENTAHELIX_ROLES)[number] | null | undefined): Promise<Partner[]> {
    return this.#em.find(Partner, role ? { role } : {}, { orderBy: { role: 'asc', name: 'asc' } });
  }

  findBySlug(slug: string): Promise<Partner | null> {
    return this.#em.findOne(Partner, { slug });
  }

  findByIds(ids: readonly string[]): Promise<Partner[]> {
    return this.#em.find(Partner, { id: { $in: [...ids] } });
  }

  findEngagementsByIds(ids: readonly string[]): Promise<Engagement[]> {
    return this.#em.find(Engagement, { id: { $in: [...ids] } });
  }

  findEngagementsByPartnerIds(partnerIds: readonly string[]): Promise<Engagement[]> {
    return this.#em.find(Engagement, { partner: { $in: [...partnerIds] } }, { orderBy: NEWEST });
  }

  /** Links of the given pesantren, their engagements loaded, newest engagement first. */
  findPesantrenLinks(pesantrenIds: readonly string[]): Promise<EngagementPesantren[]> {
    return this.#em.find(EngagementPesantren, { pesantrenId: { $in: [...pesantrenIds] } }, { populate: ['engagement'], orderBy: { engagement: NEWEST } });
  }

  /** Links of the given products, their engagements loaded, newest engagement first. */
  findProductLinks(productIds: readonly string[]): Promise<EngagementProduct[]> {
    return this.#em.find(EngagementProduct, { productId: { $in: [...productIds] } }, { populate: ['engagement'], orderBy: { engagement: NEWEST } });
  }

  findPesantrenLinksOfEngagements(engagementIds: readonly string[]): Promise<EngagementPesantren[]> {
    return this.#em.find(EngagementPesantren, { engagement: { $in: [...engagementIds] } }, { orderBy: { pesantrenId: 'asc' } });
  }

  findProductLinksOfEngagements(engagementIds: readonly string[]): Promise<EngagementProduct[]> {
    return this.#em.find(EngagementProduct, { engagement: { $in: [...engagementIds] } }, { orderBy: { productId: 'asc' } });
  }
}
