import { regencySlug } from './i18n.ts';

/**
 * A listed product with what decides the pages it appears on. The build writes every one in
 * publish-manifest.json; the publisher (server/publisher.ts) compares a change against them.
 */
export interface PublishedProduct {
  id: string;
  slug: string;
  createdAt: string;
  featured: boolean;
  categoryPath: string[];
  pillar: string;
  sellerId: string;
  sellerSlug: string;
  pesantrenSlug: string | null;
  regencySlug: string | null;
}

/** The fields the build's data and the publisher's query both ask for. */
export interface ProductPlacement {
  id: string;
  slug: string;
  createdAt: string;
  featured: boolean;
  category: { path: readonly string[] };
  seller: { id: string; slug: string; pillar: string };
  pesantren?: { slug: string; regency: { displayName: string } } | null;
}

export const publishedProduct = (product: ProductPlacement): PublishedProduct => ({
  id: product.id,
  slug: product.slug,
  createdAt: product.createdAt,
  featured: product.featured,
  categoryPath: [...product.category.path],
  pillar: product.seller.pillar,
  sellerId: product.seller.id,
  sellerSlug: product.seller.slug,
  pesantrenSlug: product.pesantren?.slug ?? null,
  regencySlug: product.pesantren ? regencySlug(product.pesantren.regency) : null,
});
