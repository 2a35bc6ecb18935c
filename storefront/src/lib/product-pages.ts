import { allCategories, productIndex, type Product } from './data.ts';
import type { Locale } from './i18n.ts';

export interface ProductPageProps {
  locale: Locale;
  product: Product;
  related: Product[];
  /** Names of the product's category path, root first. */
  categoryTrail: { slug: string; name: { indonesian: string; english: string | null } }[];
}

const RELATED = 4;

export async function productPaths(locale: Locale) {
  const index = await productIndex();
  const categoryBySlug = new Map((await allCategories()).map((category) => [category.slug, category]));
  return index.all.map((product) => {
    // Nearest relatives first: the same category, then the categories above it.
    const related: Product[] = [];
    for (const slug of [...product.category.path].reverse()) {
      for (const candidate of index.byCategoryPath.get(slug) ?? []) {
        if (related.length === RELATED) break;
        if (candidate.id !== product.id && !related.includes(candidate)) related.push(candidate);
      }
    }
    const categoryTrail = product.category.path.flatMap((slug) => {
      const category = categoryBySlug.get(slug);
      return category ? [{ slug, name: category.name }] : [];
    });
    return { params: { slug: product.slug }, props: { locale, product, related, categoryTrail } satisfies ProductPageProps };
  });
}
