import type { FilterQuery } from '@mikro-orm/core';
import { pageCursor, toConnection, type Connection, type EntityManager } from '@opop/server-kit';
import { Article } from './article.entity.ts';

const NEWEST = { publishedAt: 'desc', id: 'desc' } as const;
const SCOPE = 'article.NEWEST';
const LINK_TABLE = { pesantren: ['article_pesantren', 'pesantren_id'], product: ['article_product', 'product_id'] } as const;

export interface ArticleFilter {
  outletId?: string | undefined;
  pesantrenId?: string | undefined;
  productId?: string | undefined;
}

export class ArticleRepository {
  readonly #em: EntityManager;

  constructor(em: EntityManager) {
    this.#em = em;
  }

  findBySlug(slug: string): Promise<Article | null> {
    return this.#em.findOne(Article, { slug });
  }

  findByIds(ids: readonly string[]): Promise<Article[]> {
    return this.#em.find(Article, { id: { $in: [...ids] } });
  }

  async page(filter: ArticleFilter, first: number, after: string | null | undefined, includeCount: boolean): Promise<Connection<Article>> {
    const where: FilterQuery<Article> = {};
    const schema = this.#em.config.get('schema');
    const ids: string[][] = [];
    if (filter.outletId) where.outlet = filter.outletId;
    for (const [kind, id] of [['pesantren', filter.pesantrenId], ['product', filter.productId]] as const) {
      if (!id) continue;
      const [table, column] = LINK_TABLE[kind];
      const rows = await this.#em.getConnection().execute<{ article_id: string }[]>(`select article_id from "${schema}"."${table}" where ${column} = ?`, [id]);
      ids.push(rows.map((row) => row.article_id));
    }
    if (ids.length) where.id = { $in: ids.reduce((a, b) => a.filter((id) => b.includes(id))) };
    const cursor = pageCursor(after, SCOPE);
    return toConnection(
      await this.#em.findByCursor(Article, { where, first, ...(cursor ? { after: cursor } : {}), orderBy: NEWEST, includeCount }),
      SCOPE,
    );
  }

  /** The newest `first` articles about each of many pesantren (or products), in one query. */
  async newestFor(kind: 'pesantren' | 'product', ids: readonly string[], first: number): Promise<Map<string, Article[]>> {
    const schema = this.#em.config.get('schema');
    const [table, column] = LINK_TABLE[kind];
    const rows = await this.#em.getConnection().execute<Record<string, unknown>[]>(
      `select * from (
         select a.*, l.${column} as coverage_owner,
                row_number() over (partition by l.${column} order by a.published_at desc, a.id desc) as coverage_position
         from "${schema}"."article" a join "${schema}"."${table}" l on l.article_id = a.id
         where l.${column} in (${ids.map(() => '?').join(', ')})
       ) ranked where coverage_position <= ? order by coverage_owner, coverage_position`,
      [...ids, first],
    );
    const result = new Map<string, Article[]>();
    for (const { coverage_owner, coverage_position: _position, ...columns } of rows) {
      const owner = String(coverage_owner);
      result.set(owner, [...(result.get(owner) ?? []), this.#em.map(Article, columns)]);
    }
    return result;
  }
}
