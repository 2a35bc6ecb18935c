import { generateMedia, generateWorld, type DemoWorld } from '@opop/demo-data';
import type { Database, EntityManager, Logger } from '@opop/server-kit';
import { Article, ArticlePesantren, ArticleProduct } from '../src/modules/article/article.entity.ts';
import { renderMarkdown } from '../src/modules/article/markdown.ts';
import { Outlet } from '../src/modules/outlet/outlet.entity.ts';
import { placementKeyOf } from '../src/modules/widget/widget-events.ts';
import { WidgetDailyStat, WidgetEvent, WidgetPlacement } from '../src/modules/widget/widget.entity.ts';

const BATCH = 1_000;

async function insertInBatches<T>(items: readonly T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH) await insert(items.slice(start, start + BATCH));
}

/**
 * Replaces articles and widget placements with the generated world's, in one transaction.
 * Outlets and their keys are reference data from the migrations and stay. Demo placements carry
 * their counts without the individual events behind them, and are marked as demo data; the daily
 * counts of the events deleted go with them.
 */
export async function loadMedia(em: EntityManager, world: DemoWorld): Promise<Record<string, number>> {
  const media = generateMedia(world);
  const outletIds = new Map((await em.find(Outlet, {})).map((outlet) => [outlet.slug, outlet.id]));
  await em.transactional(async (tx) => {
    await tx.nativeDelete(WidgetEvent, {});
    await tx.nativeDelete(WidgetDailyStat, {});
    await tx.nativeDelete(WidgetPlacement, {});
    await tx.nativeDelete(ArticleProduct, {});
    await tx.nativeDelete(ArticlePesantren, {});
    await tx.nativeDelete(Article, {});
    await insertInBatches(media.articles, (batch) =>
      tx.insertMany(
        Article,
        batch.map((a) => ({
          id: a.id,
          slug: a.slug,
          outlet: outletIds.get(a.outletSlug)!,
          titleIndonesian: a.titleId,
          titleEnglish: a.titleEn,
          summaryIndonesian: a.summaryId,
          summaryEnglish: a.summaryEn,
          bodyMarkdown: a.bodyMarkdown,
          bodyHtml: renderMarkdown(a.bodyMarkdown),
          publishedAt: a.publishedAt,
          isDemo: true,
          createdAt: a.publishedAt,
        })),
      ),
    );
    await insertInBatches(media.articles.flatMap((a) => [...new Set(a.pesantrenIds)].map((pesantrenId) => ({ article: a.id, pesantrenId }))), (b) => tx.insertMany(ArticlePesantren, b));
    await insertInBatches(media.articles.flatMap((a) => [...new Set(a.productIds)].map((productId) => ({ article: a.id, productId }))), (b) => tx.insertMany(ArticleProduct, b));
    await tx.insertMany(
      WidgetPlacement,
      media.placements.map((p) => ({
        id: p.id,
        placementKey: placementKeyOf(outletIds.get(p.outletSlug)!, p.pageUrl, p.widgetKind, p.productIds, p.pesantrenId),
        outlet: outletIds.get(p.outletSlug)!,
        pageUrl: p.pageUrl,
        widget: p.widgetKind,
        productIds: p.productIds,
        pesantrenId: p.pesantrenId,
        views: p.views,
        clicks: p.clicks,
        firstSeenAt: p.firstSeenAt,
        lastSeenAt: p.lastSeenAt,
        isDemo: true,
      })),
    );
  });
  return { articles: media.articles.length, placements: media.placements.length };
}

/** First run of `npm start`: an empty database gets the demo data set. */
export async function seedDemoDataIfEmpty(database: Database, _logger: Logger): Promise<Record<string, number> | undefined> {
  const em = database.fork();
  if ((await em.count(Article, {})) > 0) return undefined;
  return loadMedia(em, generateWorld('demo'));
}
