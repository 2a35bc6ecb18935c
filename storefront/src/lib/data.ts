import { ApiError, execute } from './api.ts';
import type { TypedDocumentString } from '../generated/operations.ts';
import {
  StorefrontArticlesDocument,
  StorefrontCategoriesDocument,
  StorefrontInnovationDocument,
  StorefrontOutletsDocument,
  StorefrontPartnerDocument,
  StorefrontPartnersDocument,
  StorefrontPesantrenDocument,
  StorefrontProductsDocument,
  StorefrontRegenciesDocument,
  type StorefrontArticlesQuery,
  type StorefrontEngagementCardFragment,
  type StorefrontEngagementFragment,
  type StorefrontPartnerQuery,
  type CategoryFieldsFragment,
  type StorefrontPesantrenQuery,
  type StorefrontProductsQuery,
  type StorefrontRegenciesQuery,
} from '../generated/operations.ts';

/**
 * Everything the pages show, read from the supergraph once per build and shared by every page
 * (Astro renders all pages in one process). Reading it all up front keeps the build to a few
 * hundred requests at 10,000 products instead of several per page.
 */
export const API_URL = process.env['STOREFRONT_API_URL'] || 'http://127.0.0.1:4000/graphql';
const PAGE = 100;
/**
 * A page stays as built until the next change reaches the publisher, so the build reads what is
 * true now, never an answer the router's response cache kept from before (a photo processed by a
 * job raises no invalidation there).
 */
const FRESH = { headers: { 'cache-control': 'no-cache' } };

/** How long the build waits out the router's rate limit, in all, before it gives up. */
const RATE_LIMIT_PATIENCE_MS = Number(process.env['STOREFRONT_RATE_LIMIT_PATIENCE_MS'] || 600_000);

/**
 * One read of the build, fresh. The router counts the build's requests against its per-address
 * limit like anyone's (600 a minute in production): a build at programme scale reads 1,000 pages
 * of products, so a refusal is waited out for as long as the router says, rather than failing the
 * build (and, for a publish, the catalogue's relay retrying a whole build again).
 */
async function read<Result, Variables>(document: TypedDocumentString<Result, Variables>, variables: Variables): Promise<Result> {
  const giveUpAt = Date.now() + RATE_LIMIT_PATIENCE_MS;
  for (;;) {
    try {
      return await execute(API_URL, document, variables, FRESH);
    } catch (error) {
      const retryAfterSeconds = error instanceof ApiError && error.code === 'RATE_LIMITED' ? Number(error.errors[0]?.extensions?.['retryAfterSeconds'] ?? 1) : undefined;
      if (retryAfterSeconds === undefined || Date.now() + retryAfterSeconds * 1000 > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, retryAfterSeconds) * 1000));
    }
  }
}

export type Product = StorefrontProductsQuery['products']['nodes'][number];
/** A category anywhere in the tree (the query reads three levels). */
export type Category = CategoryFieldsFragment & { children?: Category[] };
export type Regency = StorefrontRegenciesQuery['regencies'][number];
export type Pesantren = StorefrontPesantrenQuery['pesantrenList']['nodes'][number];
export type Article = StorefrontArticlesQuery['articles']['nodes'][number];
export type PartnerWithEngagements = NonNullable<StorefrontPartnerQuery['partner']>;
/** An engagement as a partner's own page shows it, and as the partners page does (its card). */
export type Engagement = StorefrontEngagementFragment;
export type EngagementCard = StorefrontEngagementCardFragment;

interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nodes: T[];
}

/**
 * Reads every page of a list. The router refuses an answer larger than its limit (512 KB by
 * default), which a page of products with many photos each can reach: that page is asked for
 * again in halves, and the smaller size kept.
 */
async function readAll<T>(fetchPage: (after: string | null, first: number) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  let after: string | null = null;
  let first = PAGE;
  for (;;) {
    let page: Page<T>;
    try {
      page = await fetchPage(after, first);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'RESPONSE_TOO_LARGE' && first > 1) {
        first = Math.ceil(first / 2);
        continue;
      }
      throw error;
    }
    all.push(...page.nodes);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return all;
    after = page.pageInfo.endCursor;
  }
}

const once = <T>(load: () => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
};

export const products = once(() =>
  readAll(async (after, first) => (await read(StorefrontProductsDocument, { first, after })).products),
);
export const categories = once(async () => (await read(StorefrontCategoriesDocument, {})).categories);
export const regencies = once(async () => (await read(StorefrontRegenciesDocument, {})).regencies);
export const pesantren = once(() =>
  readAll(async (after, first) => (await read(StorefrontPesantrenDocument, { first, after })).pesantrenList),
);
export const partners = once(async () => (await read(StorefrontPartnersDocument, {})).partners);
/** One partner with all its engagements, read once per build for both languages' pages. */
const partnerBySlug = new Map<string, Promise<PartnerWithEngagements | null>>();
export const partner = (slug: string) => {
  let loaded = partnerBySlug.get(slug);
  if (!loaded) partnerBySlug.set(slug, (loaded = read(StorefrontPartnerDocument, { slug }).then((data) => data.partner)));
  return loaded;
};
export const articles = once(() =>
  readAll(async (after, first) => (await read(StorefrontArticlesDocument, { first, after })).articles),
);
export const outlets = once(async () => (await read(StorefrontOutletsDocument, {})).outlets);
export const innovation = once(async () => (await read(StorefrontInnovationDocument, {})).innovation);

/** Every category of the tree, parents before children. */
export const allCategories = once(async () => {
  const flat: Category[] = [];
  const walk = (nodes: readonly Category[]) => {
    for (const node of nodes) {
      flat.push(node);
      walk(node.children ?? []);
    }
  };
  walk((await categories()) as Category[]);
  return flat;
});

/** Products by where they belong, for listings and related products. */
export const productIndex = once(async () => {
  const all = await products();
  const byCategoryPath = new Map<string, Product[]>();
  const byRegency = Map.groupBy(all, (product) => product.pesantren?.regency.code ?? '');
  const byPillar = Map.groupBy(all, (product) => product.seller.pillar);
  const byPesantren = Map.groupBy(all, (product) => product.pesantren?.slug ?? '');
  for (const product of all) {
    // A product is listed under its category and every category above it.
    for (const slug of product.category.path) {
      const list = byCategoryPath.get(slug) ?? [];
      list.push(product);
      byCategoryPath.set(slug, list);
    }
  }
  return { all, byCategoryPath, byRegency, byPillar, byPesantren, bySlug: new Map(all.map((product) => [product.slug, product])) };
});

export { regencySlug } from './i18n.ts';
