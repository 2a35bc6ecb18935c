import DataLoader from 'dataloader';
import { byKey, loaderById, type EntityReferences, type SubgraphRequestContext } from '@opop/server-kit';
import { Article, ArticlePesantren, ArticleProduct } from './modules/article/article.entity.ts';
import { ArticleRepository } from './modules/article/article.repository.ts';
import { ArticleService } from './modules/article/article.service.ts';
import { OutletKeyService } from './modules/outlet/outlet-key.service.ts';
import type { Outlet } from './modules/outlet/outlet.entity.ts';
import { OutletRepository } from './modules/outlet/outlet.repository.ts';
import { WidgetPlacementRepository } from './modules/widget/widget.repository.ts';
import { WidgetEventService } from './modules/widget/widget.service.ts';

export interface EntityReference {
  id: string;
}

export interface CoverageKey {
  kind: 'pesantren' | 'product';
  id: string;
  first: number;
}

export interface MediaContext extends SubgraphRequestContext {
  outlets: OutletRepository;
  articles: ArticleRepository;
  placements: WidgetPlacementRepository;
  articleService: ArticleService;
  widgetEvents: WidgetEventService;
  outletKeyService: OutletKeyService;
  loaders: {
    outletById: DataLoader<string, Outlet | null>;
    /** Each outlet's first active widget key (`Outlet.publicKey`), for a whole list of outlets in one query. */
    firstActiveKey: DataLoader<string, string | undefined>;
    articleById: DataLoader<string, Article | null>;
    pesantrenOfArticle: DataLoader<string, string[]>;
    productsOfArticle: DataLoader<string, string[]>;
    /** The newest articles about many pesantren or products, in one query per kind and size. */
    coverage: DataLoader<CoverageKey, Article[], string>;
  };
}

/** The owners of the pesantren and products media links to; undefined where media runs alone (never in production). */
export interface OwnerReferences {
  pesantren: EntityReferences | undefined;
  products: EntityReferences | undefined;
}

export interface MediaReferences extends OwnerReferences {
  /** The same owners behind a cache, for widget events (anonymous and frequent). */
  hot: OwnerReferences;
}

const UNCHECKED: MediaReferences = { pesantren: undefined, products: undefined, hot: { pesantren: undefined, products: undefined } };

const coverageKey = (key: CoverageKey) => `${key.kind}|${key.id}|${key.first}`;

export function createMediaContext(base: SubgraphRequestContext, references: MediaReferences = UNCHECKED): MediaContext {
  const { em, identity, logger } = base;
  const outlets = new OutletRepository(em);
  const articles = new ArticleRepository(em);
  return {
    ...base,
    outlets,
    articles,
    placements: new WidgetPlacementRepository(em),
    articleService: new ArticleService(em, outlets, references),
    widgetEvents: new WidgetEventService(em, outlets, references.hot),
    outletKeyService: new OutletKeyService({ em, identity, logger, outlets }),
    loaders: {
      outletById: loaderById((ids) => outlets.findByIds(ids)),
      firstActiveKey: new DataLoader(async (ids) => {
        const first = await outlets.firstActiveKeys(ids);
        return ids.map((id) => first.get(id));
      }),
      articleById: loaderById((ids) => articles.findByIds(ids)),
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
