import { productIndex, type Product } from './data.ts';
import { href, type Locale } from './i18n.ts';
import { publishedPaths } from './partial-build.ts';

/** A seller as the storefront shows it: read from its listed products, which carry it. */
export type Seller = Product['seller'];

export interface SellerPageProps {
  locale: Locale;
  seller: Seller;
  /** The seller's pesantren and place, from its products (null while the pesantren service was down at build time). */
  pesantren: Product['pesantren'];
  products: Product[];
}

/**
 * One page per seller with listed products. Sellers without any have nothing for shoppers, so no
 * page (and no link to one).
 */
export async function sellerPaths(locale: Locale) {
  const index = await productIndex();
  const bySeller = new Map<string, Product[]>();
  for (const product of index.all) bySeller.set(product.seller.slug, [...(bySeller.get(product.seller.slug) ?? []), product]);
  return publishedPaths([...bySeller.values()], (products) => href(locale, 'seller', products[0]!.seller.slug)).map((products) => {
    const first = products[0]!;
    return {
      params: { slug: first.seller.slug },
      props: { locale, seller: first.seller, pesantren: products.find((product) => product.pesantren)?.pesantren ?? null, products } satisfies SellerPageProps,
    };
  });
}
