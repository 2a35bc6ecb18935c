import slugify from '@sindresorhus/slugify';
import { Cursor, raw, type FilterQuery } from '@mikro-orm/core';
import { badUserInput, pageCursor, readStatement, recordReader, scopedCursor, toConnection, type Connection, type EntityManager, type SharedCounts } from '@opop/server-kit';
import type { CategoryDirectory } from '../category/category.directory.ts';
import { LISTED_STATUSES, Product, type CurationStatus, type ProductRecord } from './product.entity.ts';
import { READ_ALWAYS, WHOLE_ROW, type ProductRead } from './product.reads.ts';
import { Seller, type Pillar } from '../seller/seller.entity.ts';

export const PRODUCT_SORTS = {
  NEWEST: { orderBy: { createdAt: 'desc', id: 'desc' }, sql: 'p.created_at desc, p.id desc' },
  PRICE_ASC: { orderBy: { priceRupiah: 'asc', id: 'asc' }, sql: 'p.price_rupiah asc, p.id asc' },
  PRICE_DESC: { orderBy: { priceRupiah: 'desc', id: 'desc' }, sql: 'p.price_rupiah desc, p.id desc' },
  NAME: { orderBy: { nameIndonesian: 'asc', id: 'asc' }, sql: 'p.name_indonesian asc, p.id asc' },
  /** The curation queue's order: the product whose current status began earliest first. */
  LONGEST_WAITING: { orderBy: { statusSince: 'asc', id: 'asc' }, sql: 'p.status_since asc, p.id asc' },
} as const;
export type ProductSort = keyof typeof PRODUCT_SORTS;

export interface ProductPageOptions {
  first: number;
  after: string | null | undefined;
  sort: ProductSort;
  includeCount: boolean;
}

/**
 * What a listing narrows to, beyond who it is for: the shoppers' ProductFilter and the managers'
 * ManagedProductFilter, each parsed (zod) and mapped onto this.
 */
export interface ProductCriteria {
  /** Category slug; its subcategories match too. */
  category?: string | null | undefined;
  regencyCodes?: readonly string[] | null | undefined;
  pesantrenId?: string | null | undefined;
  sellerId?: string | null | undefined;
  pillars?: readonly Pillar[] | null | undefined;
  featured?: boolean | null | undefined;
  minPriceRupiah?: number | null | undefined;
  maxPriceRupiah?: number | null | undefined;
  inStock?: boolean | null | undefined;
  /** Words each found, case-insensitively, in the Indonesian or the English name (ILIKE). */
  nameWords?: readonly string[] | null | undefined;
  /** Only products whose current curation status began before this instant. */
  statusSinceBefore?: Date | null | undefined;
}

/** A LIKE pattern matching `text` anywhere, with LIKE's own characters taken literally. */
export const containing = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/** Who a listing is for: shoppers see listed products; managers see every status of their scope. */
export type Visibility = { kind: 'public' } | { kind: 'managed'; pesantrenId: string | null; statuses: readonly CurationStatus[] | null };

const OWNER_COLUMN = { pesantren: 's.pesantren_id', seller: 'p.seller_id' } as const;
export type ProductOwner = keyof typeof OWNER_COLUMN;

/**
 * How long a count of listed products is reused (`SharedCounts`) for shoppers' lists and the
 * category menu: the schema's descriptions of `totalCount` and `productCount` say so.
 */
export const LISTED_COUNTS_TTL_MS = 60_000;

/** The SQL of each product read, by table, key column, arity and column set: a few texts, built once. */
const readSql = new Map<string, string>();

export class ProductRepository {
  readonly #em: EntityManager;
  readonly #categories: CategoryDirectory;
  readonly #counts: SharedCounts | undefined;

  constructor(em: EntityManager, categories: CategoryDirectory, counts?: SharedCounts) {
    this.#em = em;
    this.#categories = categories;
    this.#counts = counts;
  }

  /**
   * Products by id for reads (search hits, the router's entity batches, order lines), as records,
   * in no particular order. Narrowed to `read`, as `findOneToRead` is.
   */
  findByIdsToRead(ids: readonly string[], read: ProductRead = WHOLE_ROW): Promise<ProductRecord[]> {
    return this.#readRecords('id', ids, read);
  }

  /** A product with its seller, for writes (which check the seller's pesantren). */
  findOne(where: { id?: string; slug?: string }): Promise<Product | null> {
    return this.#em.findOne(Product, where, { populate: ['seller'] });
  }

  /**
   * A product by id or slug, for reads: `product(id|slug)` answers the product page, live stock
   * and price, and every widget card, so it is the catalogue's hottest read. One fixed statement
   * and a record, not an entity (see `readRecords`). Narrowed to `read`, the record holds only
   * READ_ALWAYS and the read's columns: it is for the resolvers of the selection it was chosen
   * for (`productReadFor`), and nothing else may be given it.
   */
  async findOneToRead(where: { id: string } | { slug: string }, read: ProductRead = WHOLE_ROW): Promise<ProductRecord | null> {
    const found = 'id' in where ? await this.#readRecords('id', [where.id], read) : await this.#readRecords('slug', [where.slug], read);
    return found[0] ?? null;
  }

  /**
   * Product records whose seller reference also holds the seller's pesantren, read in the same
   * statement: `Product.pesantren` is on every card, search hit and entity batch the router
   * sends, and this way it costs no second query. The rest of the seller is loaded (batched)
   * only by the resolvers that need it.
   */
  async #readRecords(column: 'id' | 'slug', values: readonly string[], read: ProductRead = WHOLE_ROW): Promise<ProductRecord[]> {
    if (values.length === 0) return [];
    const products = recordReader(this.#em, Product);
    const sellers = recordReader(this.#em, Seller);
    const key = `${products.table} ${column} ${values.length === 1} ${read.name}`;
    let sql = readSql.get(key);
    if (!sql) {
      const selected = read.properties ? [...READ_ALWAYS, ...read.properties].map((property) => `p."${products.columnOf(property)}"`).join(', ') : 'p.*';
      sql = `select ${selected}, s.pesantren_id as seller_pesantren_id from ${products.table} p join ${sellers.table} s on s.id = p.seller_id where p."${column}" ${values.length === 1 ? '= ?' : '= any(?)'}`;
      readSql.set(key, sql);
    }
    const rows = await readStatement(this.#em, sql, [values.length === 1 ? values[0] : [...values]]);
    return rows.map((row) => {
      const record = products.toRecord(row) as unknown as ProductRecord;
      record.seller = { id: record.seller.id, pesantrenId: row['seller_pesantren_id'] as string };
      return record;
    });
  }

  /** One page of products, with their sellers joined in the same query. */
  async page(visibility: Visibility, filter: ProductCriteria | null | undefined, options: ProductPageOptions): Promise<Connection<Product>> {
    const scope = `product.${options.sort}`;
    const after = pageCursor(options.after, scope);
    // Shoppers' lists share their count across requests (an exact count over the programme's
    // listed products is most of such a request); managers' lists count exactly, every time.
    const shared = options.includeCount && visibility.kind === 'public' && this.#counts ? this.#counts : undefined;
    // Each query gets a criteria object of its own: the ORM may rewrite the one it is given.
    const [cursor, sharedTotal] = await Promise.all([
      this.#em.findByCursor(Product, {
        where: this.#where(visibility, filter ?? {}),
        populate: ['seller'],
        first: options.first,
        ...(after ? { after } : {}),
        orderBy: PRODUCT_SORTS[options.sort].orderBy,
        includeCount: options.includeCount && !shared,
      }),
      shared ? shared.get(`listed:${JSON.stringify(filter ?? {})}`, () => this.#em.fork().count(Product, this.#where(visibility, filter ?? {}))) : undefined,
    ]);
    const connection = toConnection(cursor, scope);
    return sharedTotal === undefined ? connection : { ...connection, totalCount: sharedTotal };
  }

  /**
   * The first page of listed products for each of many pesantren (or sellers) in ONE query: a
   * window function numbers each owner's products, so a list of 50 pesantren with their products
   * costs one round trip, not 50. Cursors match `page()`, so a client pages on from there.
   */
  async firstPages(owner: ProductOwner, ownerIds: readonly string[], first: number, sort: ProductSort): Promise<Map<string, Connection<Product>>> {
    const schema = this.#em.config.get('schema');
    const column = OWNER_COLUMN[owner];
    const statuses = LISTED_STATUSES.map(() => '?').join(', ');
    const owners = ownerIds.map(() => '?').join(', ');
    const rows = await this.#em.getConnection().execute<Record<string, unknown>[]>(
      `select * from (
         select p.*, ${column} as page_owner,
                row_number() over (partition by ${column} order by ${PRODUCT_SORTS[sort].sql}) as page_position,
                count(*) over (partition by ${column}) as page_total
         from "${schema}"."product" p join "${schema}"."seller" s on s.id = p.seller_id
         where p.curation_status in (${statuses}) and ${column} in (${owners})
       ) ranked
       where page_position <= ?
       order by page_owner, page_position`,
      [...LISTED_STATUSES, ...ownerIds, first + 1],
    );
    const meta = this.#em.getMetadata().get(Product);
    const scope = `product.${sort}`;
    const grouped = new Map<string, { items: Product[]; total: number }>();
    for (const { page_owner, page_position: _position, page_total, ...columns } of rows) {
      const group = grouped.get(String(page_owner)) ?? { items: [], total: Number(page_total) };
      group.items.push(this.#em.map(Product, columns));
      grouped.set(String(page_owner), group);
    }
    const result = new Map<string, Connection<Product>>();
    for (const ownerId of ownerIds) {
      const { items, total } = grouped.get(ownerId) ?? { items: [], total: 0 };
      const page = items.slice(0, first);
      const cursorOf = (product: Product) => scopedCursor(scope, Cursor.for(meta, product, PRODUCT_SORTS[sort].orderBy));
      result.set(ownerId, {
        edges: page.map((node) => ({ cursor: cursorOf(node), node })),
        nodes: page,
        pageInfo: {
          hasNextPage: items.length > first,
          hasPreviousPage: false,
          startCursor: page[0] ? cursorOf(page[0]) : null,
          endCursor: page.at(-1) ? cursorOf(page.at(-1)!) : null,
        },
        totalCount: total,
      });
    }
    return result;
  }

  /** Listed products per category id, in one grouped query. */
  async listedCountsByCategory(): Promise<Map<string, number>> {
    const rows = await this.#em
      .createQueryBuilder(Product, 'p')
      .select(['p.category', raw('count(*) as total')])
      .where({ curationStatus: { $in: [...LISTED_STATUSES] } })
      .groupBy('p.category')
      .execute<{ category_id: string; total: string | number }[]>('all', false);
    return new Map(rows.map((row) => [row.category_id, Number(row.total)]));
  }

  /** Slug from the Indonesian name plus the start of the id: readable, and unique without a lookup. */
  static slugFor(name: string, id: string): string {
    return `${slugify(name).slice(0, 180) || 'produk'}-${id.slice(0, 8)}`;
  }

  #where(visibility: Visibility, filter: ProductCriteria): FilterQuery<Product> {
    const where: Record<string, unknown> = {};
    const seller: Record<string, unknown> = {};
    const all: Record<string, unknown>[] = [];
    if (visibility.kind === 'public') where['curationStatus'] = { $in: [...LISTED_STATUSES] };
    else if (visibility.statuses?.length) where['curationStatus'] = { $in: [...visibility.statuses] };
    if (filter.category) {
      const category = this.#categories.bySlug(filter.category);
      if (!category) throw badUserInput(`is not a known category (${filter.category})`, 'filter.category');
      where['category'] = { $in: this.#categories.subtree(category).map((c) => c.id) };
    }
    if (filter.featured === true) where['curationStatus'] = 'FEATURED';
    if (filter.featured === false) all.push({ curationStatus: { $ne: 'FEATURED' } });
    if (filter.minPriceRupiah != null || filter.maxPriceRupiah != null) {
      where['priceRupiah'] = {
        ...(filter.minPriceRupiah != null ? { $gte: filter.minPriceRupiah } : {}),
        ...(filter.maxPriceRupiah != null ? { $lte: filter.maxPriceRupiah } : {}),
      };
    }
    if (filter.inStock != null) where['stock'] = filter.inStock ? { $gt: 0 } : 0;
    for (const word of filter.nameWords ?? []) {
      all.push({ $or: [{ nameIndonesian: { $ilike: containing(word) } }, { nameEnglish: { $ilike: containing(word) } }] });
    }
    if (filter.statusSinceBefore) where['statusSince'] = { $lt: filter.statusSinceBefore };
    if (filter.regencyCodes?.length) seller['regencyCode'] = { $in: filter.regencyCodes };
    if (filter.pillars?.length) seller['pillar'] = { $in: filter.pillars };
    if (filter.pesantrenId) seller['pesantrenId'] = filter.pesantrenId;
    if (filter.sellerId) seller['id'] = filter.sellerId;
    // An operator's scope is applied last, so no filter can widen it.
    if (visibility.kind === 'managed' && visibility.pesantrenId) seller['pesantrenId'] = visibility.pesantrenId;
    if (Object.keys(seller).length > 0) where['seller'] = seller;
    if (all.length > 0) where['$and'] = all;
    return where as FilterQuery<Product>;
  }
}
