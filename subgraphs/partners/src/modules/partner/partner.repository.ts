import { raw } from '@mikro-orm/core';
import { firstPerGroup, MAX_PAGE_SIZE, readRecords, type EntityManager } from '@opop/server-kit';
import { Engagement, EngagementPesantren, EngagementProduct, Partner, type PENTAHELIX_ROLES } from './partner.entity.ts';

/** A link between an engagement and what it supported, as read for answers: the engagement's key and the other side's. */
export type LinkRecord<TKey extends string> = { engagement: { id: string } } & Record<TKey, string>;

/** Newest engagements first; the id breaks ties so pages and lists keep one order. */
const NEWEST = { startsOn: 'desc', id: 'asc' } as const;

/**
 * The SDL's @listSize(assumedSize: 100) on `Query.partners` and on a partner's, a pesantren's
 * and a product's engagements (`engagements`, `partnerships`, `partnerPrograms`): no list answers more.
 */
export const MAX_PARTNERS_LISTED = 100;
// The kit's page bound, which `Partner.engagements(first)` is checked against (pageSize).
export const MAX_ENGAGEMENTS_LISTED = MAX_PAGE_SIZE;

/** Reads of partners and their engagements; one instance per request. */
export class PartnerRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  findAll(role: (typeof PENTAHELIX_ROLES)[number] | null | undefined): Promise<Partner[]> {
    return this.#em.find(Partner, role ? { role } : {}, { orderBy: { role: 'asc', name: 'asc', id: 'asc' }, limit: MAX_PARTNERS_LISTED });
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

  /** Each partner's newest `limit` engagements (at most MAX_ENGAGEMENTS_LISTED), in one query. */
  newestEngagementsOfPartners(partnerIds: readonly string[], limit: number = MAX_ENGAGEMENTS_LISTED): Promise<Map<string, Engagement[]>> {
    return firstPerGroup(this.#em, Engagement, { keys: partnerIds, groupBy: 'partner', orderBy: NEWEST, limit: Math.min(limit, MAX_ENGAGEMENTS_LISTED) });
  }

  /** How many engagements each partner has, in the order asked, with one grouped query. */
  async engagementCounts(partnerIds: readonly string[]): Promise<number[]> {
    const rows = await this.#em
      .createQueryBuilder(Engagement, 'e')
      .select(['e.partner', raw('count(*)::int as total')])
      .where({ partner: { $in: [...partnerIds] } })
      .groupBy('e.partner')
      .execute<{ partner_id: string; total: number | string }[]>('all', false);
    const totals = new Map(rows.map((row) => [row.partner_id, Number(row.total)]));
    return partnerIds.map((id) => totals.get(id) ?? 0);
  }

  /** Each pesantren's newest MAX_ENGAGEMENTS_LISTED engagements, in one query. */
  newestEngagementsOfPesantren(pesantrenIds: readonly string[]): Promise<Map<string, Engagement[]>> {
    return firstPerGroup(this.#em, Engagement, { keys: pesantrenIds, through: { entity: EngagementPesantren, to: 'engagement' }, groupBy: 'pesantrenId', orderBy: NEWEST, limit: MAX_ENGAGEMENTS_LISTED });
  }

  /** Each product's newest MAX_ENGAGEMENTS_LISTED engagements, in one query. */
  newestEngagementsOfProducts(productIds: readonly string[]): Promise<Map<string, Engagement[]>> {
    return firstPerGroup(this.#em, Engagement, { keys: productIds, through: { entity: EngagementProduct, to: 'engagement' }, groupBy: 'productId', orderBy: NEWEST, limit: MAX_ENGAGEMENTS_LISTED });
  }

  /**
   * Read as records, not entities: the storefront's partners page asks for every engagement's
   * links at once (5,328 at programme scale), and hydrating that many entities only to read two
   * keys of each was most of the subgraph's time.
   */
  findPesantrenLinksOfEngagements(engagementIds: readonly string[]): Promise<LinkRecord<'pesantrenId'>[]> {
    return readRecords(this.#em, EngagementPesantren, 'engagement_id', engagementIds, { orderBy: 'pesantren_id' });
  }

  findProductLinksOfEngagements(engagementIds: readonly string[]): Promise<LinkRecord<'productId'>[]> {
    return readRecords(this.#em, EngagementProduct, 'engagement_id', engagementIds, { orderBy: 'product_id' });
  }
}
