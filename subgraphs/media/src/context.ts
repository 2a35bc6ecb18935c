import DataLoader from 'dataloader';
import { byKey, loaderById, type SubgraphRequestContext } from '@opop/server-kit';
import { Article, ArticlePesantren, ArticleProduct } from './modules/article/article.entity.ts';
import { ArticleRepository } from './modules/article/article.repository.ts';
import { Outlet } from './modules/outlet/outlet.entity.ts';

export interface EntityReference {
  id: string;
}

export interface CoverageKey {
  kind: 'pesantren' | 'product';
  id: string;
  first: number;
}

export interface MediaContext extends SubgraphRequestContext {
  articles: ArticleRepository;
  loaders: {
    outletById: DataLoader<string, Outlet | null>;
    articleById: DataLoader<string, Article | null>;
    pesantrenOfArticle: DataLoader<string, string[]>;
    productsOfArticle: DataLoader<string, string[]>;
    /** The newest articles about many pesantren or products, in one query per kind and size. */
    coverage: DataLoader<CoverageKey, Article[], string>;
  };
}

const coverageKey = (key: CoverageKey) => `${key.kind}|${key.id}|${key.first}`;

export function createMediaContext(base: SubgraphRequestContext): MediaContext {
  const { em } = base;
  const articles = new ArticleRepository(em);
  return {
    ...base,
    articles,
    loaders: {
      outletById: loaderById((ids) => em.find(Outlet, { id: { $in: [...ids] } })),
      articleById: loaderById((ids) => em.find(Article, { id: { $in: [...ids] } })),
      pesantrenOfArticle: new DataLoader(async (ids) => {
        const links = await em.find(ArticlePesantren, { article: { $in: [...ids] } });
        return byKey(ids, Map.groupBy(links, (link) => link.article.id), []).map((group) => group.map((link) => link.pesantrenId));
      }),
      productsOfArticle: new DataLoader(async (ids) => {
        const links = await em.find(ArticleProduct, { article: { $in: [...ids] } });
        return byKey(ids, Map.groupBy(links, (link) => link.article.id), []).map((group) => group.map((link) => link.productId));
      }),
      coverage: new DataLoader(
        async (keys) => {
          const found = new Map<string, Article[]>();
          for (const group of Map.groupBy(keys, (key) => `${key.kind}|${key.first}`).values()) {
            const { kind, first } = group[0]!;
            const result = await articles.newestFor(kind, group.map((key) => key.id), first);
            for (const key of group) found.set(coverageKey(key), result.get(key.id) ?? []);
          }
          return keys.map((key) => found.get(coverageKey(key)) ?? []);
        },
        { cacheKeyFn: coverageKey },
      ),
    },
  };
}
