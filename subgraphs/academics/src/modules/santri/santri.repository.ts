import type { EntityManager } from '@opop/server-kit';
import type { CellTotal } from '../stats/perturbation.ts';
import { ConsentEvent, Santri, type ConsentPurpose } from './santri.entity.ts';

/** A guardian's consent for one purpose as it stands: the latest event of that purpose. */
export interface ConsentState {
  purpose: ConsentPurpose;
  granted: boolean;
  /** ISO date the current state began. */
  since: string;
}

/**
 * Reads of santri as their operators keep them (consent), and of the per-pesantren rollup the
 * public counts come from; one instance per request.
 */
export class SantriRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  findById(id: string): Promise<Santri | null> {
    return this.#em.findOne(Santri, { id });
  }

  /** The current consent per purpose: the latest event of each. */
  async consentStatus(santri: Santri): Promise<ConsentState[]> {
    const events = await this.#em.find(ConsentEvent, { santri }, { orderBy: { recordedAt: 'asc', id: 'asc' } });
    const latest = new Map<ConsentPurpose, ConsentEvent>();
    for (const event of events) latest.set(event.purpose, event);
    return [...latest.values()].map((event) => ({ purpose: event.purpose, granted: event.granted, since: event.effectiveOn }));
  }

  /**
   * Each pesantren's santri (count and cell key) in a statistics release: per programme kind, and
   * in all under `ALL`. Raw totals: only what `publishedToTens` makes of them leaves the service.
   */
  async enrolmentByPesantren(release: string, pesantrenIds: readonly string[]): Promise<Map<string, Map<string, CellTotal>>> {
    const schema = this.#em.config.get('schema');
    const rows = await this.#em.getConnection().execute<{ pesantren_id: string; dimension: string; value: string; santri: number; key_sum: string }[]>(
      `select pesantren_id, dimension, value, santri, key_sum::text as key_sum from "${schema}"."pesantren_enrolment_margin"
       where release = ? and dimension in ('ALL', 'PROGRAMME') and pesantren_id in (${pesantrenIds.map(() => '?').join(', ')})`,
      [release, ...pesantrenIds],
    );
    const counts = new Map<string, Map<string, CellTotal>>();
    for (const row of rows) {
      const perKind = counts.get(row.pesantren_id) ?? new Map<string, CellTotal>();
      perKind.set(row.dimension === 'ALL' ? 'ALL' : row.value, { count: Number(row.santri), keySum: Number(row.key_sum) });
      counts.set(row.pesantren_id, perKind);
    }
    return counts;
  }
}
