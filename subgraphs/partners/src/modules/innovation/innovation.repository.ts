import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@opop/server-kit';
import { Agreement, FunnelEvent, Innovation, InterestExpression, Replication, type FunnelStage } from './innovation.entity.ts';

/** How many funnel events an innovation has at each stage. */
export type FunnelCounts = Record<FunnelStage, number>;

/** An innovation's agreements and replications as listed: the SDL's @listSize(assumedSize: 100), newest first. */
export const MAX_AGREEMENTS_LISTED = 100;
export const MAX_REPLICATIONS_LISTED = 100;

/** Reads of innovations and their funnel; one instance per request. */
export class InnovationRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  findBySlug(slug: string): Promise<Innovation | null> {
    return this.#em.findOne(Innovation, { slug });
  }

  /** Expressions of interest, newest first. */
  findInterests(innovation: Innovation, limit: number): Promise<InterestExpression[]> {
    return this.#em.find(InterestExpression, { innovation }, { orderBy: { receivedAt: 'desc', id: 'asc' }, limit });
  }

  findAgreements(innovation: Innovation): Promise<Agreement[]> {
    return this.#em.find(Agreement, { innovation }, { orderBy: { signedOn: 'desc', id: 'asc' }, limit: MAX_AGREEMENTS_LISTED });
  }

  findReplications(innovation: Innovation): Promise<Replication[]> {
    return this.#em.find(Replication, { innovation }, { orderBy: { startedOn: 'desc', id: 'asc' }, limit: MAX_REPLICATIONS_LISTED });
  }

  /** Each innovation's funnel, in the order asked, with one grouped query. */
  async funnelCounts(innovationIds: readonly string[]): Promise<FunnelCounts[]> {
    const rows = await this.#em
      .createQueryBuilder(FunnelEvent, 'f')
      .select(['f.innovation', 'f.stage', raw('count(*)::int as total')])
      .where({ innovation: { $in: [...innovationIds] } })
      .groupBy(['f.innovation', 'f.stage'])
      .execute<{ innovation_id: string; stage: FunnelStage; total: number | string }[]>('all', false);
    return innovationIds.map((id) => {
      const counts: FunnelCounts = { VIEWED: 0, INTEREST_EXPRESSED: 0, AGREEMENT_SIGNED: 0, REPLICATED: 0 };
      for (const row of rows) if (row.innovation_id === id) counts[row.stage] = Number(row.total);
      return counts;
    });
  }
}
