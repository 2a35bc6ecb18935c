import type { APIRoute } from 'astro';
import { productIndex, regencySlug } from '../lib/data.ts';

/**
 * What this build published, for the publisher (server/publisher.ts) to compare the next change
 * with: each listed product with what decides the pages it appears on. Public data only.
 */
export const GET: APIRoute = async () => {
  const index = await productIndex();
  const products = index.all.map((product) => ({
    id: product.id,
    slug: product.slug,
    createdAt: product.createdAt,
    featured: product.featured,
    categoryPath: product.category.path,
    pillar: product.seller.pillar,
    sellerId: product.seller.id,
    sellerSlug: product.seller.slug,
    pesantrenSlug: product.pesantren?.slug ?? null,
    regencySlug: product.pesantren ? regencySlug(product.pesantren.regency) : null,
  }));
  return new Response(JSON.stringify({ products }), { headers: { 'content-type': 'application/json' } });
};
