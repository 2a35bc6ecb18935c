import { allCategories, productIndex, type Product } from './data.ts';
import { rupiah, weight } from './format.ts';
import { href, type Locale } from './i18n.ts';
import { publishedPaths } from './partial-build.ts';

export interface ProductPageProps {
  locale: Locale;
  product: Product;
  related: Product[];
  /** Names of the product's category path, root first. */
  categoryTrail: { slug: string; name: { indonesian: string; english: string | null } }[];
  /**
   * What tells this product apart from the seller's other listings of the same name (its weight,
   * and its price when the weights match too), for the page title; null when it has no namesake.
   */
  variant: string | null;
}

/** A seller sells the same product in two sizes under one name: the size (or the price) names each. */
function variantOf(product: Product, namesakes: readonly Product[], locale: Locale): string | null {
  const others = namesakes.filter((other) => other.id !== product.id);
  if (others.length === 0) return null;
  const size = weight(product.weightGrams, locale);
  return others.some((other) => other.weightGrams === product.weightGrams) ? `${size}, ${rupiah(product.priceRupiah)}` : size;
}

const RELATED = 4;

export async function productPaths(locale: Locale) {
  const index = await productIndex();
  const categoryBySlug = new Map((await allCategories()).map((category) => [category.slug, category]));
  const namesakes = new Map<string, Product[]>();
  for (const product of index.all) {
    const key = `${product.seller.name}\u0000${product.name.indonesian}`;
    namesakes.set(key, [...(namesakes.get(key) ?? []), product]);
  }
  return publishedPaths(index.all, (product) => href(locale, 'product', product.slug)).map((product) => {
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
    const variant = variantOf(product, namesakes.get(`${product.seller.name}\u0000${product.name.indonesian}`)!, locale);
    return { params: { slug: product.slug }, props: { locale, product, related, categoryTrail, variant } satisfies ProductPageProps };
  });
}
