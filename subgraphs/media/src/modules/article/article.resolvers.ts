import { badUserInput, isUuid, pageSize, selectsField, totalCountOf } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';

const localized = (indonesian: string | null | undefined, english: string | null | undefined) => (indonesian ? { indonesian, english: english ?? null } : null);

export const articleResolvers: Resolvers = {
  Query: {
    article: (_parent, { slug }, ctx) => ctx.articles.findBySlug(slug),
    articles: async (_parent, { first, after, filter }, ctx, info) => {
      const outletId = filter?.outletSlug ? (await ctx.outlets.known(filter.outletSlug, 'filter.outletSlug')).id : undefined;
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
  },

  Mutation: {
    publishArticle: (_parent, { input }, ctx) => ctx.articleService.publish(input),
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
};
