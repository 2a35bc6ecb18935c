import type { Resolvers } from '../../generated/graphql.ts';

export const categoryResolvers: Resolvers = {
  Query: {
    categories: (_parent, _args, { categories }) => [...categories.roots()],
    category: (_parent, { slug }, { categories }) => categories.bySlug(slug) ?? null,
  },
  Category: {
    name: (category) => ({ indonesian: category.nameIndonesian, english: category.nameEnglish }),
    parent: (category, _args, { categories }) => categories.parent(category),
    children: (category, _args, { categories }) => [...categories.children(category)],
    path: (category, _args, { categories }) => categories.path(category),
    productCount: async (category, _args, ctx) => {
      const counts = await ctx.listedCountsByCategory();
      return ctx.categories.subtree(category).reduce((sum, node) => sum + (counts.get(node.id) ?? 0), 0);
    },
  },
};
