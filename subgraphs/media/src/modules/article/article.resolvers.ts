import slugify from '@sindresorhus/slugify';
import { randomUUID } from 'node:crypto';
import { badUserInput, isUuid, pageSize, parseInput, requireVisitor, selectsField, totalCountOf } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import { Outlet } from '../outlet/outlet.entity.ts';
import { WidgetPlacement } from '../widget/widget.entity.ts';
import { canonicalPageUrl, recordWidgetEvent } from '../widget/widget-events.ts';
import { Article, ArticlePesantren, ArticleProduct } from './article.entity.ts';
import { publishArticleInput, widgetEventInput } from './article.input.ts';
import { renderMarkdown } from './markdown.ts';

const localized = (indonesian: string | null | undefined, english: string | null | undefined) => (indonesian ? { indonesian, english: english ?? null } : null);

export const articleResolvers: Resolvers = {
  Query: {
    outlets: (_parent, _args, { em }) => em.find(Outlet, {}, { orderBy: { name: 'asc' } }),
    outlet: (_parent, { slug }, { em }) => em.findOne(Outlet, { slug }),
    article: (_parent, { slug }, { em }) => em.findOne(Article, { slug }),
    articles: async (_parent, { first, after, filter }, ctx, info) => {
      let outletId: string | undefined;
      if (filter?.outletSlug) {
        const outlet = await ctx.em.findOne(Outlet, { slug: filter.outletSlug });
        if (!outlet) throw badUserInput(`is not a known outlet (${filter.outletSlug.slice(0, 80)})`, 'filter.outletSlug');
        outletId = outlet.id;
      }
      for (const field of ['pesantrenId', 'productId'] as const) {
        if (filter?.[field] && !isUuid(filter[field])) throw badUserInput('is not a valid id', `filter.${field}`);
      }
      return ctx.articles.page(
        { outletId, pesantrenId: filter?.pesantrenId?.toLowerCase() ?? undefined, productId: filter?.productId?.toLowerCase() ?? undefined },
        pageSize(first, 10),
        after,
        selectsField(info, 'totalCount'),
      );
    },
    widgetPlacements: async (_parent, { outletSlug, first }, ctx) => {
      const outlet = outletSlug ? await ctx.em.findOne(Outlet, { slug: outletSlug }) : undefined;
      if (outletSlug && !outlet) throw badUserInput(`is not a known outlet (${outletSlug.slice(0, 80)})`, 'outletSlug');
      return ctx.em.find(WidgetPlacement, outlet ? { outlet } : {}, { orderBy: { views: 'desc', id: 'asc' }, limit: pageSize(first, 50) });
    },
  },

  Mutation: {
    publishArticle: async (_parent, { input }, ctx) => {
      const data = parseInput(publishArticleInput, input, 'input');
      const outlet = await ctx.em.findOne(Outlet, { slug: data.outletSlug });
      if (!outlet) throw badUserInput(`is not a known outlet (${data.outletSlug})`, 'input.outletSlug');
      const id = randomUUID();
      const article = ctx.em.create(Article, {
        id,
        slug: `${slugify(data.titleIndonesian).slice(0, 180)}-${id.slice(0, 8)}`,
        outlet,
        titleIndonesian: data.titleIndonesian,
        titleEnglish: data.titleEnglish ?? null,
        summaryIndonesian: data.summaryIndonesian ?? null,
        summaryEnglish: data.summaryEnglish ?? null,
        bodyMarkdown: data.bodyMarkdown,
        bodyHtml: renderMarkdown(data.bodyMarkdown),
        publishedAt: data.publishedAt ? new Date(data.publishedAt) : new Date(),
        isDemo: false,
      });
      for (const pesantrenId of new Set(data.pesantrenIds)) ctx.em.create(ArticlePesantren, { article, pesantrenId });
      for (const productId of new Set(data.productIds ?? [])) ctx.em.create(ArticleProduct, { article, productId });
      await ctx.em.flush();
      return article;
    },

    recordWidgetEvent: async (_parent, { input }, ctx) => {
      const data = parseInput(widgetEventInput, input, 'input');
      const outlet = await ctx.em.findOne(Outlet, { publicKey: data.outletKey });
      if (!outlet) throw badUserInput('is not the key of a media partner', 'input.outletKey');
      const counted = await recordWidgetEvent(ctx.em, {
        outlet,
        pageUrl: canonicalPageUrl(data.pageUrl),
        widget: data.widget,
        productIds: data.productIds ?? [],
        pesantrenId: data.pesantrenId ?? null,
        event: data.event,
        visitor: requireVisitor(ctx.visitor),
        at: new Date(),
      });
      return { counted };
    },
  },

  Outlet: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.outletById.load(reference.id.toLowerCase()) : null),
    articles: (outlet, { first, after }, ctx, info) => ctx.articles.page({ outletId: outlet.id }, pageSize(first, 10), after, selectsField(info, 'totalCount')),
  },

  Article: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.articleById.load(reference.id.toLowerCase()) : null),
    title: (article) => ({ indonesian: article.titleIndonesian, english: article.titleEnglish }),
    summary: (article) => localized(article.summaryIndonesian, article.summaryEnglish),
    outlet: async (article, _args, { loaders }) => (await loaders.outletById.load(article.outlet.id))!,
    pesantren: async (article, _args, { loaders }) => (await loaders.pesantrenOfArticle.load(article.id)).map((id) => ({ id })),
    products: async (article, _args, { loaders }) => (await loaders.productsOfArticle.load(article.id)).map((id) => ({ id })),
  },

  ArticleConnection: {
    totalCount: totalCountOf,
  },

  Pesantren: {
    __resolveReference: (reference) => ({ id: reference.id }),
    coverage: (pesantren, { first }, { loaders }) =>
      isUuid(pesantren.id) ? loaders.coverage.load({ kind: 'pesantren', id: pesantren.id.toLowerCase(), first: pageSize(first, 5) }) : [],
  },

  Product: {
    __resolveReference: (reference) => ({ id: reference.id }),
    coverage: (product, { first }, { loaders }) =>
      isUuid(product.id) ? loaders.coverage.load({ kind: 'product', id: product.id.toLowerCase(), first: pageSize(first, 5) }) : [],
  },

  WidgetPlacement: {
    outlet: async (placement, _args, { loaders }) => (await loaders.outletById.load(placement.outlet.id))!,
    products: (placement) => placement.productIds.map((id) => ({ id })),
    pesantren: (placement) => (placement.pesantrenId ? { id: placement.pesantrenId } : null),
  },
};
