import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { issueAccessToken } from '@opop/server-kit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, chromiumMissing, launchChromium } from './browser.ts';
import { addPhoto, productPhoto } from './photos.ts';
import { WidgetProductCardDocument } from '../widgets/generated/operations.ts';
import { freePort, startWithStorefront, type StartedPlatform } from './platform.ts';

/**
 * The widgets as a media partner uses them: a plain HTML page on another origin pastes the
 * snippet from the embed page, and the widgets render, count views and clicks for the outlet,
 * stay accessible, and say so when the API cannot be reached.
 */

interface Fixture {
  product: { id: string; slug: string; name: { indonesian: string; english: string | null }; priceRupiah: number };
  pesantren: { slug: string; name: string };
  category: string;
  outlet: { slug: string; publicKey: string };
}

describe.skipIf(chromiumMissing)('embeddable widgets on a third-party page', () => {
  let platform: StartedPlatform;
  let browser: Browser;
  let fixture: Fixture;
  let outletPage: Server;
  let outletOrigin: string;
  let adminToken: string;
  /** The fixture product's photo as the API serves it. */
  let photo: { width: number; height: number; color: string; alt: { indonesian: string }; sources: { type: string; width: number; url: string }[] };
  let html = '';

  async function api<T>(query: string, token?: string): Promise<T> {
    const response = await fetch(platform.api, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data: T; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  beforeAll(async () => {
    platform = await startWithStorefront();
    browser = await launchChromium();
    const data = await api<{ products: { nodes: (Fixture['product'] & { inStock: boolean; featured: boolean; category: { path: string[] }; pesantren: Fixture['pesantren'] })[] }; outlets: Fixture['outlet'][] }>(
      '{ products(first: 50) { nodes { id slug name { indonesian english } priceRupiah inStock featured category { path } pesantren { slug name } } } outlets { slug publicKey } }',
    );
    // Not a featured product: a new photo would send it back to curation.
    const product = data.products.nodes.find((p) => p.inStock && p.pesantren && !p.featured)!;
    fixture = { product, pesantren: product.pesantren, category: product.category.path[0]!, outlet: data.outlets[0]! };
    const secrets = JSON.parse(await readFile(join(platform.dataDir, 'secrets.json'), 'utf8')) as { AUTH_TOKEN_SECRET: string };
    adminToken = await issueAccessToken({ role: 'programme_admin', subject: 'widget-test', pesantrenId: null, scopes: [] }, secrets.AUTH_TOKEN_SECRET);
    // The widgets read the API live: a photo uploaded now is on the card.
    await addPhoto(platform.api, adminToken, product.id, await productPhoto({ width: 1600, height: 1200 }), { indonesian: `Kemasan ${product.name.indonesian}` });
    photo = (
      await api<{ product: { images: (typeof photo)[] } }>(`{ product(id: "${product.id}") { images { width height color alt { indonesian } sources { type width url } } } }`)
    ).product.images[0]!;
    // Another origin than the storefront's (another port), as a media partner's site is.
    const port = await freePort();
    outletOrigin = `http://localhost:${port}`;
    outletPage = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)).listen(port);
  }, 360_000);

  afterAll(async () => {
    outletPage?.close();
    await browser?.close();
    await platform?.stop();
  });

  /** The snippet as the embed page writes it, in an article page of the outlet. */
  function articlePage(widgets: string): string {
    return `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Berita pesantren</title>
<script type="module" src="${platform.storefront}/widgets/opop-widgets.js?outlet=${fixture.outlet.publicKey}"></script></head>
<body><main><h1>Berita pesantren</h1><p>Isi berita.</p>${widgets}</main></body></html>`;
  }

  /** Each test on its own article address, so placements (one per page) do not mix. */
  async function open(path: string, widgets: string, prepare?: (page: Page) => Promise<unknown>, viewport = { width: 800, height: 1000 }): Promise<Page> {
    html = articlePage(widgets);
    const page = await browser.newPage({ viewport });
    await prepare?.(page);
    await page.goto(`${outletOrigin}${path}`);
    return page;
  }

  const placements = () =>
    api<{ widgetPlacements: { widget: string; pageUrl: string; views: number; clicks: number }[] }>(
      `{ widgetPlacements(outletSlug: "${fixture.outlet.slug}") { widget pageUrl views clicks } }`,
      adminToken,
    );

  it('renders every widget from the embed snippet, in the language asked for', async () => {
    const page = await open('/berita/semua-widget', `
      <opop-product-card product="${fixture.product.slug}" heading="2"></opop-product-card>
      <opop-product-grid pesantren="${fixture.pesantren.slug}" limit="3" lang="en"></opop-product-grid>
      <opop-product-grid category="${fixture.category}" limit="4"></opop-product-grid>
      <opop-search query="kripik tempe"></opop-search>
      <opop-pesantren-badge pesantren="${fixture.pesantren.slug}"></opop-pesantren-badge>`);
    try {
      const card = page.locator('opop-product-card');
      await card.getByRole('heading', { name: fixture.product.name.indonesian }).waitFor();
      await expect(card.getByText(`Rp ${fixture.product.priceRupiah.toLocaleString('id-ID')}`).count()).resolves.toBe(1);
      const link = await card.getByRole('link').getAttribute('href');
      expect(link).toBe(`${platform.storefront}/produk/${fixture.product.slug}/?utm_source=${fixture.outlet.publicKey}&utm_medium=widget&utm_campaign=product_card`);

      const pesantrenGrid = page.locator('opop-product-grid').first();
      await pesantrenGrid.locator('article').first().waitFor();
      expect(await pesantrenGrid.locator('article').count()).toBeLessThanOrEqual(3);
      expect(await pesantrenGrid.getByRole('link').first().getAttribute('href')).toContain('/en/products/');
      // Wait for the second grid as for the first: counting at once raced its request on a busy machine.
      await page.locator('opop-product-grid').nth(1).locator('article').first().waitFor();

      const search = page.locator('opop-search');
      await search.locator('article').first().waitFor();
      await search.getByRole('searchbox').fill('madu');
      await search.getByRole('searchbox').press('Enter');
      await expect.poll(() => search.locator('article .n').first().textContent()).toMatch(/madu/i);
      // More matches than cards: the rest are one link away, on the storefront's search page.
      const total = Number((await search.getByRole('status').textContent())!.match(/^(\d+) produk/)![1]);
      const shown = await search.locator('article').count();
      expect(total).toBeGreaterThan(shown);
      const all = search.getByRole('link', { name: `Lihat semua ${total} produk di OPOP Jawa Timur` });
      expect(await all.getAttribute('href')).toBe(`${platform.storefront}/cari/?q=madu&utm_source=${fixture.outlet.publicKey}&utm_medium=widget&utm_campaign=search`);

      await page.locator('opop-pesantren-badge').getByText(fixture.pesantren.name).waitFor();
    } finally {
      await page.close();
    }
  });

  it('shows the product\'s photo: AVIF where the browser takes it, a JPEG srcset otherwise, sized, painted and lazy', async () => {
    const page = await open('/berita/foto', `<opop-product-card product="${fixture.product.slug}"></opop-product-card>`);
    try {
      const img = page.locator('opop-product-card picture img');
      await img.waitFor();
      const srcset = (type: string) =>
        photo.sources
          .filter((source) => source.type === type)
          .map((source) => `${source.url} ${source.width}w`)
          .join(',');
      const drawn = await page.locator('opop-product-card').evaluate((card) => {
        const picture = card.shadowRoot!.querySelector('picture')!;
        const attributes = (element: Element) => Object.fromEntries([...element.attributes].map((attribute) => [attribute.name, attribute.value]));
        return { sources: [...picture.querySelectorAll('source')].map(attributes), img: attributes(picture.querySelector('img')!), box: getComputedStyle(picture.parentElement!).backgroundColor };
      });
      expect(drawn.sources).toEqual([{ type: 'image/avif', srcset: srcset('image/avif'), sizes: 'auto,18em' }]);
      expect(drawn.img).toEqual({ srcset: srcset('image/jpeg'), sizes: 'auto,18em', alt: photo.alt.indonesian, width: String(photo.width), height: String(photo.height), loading: 'lazy', decoding: 'async' });
      expect(drawn.box).toBe(`rgb(${photo.color.slice(1).match(/../g)!.map((pair) => parseInt(pair, 16)).join(', ')})`);
      await expect.poll(() => img.evaluate((element: HTMLImageElement) => element.complete && element.currentSrc)).toMatch(/\/400\.avif$/);
      // Drawn above the name, but read after it: the card's link is named by its product first.
      const link = page.locator('opop-product-card').getByRole('link');
      const named = `- link "${fixture.product.name.indonesian} Rp`;
      expect((await link.ariaSnapshot()).slice(0, named.length)).toBe(named);
      const [photoBox, nameBox] = await Promise.all([page.locator('opop-product-card picture').boundingBox(), page.locator('opop-product-card .n').boundingBox()]);
      expect(photoBox!.y + photoBox!.height).toBeLessThanOrEqual(nameBox!.y);
    } finally {
      await page.close();
    }
  });

  it('serves the script and the API to other origins (CORS)', async () => {
    const script = await fetch(`${platform.storefront}/widgets/opop-widgets.js`, { headers: { origin: outletOrigin } });
    expect(script.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${platform.storefront}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: outletOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('reads by GET with the published hash alone, an answer others may keep', async () => {
    const requests: { method: string; url: string; cacheControl: Promise<string | undefined> }[] = [];
    const page = await open('/berita/get', `<opop-product-card product="${fixture.product.slug}" heading="2"></opop-product-card>`, async (page) => {
      page.on('request', (request) => {
        if (!new URL(request.url()).pathname.endsWith('/graphql') || request.postData()?.includes('WidgetEvent')) return;
        requests.push({ method: request.method(), url: request.url(), cacheControl: request.response().then((response) => response?.headers()['cache-control']) });
      });
    });
    try {
      await page.locator('opop-product-card').getByRole('heading', { name: fixture.product.name.indonesian }).waitFor();
    } finally {
      await page.close();
    }
    const [read, ...more] = requests;
    expect(more).toEqual([]);
    expect(read!.method).toBe('GET');
    const params = new URL(read!.url).searchParams;
    expect(JSON.parse(params.get('extensions')!)).toEqual({ persistedQuery: { version: 1, sha256Hash: (WidgetProductCardDocument.__meta__ as { hash: string }).hash } });
    expect(JSON.parse(params.get('variables')!)).toEqual({ slug: fixture.product.slug });
    expect(params.has('query')).toBe(false);
    expect(await read!.cacheControl).toMatch(/^max-age=[1-9]\d*, public$/);
  });

  it('says it cannot load a product when the router does not know the hash it asks with (a page older than a deploy)', async () => {
    const hash = (WidgetProductCardDocument.__meta__ as { hash: string }).hash;
    const page = await open('/berita/hash-lama', `<opop-product-card product="${fixture.product.slug}"></opop-product-card>`, (p) =>
      p.route('**/graphql?**', (route) => route.continue({ url: route.request().url().replace(hash, 'f'.repeat(64)) })),
    );
    try {
      await page.locator('opop-product-card').getByText('Produk tidak dapat dimuat saat ini.').waitFor();
      expect(await page.locator('opop-product-card').getByRole('link', { name: 'Lihat di OPOP Jawa Timur' }).getAttribute('href')).toContain(platform.storefront);
    } finally {
      await page.close();
    }
  });

  it('counts a view once the widget is on screen and every click, for the outlet', async () => {
    const page = await open('/berita/tayangan', `<div style="height:2600px">${'<p>Paragraf.</p>'.repeat(3)}</div><opop-product-card product="${fixture.product.slug}"></opop-product-card>`);
    try {
      const pageUrl = `${outletOrigin}/berita/tayangan`;
      const card = () => placements().then((data) => data.widgetPlacements.find((p) => p.widget === 'PRODUCT_CARD' && p.pageUrl === pageUrl));
      await page.locator('opop-product-card article').waitFor({ state: 'attached' });
      expect(await page.locator('opop-product-card').isVisible()).toBe(true);
      await page.waitForTimeout(500);
      expect((await card())?.views ?? 0).toBe(0); // below the fold: not seen yet
      await page.locator('opop-product-card').scrollIntoViewIfNeeded();
      await expect.poll(async () => (await card())?.views, { timeout: 10_000 }).toBe(1);
      await page.locator('opop-product-card').getByRole('link').click();
      await page.waitForURL(new RegExp(`/produk/${fixture.product.slug}/`));
      await expect.poll(async () => (await card())?.clicks, { timeout: 10_000 }).toBe(1);
    } finally {
      await page.close();
    }
  });

  it('has no axe-core violations inside the shadow roots, and can be used from the keyboard', async () => {
    const page = await open('/berita/aksesibel', `
      <opop-product-card product="${fixture.product.slug}"></opop-product-card>
      <opop-product-grid pesantren="${fixture.pesantren.slug}" limit="3"></opop-product-grid>
      <opop-search query="kopi"></opop-search>
      <opop-pesantren-badge pesantren="${fixture.pesantren.slug}"></opop-pesantren-badge>`);
    try {
      await page.locator('opop-search article').first().waitFor();
      await page.locator('opop-pesantren-badge a[href]').waitFor();
      await page.locator('opop-product-grid article').first().waitFor();
      expect(await axeViolations(page)).toEqual([]);
      // A card without a photo is named by its product, not "Foto belum tersedia …" first (a walkthrough read it so).
      const noPhotoNotes = page.locator('opop-product-grid article small, opop-search article small');
      expect(await noPhotoNotes.evaluateAll((notes) => notes.filter((note) => note.closest('a') && note.getAttribute('aria-hidden') !== 'true').length)).toBe(0);
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('href') ?? null);
      expect(focused).toContain(`/produk/${fixture.product.slug}/`);
    } finally {
      await page.close();
    }
  });

  it('keeps its size while loading, so the outlet page does not shift', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const page = await open('/berita/ukuran', `<opop-product-card product="${fixture.product.slug}"></opop-product-card><p id="after">Paragraf setelah widget.</p>`, (p) =>
      p.route('**/graphql*', async (route) => {
        await held;
        await route.continue();
      }),
    );
    try {
      await page.locator('opop-product-card').getByText('Memuat…').waitFor();
      const before = await page.locator('#after').boundingBox();
      release();
      await page.locator('opop-product-card article').waitFor();
      const after = await page.locator('#after').boundingBox();
      expect(Math.abs(after!.y - before!.y)).toBeLessThanOrEqual(1);
    } finally {
      await page.close();
    }
  });

  it('says so when the API cannot be reached, and still links to the storefront', async () => {
    const page = await open('/berita/api-mati', `<opop-product-card product="${fixture.product.slug}"></opop-product-card><opop-pesantren-badge pesantren="${fixture.pesantren.slug}" lang="en"></opop-pesantren-badge>`, (p) =>
      p.route('**/graphql*', (route) => route.abort('connectionrefused')),
    );
    try {
      await page.locator('opop-product-card').getByText('Produk tidak dapat dimuat saat ini.').waitFor();
      await page.locator('opop-pesantren-badge').getByText('Products cannot be loaded right now.').waitFor();
      expect(await page.locator('opop-product-card').getByRole('link', { name: 'Lihat di OPOP Jawa Timur' }).getAttribute('href')).toContain(platform.storefront);
    } finally {
      await page.close();
    }
  });

  it('says "not found" for a mistyped slug (not an outage), in the widget\'s language, and tells the developer which attribute', async () => {
    const warnings: string[] = [];
    const page = await open(
      '/berita/salah-ketik',
      `<opop-product-card product="${fixture.product.slug}-salah"></opop-product-card><opop-product-grid category="bukan-kategori" lang="en"></opop-product-grid><opop-product-grid pesantren="bukan-pesantren"></opop-product-grid><opop-pesantren-badge pesantren="bukan-pesantren" lang="en"></opop-pesantren-badge>`,
      async (p) => p.on('console', (message) => message.type() === 'warning' && warnings.push(message.text())),
    );
    try {
      await page.locator('opop-product-card').getByText('Produk ini tidak ditemukan.').waitFor();
      await page.locator('opop-product-grid[category]').getByText('This category was not found.').waitFor();
      await page.locator('opop-product-grid[pesantren]').getByText('Pesantren ini tidak ditemukan.').waitFor();
      await page.locator('opop-pesantren-badge').getByText('This pesantren was not found.').waitFor();
      expect(await page.getByText(/tidak dapat dimuat|cannot be loaded/).count()).toBe(0);
      expect(warnings).toEqual(
        expect.arrayContaining([`<opop-product-card>: no product "${fixture.product.slug}-salah"`, '<opop-product-grid>: no category "bukan-kategori"', '<opop-pesantren-badge>: no pesantren "bukan-pesantren"']),
      );
    } finally {
      await page.close();
    }
  });

  it('lays a 4-product grid out two across on a phone, and it keeps its height when the products arrive', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const page = await open(
      '/berita/grid-ponsel',
      `<opop-product-grid category="${fixture.category}" limit="4"></opop-product-grid><p id="after">Paragraf setelah widget.</p>`,
      (p) =>
        p.route('**/graphql*', async (route) => {
          await held;
          await route.continue();
        }),
      { width: 390, height: 844 },
    );
    try {
      await page.locator('opop-product-grid ul[aria-busy]').waitFor();
      const before = await page.locator('#after').boundingBox();
      release();
      await page.locator('opop-product-grid article').nth(3).waitFor();
      const after = await page.locator('#after').boundingBox();
      expect(Math.abs(after!.y - before!.y)).toBeLessThanOrEqual(1);
      const cards = await page.locator('opop-product-grid article').evaluateAll((articles) => articles.map((article) => article.getBoundingClientRect()).map(({ x, y, height }) => ({ x, y, height })));
      expect(new Set(cards.map((card) => Math.round(card.x))).size).toBe(2);
      const grid = await page.locator('opop-product-grid').boundingBox();
      expect(grid!.height).toBeLessThan(650);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await page.close();
    }
  });

  it('lets a media partner pick a widget on the embed page, preview it and copy the snippet', async () => {
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    try {
      await page.goto(`${platform.storefront}/sematkan/`);
      await page.locator('#embed-preview opop-product-card article').waitFor();
      await page.getByLabel('Kumpulan produk pesantren').check();
      await page.locator('#embed-preview opop-product-grid article').first().waitFor();
      // No outlet until the partner picks theirs: a snippet copied unnoticed credited the first outlet of the list.
      expect(await page.getByLabel('Kode untuk disalin').inputValue()).toContain('?outlet=KUNCI_PUBLIK_MEDIA_ANDA"');
      const outlet = await page.locator('#e-outlet option').nth(1).getAttribute('value');
      await page.getByLabel('Media Anda').selectOption(outlet!);
      const snippet = await page.getByLabel('Kode untuk disalin').inputValue();
      expect(snippet).toMatch(/^<script type="module" src="http:\/\/localhost:4321\/widgets\/opop-widgets\.js\?outlet=[^"]+"><\/script>\n<opop-product-grid pesantren="[^"]+" limit="6" lang="id"><\/opop-product-grid>$/);
      expect(snippet).toContain(`?outlet=${outlet}"`);
      await page.getByRole('button', { name: 'Salin kode' }).click();
      await page.getByText('Kode disalin.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
      expect(await axeViolations(page)).toEqual([]);

      // Any product can be chosen, not only the first page's: one the list does not start with, found by its name.
      await page.getByLabel('Kartu produk').check();
      const listed = new Set(await page.locator('#e-product option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value)));
      const { products } = await api<{ products: { nodes: { slug: string; name: { indonesian: string }; pesantren: { name: string } | null }[] } }>('{ products(first: 100, sort: NAME) { nodes { slug name { indonesian } pesantren { name } } } }');
      const beyond = products.nodes.find((product) => !listed.has(product.slug) && product.pesantren)!;
      expect(beyond).toBeDefined();
      await page.getByLabel('Cari produk (semua produk)').fill(`${beyond.name.indonesian} ${beyond.pesantren!.name}`);
      await page.locator(`#e-product option[value="${beyond.slug}"]`).waitFor({ state: 'attached' });
      await page.getByLabel('Produk', { exact: true }).selectOption(beyond.slug);
      await page.locator('#embed-preview opop-product-card article').waitFor();
      expect(await page.getByLabel('Kode untuk disalin').inputValue()).toContain(`<opop-product-card product="${beyond.slug}" lang="id">`);
      expect(await page.locator('#embed-preview opop-product-card .n').textContent()).toBe(beyond.name.indonesian);
      expect(await page.locator('#e-product-found').textContent()).toMatch(/produk cocok/);

      // On a phone, nothing is wider than the screen.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await context.close();
    }
  });
});
