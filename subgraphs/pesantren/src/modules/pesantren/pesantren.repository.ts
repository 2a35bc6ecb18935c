import slugify from '@sindresorhus/slugify';
import { raw, type FilterQuery } from '@mikro-orm/core';
import { pageCursor, readRecords, toConnection, WHOLE_ROW, type ColumnRead, type Connection, type EntityManager } from '@opop/server-kit';
import { Pesantren, type PesantrenRecord, type Pillar } from './pesantren.entity.ts';

export interface PesantrenListOptions {
  first: number;
  /** The client's cursor, as received; checked here against the listing it was issued for. */
  after: string | null | undefined;
  regencyCodes?: readonly string[] | null | undefined;
  pillars?: readonly Pillar[] | null | undefined;
  sort: 'NAME' | 'NEWEST';
  includeCount: boolean;
}

const ORDER = {
  NAME: { name: 'asc', id: 'asc' },
  NEWEST: { createdAt: 'desc', id: 'desc' },
} as const;

/** Domain queries on pesantren; one instance per request, over that request's EntityManager. */
export class PesantrenRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  /** Pesantren by id for reads (the router's entity batches: every search page and card), as records. */
  /** Pesantren by id for reads; a narrowed read's records hold only its properties (pesantren.reads.ts). */
  findByIdsToRead(ids: readonly string[], read: ColumnRead = WHOLE_ROW): Promise<PesantrenRecord[]> {
    return readRecords<PesantrenRecord>(this.#em, Pesantren, 'id', ids, read.properties ? { properties: read.properties } : {});
  }

  /** A pesantren by id, slug or NSPP for reads (its page, its widget badge), as a record. */
  async findOneToRead(column: 'id' | 'slug' | 'nspp', value: string): Promise<PesantrenRecord | null> {
    return (await readRecords<PesantrenRecord>(this.#em, Pesantren, column, [value], { limit: 1 }))[0] ?? null;
  }

  /** A pesantren entity, for writes. */
  findOne(where: { id?: string; slug?: string; nspp?: string }): Promise<Pesantren | null> {
    return this.#em.findOne(Pesantren, where);
  }

  async page(options: PesantrenListOptions): Promise<Connection<Pesantren>> {
    const where: FilterQuery<Pesantren> = {};
    if (options.regencyCodes?.length) where.regency = { $in: [...options.regencyCodes] };
    if (options.pillars?.length) where.pillars = { $overlap: [...options.pillars] };
    const scope = `pesantren.${options.sort}`;
    const after = pageCursor(options.after, scope);
    const cursor = await this.#em.findByCursor(Pesantren, {
      where,
      first: options.first,
      ...(after ? { after } : {}),
      orderBy: ORDER[options.sort],
      includeCount: options.includeCount,
    });
    return toConnection(cursor, scope);
  }

  /** Pesantren per regency code, in one grouped query. */
  async countByRegency(codes: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.#em
      .createQueryBuilder(Pesantren, 'p')
      .select(['p.regency', raw('count(*) as total')])
      .where({ regency: { $in: [...codes] } })
      .groupBy('p.regency')
      .execute<{ regency_code: string; total: string | number }[]>('all', false);
    return new Map(rows.map((row) => [row.regency_code, Number(row.total)]));
  }

  /** A URL slug from the name, suffixed (-2, -3, …) when another pesantren already has it. */
  async availableSlug(name: string): Promise<string> {
    const base = slugify(name, { customReplacements: [["'", '']] }).slice(0, 170) || 'pesantren';
    const taken = new Set(
      (await this.#em.find(Pesantren, { slug: { $like: `${base}%` } }, { fields: ['slug'] })).map((p) => p.slug),
    );
    if (!taken.has(base)) return base;
    let n = 2;
    while (taken.has(`${base}-${n}`)) n++;
    return `${base}-${n}`;
  }
}
