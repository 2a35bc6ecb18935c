import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, writeFile, copyFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { astroBuild } from '../build.ts';
import { href, LOCALES, type RouteName as Route } from '../src/lib/i18n.ts';
import { execute } from '../src/lib/api.ts';
import { StorefrontPublishArticleDocument, StorefrontPublishEngagementDocument, StorefrontPublishPesantrenDocument, StorefrontPublishProductDocument } from '../src/generated/operations.ts';
import { publishedProduct, type PublishedProduct } from '../src/lib/published-product.ts';

export type { PublishedProduct };

/**
 * Incremental publishing: the catalogue's change feed (its transactional outbox, relayed by a
 * pg-boss job with retries: subgraphs/catalogue/src/modules/publishing/) tells this server which
 * products and sellers changed; it works out the pages those changes touch, renders only them with
 * a partial Astro build (src/lib/partial-build.ts) and swaps them into the served folder, file by
 * file with a rename, so a shopper never gets half a page. Pages of products that are gone are
 * removed (the server then answers 404) and the sitemap is rendered again without them.
 *
 * The "related products" cards on other products' pages follow too: a page is drawn again when
 * its related list shows a changed product or is no longer the same list.
 *
 * The pesantren subgraph relays its own changes the same way (a registered or edited pesantren):
 * its page, the pesantren list, every page of its products, whose cards and pages show its name
 * and regency, and the pages that show its name elsewhere: its partners' pages, the articles that
 * cover it and the news list.
 *
 * So does the partners subgraph for a recorded engagement (its partner's page and its
 * pesantren's), and the media subgraph for a published article (its page, the news list and the
 * pages of the pesantren it covers).
 */

export interface ChangeNotice {
  products: string[];
  sellers: string[];
  /** Registered or edited pesantren (the pesantren subgraph's relay); the catalogue's sends none. */
  pesantren: string[];
  /** Recorded engagements (the partners subgraph's relay). */
  engagements: string[];
  /** Published articles, by slug (the media subgraph's relay). */
  articles: string[];
}

/** The listing pages' size (src/lib/listings.ts LISTING_PAGE_SIZE). */
export const PAGE_SIZE = 24;

/** Newest first, as the listings sort (src/lib/listings.ts). */
const newestFirst = (products: readonly PublishedProduct[]) => [...products].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));

/** Every listing a product appears in: the whole catalogue, its category and those above, its regency, its pillar. */
function listingsOf(product: PublishedProduct): { route: Route; key: string | undefined }[] {
  return [
    { route: 'catalogue', key: undefined },
    ...product.categoryPath.map((slug) => ({ route: 'category' as const, key: slug })),
    ...(product.regencySlug ? [{ route: 'regency' as const, key: product.regencySlug }] : []),
    { route: 'pillar', key: product.pillar.toLowerCase() },
  ];
}

/** How many related products a product page shows (src/lib/product-pages.ts RELATED). */
export const RELATED = 4;

/** The API's order (`products(sort: NEWEST)`: created_at desc, id desc), which the build's index keeps. */
const apiOrder = (products: readonly PublishedProduct[]) => [...products].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1));

/**
 * Each product's related products as src/lib/product-pages.ts picks them: the same category first,
 * then the categories above it, each in the API's order; for the products in `categories` only.
 */
function relatedLists(products: readonly PublishedProduct[], categories: ReadonlySet<string>): Map<string, string> {
  const byCategory = new Map<string, PublishedProduct[]>();
  for (const product of apiOrder(products)) {
    for (const slug of product.categoryPath) byCategory.set(slug, [...(byCategory.get(slug) ?? []), product]);
  }
  const lists = new Map<string, string>();
  for (const product of products) {
    if (!product.categoryPath.some((slug) => categories.has(slug))) continue;
    const related: string[] = [];
    for (const slug of [...product.categoryPath].reverse()) {
      for (const candidate of byCategory.get(slug) ?? []) {
        if (related.length === RELATED) break;
        if (candidate.id !== product.id && !related.includes(candidate.id)) related.push(candidate.id);
      }
    }
    lists.set(product.id, related.join(','));
  }
  return lists;
}

/**
 * The pages a change touches, in both languages: `render` what must be drawn again, `remove` what
 * no longer exists. A listing's pages are redrawn from the first position whose product differs
 * (what shifted), plus any page showing a changed product; pages past its new end are removed.
 */
export function affectedPages(before: readonly PublishedProduct[], after: readonly PublishedProduct[], changed: ReadonlySet<string>): { render: Set<string>; remove: Set<string> } {
  const render = new Set<string>();
  const remove = new Set<string>();
  const beforeById = new Map(before.map((product) => [product.id, product]));
  const afterById = new Map(after.map((product) => [product.id, product]));
  const listingKeys = new Map<string, { route: Route; key: string | undefined }>();
  const sellers = new Set<string>();
  const pesantren = new Set<string>();
  for (const id of changed) {
    const old = beforeById.get(id);
    const now = afterById.get(id);
    for (const product of [old, now]) {
      if (!product) continue;
      for (const listing of listingsOf(product)) listingKeys.set(`${listing.route}:${listing.key ?? ''}`, listing);
      sellers.add(product.sellerSlug);
      if (product.pesantrenSlug) pesantren.add(product.pesantrenSlug);
    }
    for (const locale of LOCALES) {
      if (now) render.add(href(locale, 'product', now.slug));
      if (old && (!now || old.slug !== now.slug)) remove.add(href(locale, 'product', old.slug));
    }
  }
  const members = (products: readonly PublishedProduct[], listing: { route: Route; key: string | undefined }) =>
    newestFirst(products.filter((product) => listingsOf(product).some((candidate) => candidate.route === listing.route && candidate.key === listing.key)));
  for (const listing of listingKeys.values()) {
    const oldList = members(before, listing);
    const newList = members(after, listing);
    let firstDifference = 0;
    while (firstDifference < Math.min(oldList.length, newList.length) && oldList[firstDifference]!.id === newList[firstDifference]!.id) firstDifference++;
    const pages = new Set<number>();
    if (firstDifference < Math.max(oldList.length, newList.length)) {
      for (let page = Math.floor(firstDifference / PAGE_SIZE) + 1; page <= Math.ceil(newList.length / PAGE_SIZE); page++) pages.add(page);
    }
    newList.forEach((product, index) => changed.has(product.id) && pages.add(Math.floor(index / PAGE_SIZE) + 1));
    const lastNew = Math.ceil(newList.length / PAGE_SIZE);
    for (const locale of LOCALES) {
      for (const page of pages) render.add(href(locale, listing.route, listing.key, page > 1 ? page : undefined));
      // Pages past the new end; the whole listing when it has no product left (the catalogue itself always stays).
      for (let page = Math.max(lastNew, listing.route === 'catalogue' ? 1 : 0) + 1; page <= Math.ceil(oldList.length / PAGE_SIZE); page++) {
        remove.add(href(locale, listing.route, listing.key, page > 1 ? page : undefined));
      }
    }
  }
  // Other products' pages whose related cards show a changed product, before or after, or changed as a list.
  const categories = new Set([...changed].flatMap((id) => [...(beforeById.get(id)?.categoryPath ?? []), ...(afterById.get(id)?.categoryPath ?? [])]));
  const relatedBefore = relatedLists(before, categories);
  const relatedAfter = relatedLists(after, categories);
  for (const [id, list] of relatedAfter) {
    if (changed.has(id)) continue;
    const old = relatedBefore.get(id) ?? '';
    if (list !== old || list.split(',').some((related) => changed.has(related)) || old.split(',').some((related) => changed.has(related))) {
      for (const locale of LOCALES) render.add(href(locale, 'product', afterById.get(id)!.slug));
    }
  }
  for (const locale of LOCALES) {
    for (const slug of sellers) (after.some((product) => product.sellerSlug === slug) ? render : remove).add(href(locale, 'seller', slug));
    for (const slug of pesantren) render.add(href(locale, 'pesantren', slug));
  }
  for (const page of render) remove.delete(page);
  return { render, remove };
}

/** The request a relay signs: HMAC-SHA256 of the body with the shared secret, hex, in x-opop-signature. */
export const signature = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function signedBy(body: string, given: string | undefined, secret: string): boolean {
  const expected = Buffer.from(signature(body, secret));
  const actual = Buffer.from(given ?? '');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Fresh, not the router's cached answer: the change being published may be seconds old. */
const FRESH = { headers: { 'cache-control': 'no-cache' } };
/** Reads of changed items in flight at once. */
const FETCHED_AT_ONCE = 8;

export interface PublisherOptions {
  apiUrl: string;
  distDir: string;
  secret: string;
  /** Logs a line per publish; the storefront server prints it. */
  log?: (line: string) => void;
  /** Builds the pages into a new folder and answers it; Astro's partial build unless a test gives its own. */
  build?: (apiUrl: string, env: Record<string, string>) => Promise<string>;
}

interface Batch {
  products: Set<string>;
  sellers: Set<string>;
  pesantren: Set<string>;
  engagements: Set<string>;
  articles: Set<string>;
  waiters: { resolve: (result: PublishResult) => void; reject: (error: Error) => void }[];
}

export interface PublishResult {
  rendered: number;
  removed: number;
  milliseconds: number;
}

export class Publisher {
  readonly #options: PublisherOptions;
  #pending: Batch | null = null;
  #running = false;

  constructor(options: PublisherOptions) {
    this.#options = options;
  }

  /** POST /_publish from the catalogue's relay: answers once the change is served (or failed, so the relay tries again). */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > 1024 * 1024) {
        response.writeHead(413, { 'content-type': 'application/json' }).end('{"error":"too large"}');
        return;
      }
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    if (!signedBy(body, request.headers['x-opop-signature'] as string | undefined, this.#options.secret)) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad signature"}');
      return;
    }
    let notice: ChangeNotice;
    try {
      const parsed = JSON.parse(body) as Partial<ChangeNotice>;
      const ids = (value: unknown) => (Array.isArray(value) && value.every((id) => typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) ? (value as string[]) : null);
      const products = ids(parsed.products ?? []);
      const sellers = ids(parsed.sellers ?? []);
      const pesantren = ids(parsed.pesantren ?? []);
      const engagements = ids(parsed.engagements ?? []);
      const articles = parsed.articles ?? [];
      const slugs = Array.isArray(articles) && articles.every((slug) => typeof slug === 'string' && /^[a-z0-9][a-z0-9-]{0,199}$/.test(slug));
      if (!products || !sellers || !pesantren || !engagements || !slugs) throw new Error('ids');
      notice = { products, sellers, pesantren, engagements, articles };
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"expected {products: uuid[], sellers: uuid[], pesantren?: uuid[], engagements?: uuid[], articles?: slug[]}"}');
      return;
    }
    try {
      const result = await this.publish(notice);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (error) {
      this.#options.log?.(`publish failed: ${(error as Error).message}`);
      response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (error as Error).message }));
    }
  }

  /** Publishes a change; changes arriving while a build runs are published together by the next one. */
  publish(notice: Partial<ChangeNotice>): Promise<PublishResult> {
    this.#pending ??= { products: new Set(), sellers: new Set(), pesantren: new Set(), engagements: new Set(), articles: new Set(), waiters: [] };
    for (const id of notice.products ?? []) this.#pending.products.add(id.toLowerCase());
    for (const id of notice.sellers ?? []) this.#pending.sellers.add(id.toLowerCase());
    for (const id of notice.pesantren ?? []) this.#pending.pesantren.add(id.toLowerCase());
    for (const id of notice.engagements ?? []) this.#pending.engagements.add(id.toLowerCase());
    for (const slug of notice.articles ?? []) this.#pending.articles.add(slug);
    const done = new Promise<PublishResult>((resolve, reject) => this.#pending!.waiters.push({ resolve, reject }));
    void this.#drain();
    return done;
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#pending) {
        const batch = this.#pending;
        this.#pending = null;
        try {
          const result = await this.#publishBatch(batch);
          for (const waiter of batch.waiters) waiter.resolve(result);
        } catch (error) {
          for (const waiter of batch.waiters) waiter.reject(error as Error);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #publishBatch(batch: Batch): Promise<PublishResult> {
    const started = performance.now();
    const { distDir } = this.#options;
    const manifestFile = join(distDir, 'publish-manifest.json');
    const before = (JSON.parse(await readFile(manifestFile, 'utf8')) as { products: PublishedProduct[] }).products;
    // A seller's change touches every page of its products; so does a pesantren's (its name and
    // regency are on their pages and cards).
    const changedPesantren = await this.#fetchEach([...batch.pesantren], async (id) => (await execute(this.#options.apiUrl, StorefrontPublishPesantrenDocument, { id }, FRESH)).pesantren);
    const pesantrenSlugs = new Set(changedPesantren.map((pesantren) => pesantren.slug));
    const changed = new Set(batch.products);
    for (const product of before) {
      if (batch.sellers.has(product.sellerId) || (product.pesantrenSlug !== null && pesantrenSlugs.has(product.pesantrenSlug))) changed.add(product.id);
    }
    const now = await this.#fetchProducts([...changed]);
    const after = [...before.filter((product) => !changed.has(product.id)), ...now];
    const { render, remove } = affectedPages(before, after, changed);
    // A recorded engagement shows on its partner's page and on each of its pesantren's (the
    // partners list, a page without parameters, is drawn by every publish).
    const engagements = await this.#fetchEach([...batch.engagements], async (id) => (await execute(this.#options.apiUrl, StorefrontPublishEngagementDocument, { id }, FRESH)).engagement);
    // A published article: its page, the news list, and the pages of the pesantren it covers.
    const articles = await this.#fetchEach([...batch.articles], async (slug) => (await execute(this.#options.apiUrl, StorefrontPublishArticleDocument, { slug }, FRESH)).article);
    for (const locale of LOCALES) {
      for (const engagement of engagements) {
        render.add(href(locale, 'partners', engagement.partner.slug));
        for (const pesantren of engagement.pesantren) if (pesantren) render.add(href(locale, 'pesantren', pesantren.slug));
      }
      // A pesantren's name is also on its partners' pages and on the articles that cover it (and
      // on the news list, below); the partners list is drawn by every publish.
      for (const pesantren of changedPesantren) {
        render.add(href(locale, 'pesantren', pesantren.slug));
        for (const engagement of pesantren.partnerships ?? []) render.add(href(locale, 'partners', engagement.partner.slug));
        for (const article of pesantren.coverage ?? []) render.add(href(locale, 'articles', article.slug));
      }
      for (const article of articles) {
        render.add(href(locale, 'articles', article.slug));
        for (const pesantren of article.pesantren) if (pesantren) render.add(href(locale, 'pesantren', pesantren.slug));
      }
      // The news list's first page stands for the whole list (src/lib/article-pages.ts).
      if (articles.length > 0 || changedPesantren.some((pesantren) => (pesantren.coverage ?? []).length > 0)) render.add(href(locale, 'articles'));
      // The list's first page stands for the whole list (src/lib/pesantren-pages.ts).
      if (batch.pesantren.size > 0) render.add(href(locale, 'pesantren'));
    }

    const workDir = await mkdtemp(join(tmpdir(), 'opop-publish-'));
    let built: string | undefined;
    try {
      const onlyFile = join(workDir, 'pages.json');
      await writeFile(onlyFile, JSON.stringify([...render]));
      built = await (this.#options.build ?? ((apiUrl, env) => astroBuild(apiUrl, env, 'pipe')))(this.#options.apiUrl, { STOREFRONT_ONLY_FILE: onlyFile });
      await swapInto(built, distDir);
      for (const page of remove) await removePage(distDir, page);
      // The manifest records what this publish computed, not the one the build wrote from the
      // API seconds later: a change committed meanwhile (a product unlisted while its featuring
      // was being built) must still find its product here, or the next publish, comparing
      // against a manifest that already lacks it, would leave its pages up for good.
      await writeFile(`${manifestFile}.next`, JSON.stringify({ products: after }));
      await rename(`${manifestFile}.next`, manifestFile);
    } finally {
      await rm(workDir, { recursive: true, force: true });
      if (built) await rm(built, { recursive: true, force: true });
    }
    const result = { rendered: render.size, removed: remove.size, milliseconds: Math.round(performance.now() - started) };
    const others = [batch.pesantren.size ? `${batch.pesantren.size} pesantren` : '', batch.engagements.size ? `${batch.engagements.size} engagement(s)` : '', batch.articles.size ? `${batch.articles.size} article(s)` : ''].filter(Boolean);
    this.#options.log?.(`published ${changed.size} changed product(s)${others.map((other) => ` and ${other}`).join('')}: ${result.rendered} page(s) rendered, ${result.removed} removed in ${result.milliseconds} ms`);
    return result;
  }

  /** The changed products as they are now; those the API no longer shows (unlisted, deleted) are left out. */
  async #fetchProducts(ids: string[]): Promise<PublishedProduct[]> {
    const found = await this.#fetchEach(ids, async (id) => (await execute(this.#options.apiUrl, StorefrontPublishProductDocument, { id }, FRESH)).product);
    return found.map(publishedProduct);
  }

  /**
   * Each id read with a published query (in production the router runs no other for an anonymous
   * caller), a few at a time; an id the API answers null for is left out.
   */
  async #fetchEach<T>(ids: string[], read: (id: string) => Promise<T | null | undefined>): Promise<T[]> {
    const found: (T | null | undefined)[] = [];
    for (let start = 0; start < ids.length; start += FETCHED_AT_ONCE) found.push(...(await Promise.all(ids.slice(start, start + FETCHED_AT_ONCE).map(read))));
    return found.filter((item): item is T => item !== null && item !== undefined);
  }
}

/** Every file of `from` into `to`, each written beside its target and renamed over it. */
async function swapInto(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const source = join(entry.parentPath, entry.name);
    const target = join(to, relative(from, source));
    await mkdir(dirname(target), { recursive: true });
    const staging = `${target}.publishing-${process.pid}`;
    await copyFile(source, staging);
    await rename(staging, target);
  }
}

/** A page's index.html, and its folder when nothing else is left in it. */
async function removePage(distDir: string, page: string): Promise<void> {
  const folder = join(distDir, page);
  if (!folder.startsWith(distDir)) return;
  await rm(join(folder, 'index.html'), { force: true });
  await rmdir(folder).catch(() => {});
}
