import type { EntityManager } from '@opop/server-kit';
import { ORDER_STATUSES, type OrderStatus } from '../order/order.entity.ts';
import { FEATURED_PRODUCT_TARGETS, FIRST_PROGRAMME_YEAR } from './programme.targets.ts';
import { lastWeeks, WIB_OFFSET_MS, wibYear } from './weeks.ts';

export interface FeaturedYear {
  year: number;
  featured: number;
  stillFeatured: number;
  target: number | null;
}

export interface FeaturedNow {
  products: number;
  pesantren: number;
}

export interface RegencyFigures {
  regencyCode: string;
  pesantrenWithSellers: number;
  pesantrenWithFeaturedProduct: number;
  featuredProducts: number;
}

export interface StatusTally {
  status: OrderStatus;
  orders: number;
  valueRupiah: number;
}

export interface WeekOfOrders {
  weekStart: string;
  isoWeek: string;
  orders: number;
  valueRupiah: number;
  byStatus: StatusTally[];
}

/** The WIB wall clock of a timestamptz column, as SQL: WIB is UTC+7 all year, so no time zone data is needed. */
const wib = (column: string) => `((${column} at time zone 'UTC') + interval '${WIB_OFFSET_MS / 3_600_000} hours')`;

/**
 * The programme's figures, each one aggregate query over the catalogue's own tables (never rows
 * loaded and counted here). One instance per request.
 */
export class ProgrammeRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  #table(name: string): string {
    return `"${this.#em.config.get('schema')}"."${name}"`;
  }

  #query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.#em.getConnection().execute<T[]>(sql, params);
  }

  /**
   * Products by the WIB year of their first FEATURED step, and how many of them are FEATURED now;
   * every year from the programme's first (or the first with a featured product) to `now`'s.
   */
  async featuredByYear(now: Date): Promise<FeaturedYear[]> {
    const rows = await this.#query<{ year: number | string; featured: number | string; still_featured: number | string }>(
      `select extract(year from ${wib('f.first_at')})::int as year,
              count(*)::int as featured,
              (count(*) filter (where p.curation_status = 'FEATURED'))::int as still_featured
       from (select product_id, min(at) as first_at from ${this.#table('curation_event')} where to_status = 'FEATURED' group by product_id) f
       join ${this.#table('product')} p on p.id = f.product_id
       group by 1
       order by 1`,
    );
    const byYear = new Map(rows.map((row) => [Number(row.year), { featured: Number(row.featured), stillFeatured: Number(row.still_featured) }]));
    const years = [...byYear.keys()];
    const from = Math.min(FIRST_PROGRAMME_YEAR, ...years);
    const to = Math.max(wibYear(now), ...years);
    return Array.from({ length: to - from + 1 }, (_, index) => {
      const year = from + index;
      return { year, ...(byYear.get(year) ?? { featured: 0, stillFeatured: 0 }), target: FEATURED_PRODUCT_TARGETS.get(year) ?? null };
    });
  }

  /** Products FEATURED now, and the pesantren (through their sellers) that have at least one. */
  async featuredNow(): Promise<FeaturedNow> {
    const [row] = await this.#query<{ products: number | string; pesantren: number | string }>(
      `select count(*)::int as products, count(distinct s.pesantren_id)::int as pesantren
       from ${this.#table('product')} p join ${this.#table('seller')} s on s.id = p.seller_id
       where p.curation_status = 'FEATURED'`,
    );
    return { products: Number(row?.products ?? 0), pesantren: Number(row?.pesantren ?? 0) };
  }

  /** The same per regency of the sellers, with the pesantren that have a seller there at all. */
  async byRegency(): Promise<RegencyFigures[]> {
    const rows = await this.#query<{ regency_code: string; with_sellers: number | string; with_featured: number | string; featured: number | string }>(
      `select s.regency_code,
              count(distinct s.pesantren_id)::int as with_sellers,
              (count(distinct s.pesantren_id) filter (where p.curation_status = 'FEATURED'))::int as with_featured,
              (count(p.id) filter (where p.curation_status = 'FEATURED'))::int as featured
       from ${this.#table('seller')} s left join ${this.#table('product')} p on p.seller_id = s.id
       group by s.regency_code
       order by with_featured desc, featured desc, s.regency_code`,
    );
    return rows.map((row) => ({
      regencyCode: row.regency_code,
      pesantrenWithSellers: Number(row.with_sellers),
      pesantrenWithFeaturedProduct: Number(row.with_featured),
      featuredProducts: Number(row.featured),
    }));
  }

  /** Order requests per ISO week (WIB) and status, the last `count` weeks up to `now`'s; empty weeks and statuses as zeros. */
  async ordersByWeek(now: Date, count: number): Promise<WeekOfOrders[]> {
    const weeks = lastWeeks(now, count);
    const rows = await this.#query<{ week_start: string; status: OrderStatus; orders: number | string; value: number | string }>(
      `select to_char(date_trunc('week', ${wib('o.created_at')}), 'YYYY-MM-DD') as week_start, o.status,
              count(*)::int as orders, sum(o.total_rupiah)::bigint as value
       from ${this.#table('order_request')} o
       where o.created_at >= ?::timestamptz and o.created_at < ?::timestamptz
       group by 1, 2`,
      [weeks[0]!.from.toISOString(), weeks.at(-1)!.until.toISOString()],
    );
    const found = new Map(rows.map((row) => [`${row.week_start}|${row.status}`, { orders: Number(row.orders), valueRupiah: Number(row.value) }]));
    return weeks.map((week) => {
      const byStatus = ORDER_STATUSES.map((status) => ({ status, ...(found.get(`${week.start}|${status}`) ?? { orders: 0, valueRupiah: 0 }) }));
      return {
        weekStart: week.start,
        isoWeek: week.isoWeek,
        orders: byStatus.reduce((sum, tally) => sum + tally.orders, 0),
        valueRupiah: byStatus.reduce((sum, tally) => sum + tally.valueRupiah, 0),
        byStatus,
      };
    });
  }
}
