import type { APIRoute } from 'astro';
import { productIndex } from '../lib/data.ts';
import { publishedProduct } from '../lib/published-product.ts';

/**
 * What this build published, for the publisher (server/publisher.ts) to compare the next change
 * with: each listed product with what decides the pages it appears on. Public data only.
 */
export const GET: APIRoute = async () => {
  const index = await productIndex();
  return new Response(JSON.stringify({ products: index.all.map(publishedProduct) }), { headers: { 'content-type': 'application/json' } });
};
