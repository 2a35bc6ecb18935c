import { pageCursor, toConnection, type Connection, type EntityManager } from '@opop/server-kit';
import type { ProgrammeKind } from '../programme/programme.entity.ts';
import type { ConsentPurpose } from '../santri/santri.entity.ts';
import { recordPlaces, type RecordPlaces } from './areas.ts';
import { SantriRecordAccess, type AppliedRecordFilter } from './record-access.entity.ts';

const LOG_SCOPE = 'santriRecordAccess.NEWEST';

export interface ConsentedSantriQuery {
  purpose: ConsentPurpose;
  /**
   * The statistics release whose places records show: only santri of pesantren in it are listed
   * (a pesantren new since has no place yet, and might be alone in its regency).
   */
  release: string;
  /** Consent as it stood on this ISO date. */
  asOf: string;
  filter: AppliedRecordFilter;
  /** The regencies of the areas the filter names (`filter.areaCodes`), null when it names none. */
  areaRegencyCodes: string[] | null;
  /**
   * For a filter on programme kinds, the regencies whose records show each kind: a record whose
   * kind is withheld must not be found by it either. Null when the filter names no kind.
   */
  kindRegencies: ReadonlyMap<string, readonly string[]> | null;
}

/** The columns a record may disclose, and the internal id the pseudonym and the audit are made from. */
export interface SantriRecordRow {
  id: string;
  birth_year: number;
  gender: 'FEMALE' | 'MALE';
  programme_kind: ProgrammeKind;
  intake_year: number;
  regency_code: string;
}

const FILTER_COLUMNS = {
  regencyCodes: 's.regency_code',
  areaRegencyCodes: 's.regency_code',
  genders: 's.gender',
  birthYears: 's.birth_year',
  intakeYears: 's.intake_year',
} as const satisfies Record<Exclude<keyof AppliedRecordFilter, 'areaCodes' | 'programmeKinds'> | 'areaRegencyCodes', string>;

/**
 * The santri whose guardian's latest recorded consent event for the purpose, effective by
 * `asOf`, grants it: the same reading of the event history as the operator's consent status.
 * A withdrawal, or consent for another purpose only, leaves the santri out.
 */
function consentedWhere(schema: string | undefined, query: ConsentedSantriQuery): { sql: string; params: unknown[] } {
  const conditions = [
    `(select e.granted from "${schema}"."consent_event" e
      where e.santri_id = s.id and e.purpose = ? and e.effective_on <= ?
      order by e.recorded_at desc, e.id desc limit 1) is true`,
  ];
  conditions.push(`s.pesantren_id in (select m.pesantren_id from "${schema}"."pesantren_enrolment_margin" m where m.release = ? and m.dimension = 'ALL')`);
  const params: unknown[] = [query.purpose, query.asOf, query.release];
  const lists = { ...query.filter, areaRegencyCodes: query.areaRegencyCodes };
  for (const [key, column] of Object.entries(FILTER_COLUMNS) as [keyof typeof FILTER_COLUMNS, string][]) {
    const values = lists[key];
    if (!values?.length) continue;
    conditions.push(`${column} in (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  }
  if (query.kindRegencies) {
    const kinds = [...query.kindRegencies].filter(([, regencies]) => regencies.length > 0);
    conditions.push(kinds.length ? `(${kinds.map(([, regencies]) => `(s.programme_kind = ? and s.regency_code in (${regencies.map(() => '?').join(', ')}))`).join(' or ')})` : 'false');
    for (const [kind, regencies] of kinds) params.push(kind, ...regencies);
  }
  return { sql: conditions.join(' and '), params };
}

/** Reads of santri records and of their audit log; one instance per EntityManager (a record read runs in its audit's transaction). */
export class SantriRecordRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  /** How records show their place and programme kind, as of the release. */
  places(release: string): Promise<RecordPlaces> {
    return recordPlaces(this.#em, release);
  }

  /**
   * One page of consented santri in id order (the order is random to a reader: ids are random),
   * after `afterId`. Walks the primary key, checking each santri's consent by its index, so a page
   * costs about `limit` look-ups however many santri there are.
   */
  async consentedPage(query: ConsentedSantriQuery, afterId: string | undefined, limit: number): Promise<SantriRecordRow[]> {
    const em = this.#em;
    const schema = em.config.get('schema');
    const where = consentedWhere(schema, query);
    return em.getConnection().execute<SantriRecordRow[]>(
      `select s.id, s.birth_year, s.gender, s.programme_kind, s.intake_year, s.regency_code
       from "${schema}"."santri" s
       where ${where.sql}${afterId ? ' and s.id > ?' : ''}
       order by s.id limit ?`,
      [...where.params, ...(afterId ? [afterId] : []), limit],
      'all',
      em.getTransactionContext(),
    );
  }

  /** How many santri the listing holds in all; a full scan, so only run when asked for. */
  async countConsented(query: ConsentedSantriQuery): Promise<number> {
    const em = this.#em;
    const schema = em.config.get('schema');
    const where = consentedWhere(schema, query);
    const [row] = await em
      .getConnection()
      .execute<{ n: number | string }[]>(`select count(*)::int as n from "${schema}"."santri" s where ${where.sql}`, where.params, 'all', em.getTransactionContext());
    return Number(row?.n ?? 0);
  }

  /** The audit log, newest first; one partner's when `partnerId` is given. */
  async accessLog(options: { first: number; after?: string | null | undefined; partnerId?: string | null | undefined; includeCount: boolean }): Promise<Connection<SantriRecordAccess>> {
    const after = pageCursor(options.after, LOG_SCOPE);
    const cursor = await this.#em.findByCursor(SantriRecordAccess, {
      where: options.partnerId ? { partnerId: options.partnerId.toLowerCase() } : {},
      first: options.first,
      ...(after ? { after } : {}),
      orderBy: { at: 'desc', id: 'desc' },
      includeCount: options.includeCount,
    });
    return toConnection(cursor, LOG_SCOPE);
  }
}
