import { countPerGroup, firstRecordsPerGroup, MAX_PAGE_SIZE, readRecords, readStatement, recordReader, type EntityManager } from '@opop/server-kit';
import { Engagement, EngagementPesantren, EngagementProduct, Partner, type EngagementRecord, type PENTAHELIX_ROLES } from './partner.entity.ts';

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

/**
 * Reads of partners and their engagements; one instance per request. What is only answered is
 * read as records (server-kit's records.ts), without the unit of work; `findBySlug` loads the
 * entity, for writes that link to it.
 */
export class PartnerRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  /** Partners in the order lists show them (by role, then name), of one role or all. */
  async findAll(role: (typeof PENTAHELIX_ROLES)[number] | null | undefined): Promise<Partner[]> {
    const reader = recordReader(this.#em, Partner);
    const rows = await readStatement(
      this.#em,
      `select * from ${reader.table} where (?::text is null or role = ?) order by role, name, id limit ${MAX_PARTNERS_LISTED}`,
      [role ?? null, role ?? null],
    );
    return rows.map((row) => reader.toRecord(row) as Partner);
  }

  /** The partner entity, for writes that link to it. */
  findBySlug(slug: string): Promise<Partner | null> {
    return this.#em.findOne(Partner, { slug });
  }

  async findBySlugToRead(slug: string): Promise<Partner | null> {
    return (await readRecords<Partner>(this.#em, Partner, 'slug', [slug], { limit: 1 }))[0] ?? null;
  }

  findByIds(ids: readonly string[]): Promise<Partner[]> {
    return readRecords<Partner>(this.#em, Partner, 'id', ids);
  }

  findEngagementsByIds(ids: readonly string[]): Promise<EngagementRecord[]> {
    return readRecords<EngagementRecord>(this.#em, Engagement, 'id', ids);
  }

  /** Each partner's newest `limit` engagements (at most MAX_ENGAGEMENTS_LISTED), in one query. */
  newestEngagementsOfPartners(partnerIds: readonly string[], limit: number = MAX_ENGAGEMENTS_LISTED): Promise<Map<string, EngagementRecord[]>> {
    return firstRecordsPerGroup(this.#em, Engagement, { keys: partnerIds, groupBy: 'partner', orderBy: NEWEST, limit: Math.min(limit, MAX_ENGAGEMENTS_LISTED) });
  }

  /** How many engagements each partner has, in the order asked, with one grouped query. */
  engagementCounts(partnerIds: readonly string[]): Promise<number[]> {
    return countPerGroup(this.#em, Engagement, { keys: partnerIds, groupBy: 'partner' });
  }

  /** Each pesantren's newest MAX_ENGAGEMENTS_LISTED engagements, in one query. */
  newestEngagementsOfPesantren(pesantrenIds: readonly string[]): Promise<Map<string, EngagementRecord[]>> {
    return firstRecordsPerGroup(this.#em, Engagement, { keys: pesantrenIds, through: { entity: EngagementPesantren, to: 'engagement' }, groupBy: 'pesantrenId', orderBy: NEWEST, limit: MAX_ENGAGEMENTS_LISTED });
  }

  /** Each product's newest MAX_ENGAGEMENTS_LISTED engagements, in one query. */
  newestEngagementsOfProducts(productIds: readonly string[]): Promise<Map<string, EngagementRecord[]>> {
    return firstRecordsPerGroup(this.#em, Engagement, { keys: productIds, through: { entity: EngagementProduct, to: 'engagement' }, groupBy: 'productId', orderBy: NEWEST, limit: MAX_ENGAGEMENTS_LISTED });
  }

  /**
   * Each engagement's first `limit` pesantren (by key), in one query. Only as many as a page
   * shows: an engagement at programme scale works with up to 40, and the storefront's partners
   * page shows six of each; reading all of them made that page's cost grow with the data.
   */
  firstPesantrenOfEngagements(engagementIds: readonly string[], limit: number): Promise<Map<string, LinkRecord<'pesantrenId'>[]>> {
    return firstRecordsPerGroup(this.#em, EngagementPesantren, { keys: engagementIds, groupBy: 'engagement', orderBy: { pesantrenId: 'asc' }, limit });
  }

  /** How many pesantren each engagement works with, in the order asked. */
  pesantrenCounts(engagementIds: readonly string[]): Promise<number[]> {
    return countPerGroup(this.#em, EngagementPesantren, { keys: engagementIds, groupBy: 'engagement' });
  }

  findProductLinksOfEngagements(engagementIds: readonly string[]): Promise<LinkRecord<'productId'>[]> {
    return readRecords(this.#em, EngagementProduct, 'engagement_id', engagementIds, { orderBy: 'product_id' });
  }
}
