/** How many products the home page's featured row shows. */
export const SHOWCASE_SIZE = 8;

/**
 * The home page's featured row, a shopper's first look at the catalogue: featured products with a
 * photo first, then featured ones without, each in the catalogue's order (newest first); the
 * newest products when nothing is featured yet.
 */
export function homeShowcase<T extends { featured: boolean; images: readonly unknown[] }>(catalogue: readonly T[]): T[] {
  const featured = catalogue.filter((product) => product.featured);
  if (featured.length === 0) return catalogue.slice(0, SHOWCASE_SIZE);
  const withPhoto = featured.filter((product) => product.images.length > 0);
  const withoutPhoto = featured.filter((product) => product.images.length === 0);
  return [...withPhoto, ...withoutPhoto].slice(0, SHOWCASE_SIZE);
}
