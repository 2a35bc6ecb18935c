import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { affectedPages, PAGE_SIZE, Publisher, signature, type PublishedProduct } from '../server/publisher.ts';

/** A listed product; products of one test are newest first by index (index 0 newest). */
function product(index: number, overrides: Partial<PublishedProduct> = {}): PublishedProduct {
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    slug: `produk-${index}`,
    createdAt: new Date(Date.UTC(2026, 0, 1) - index * 60_000).toISOString(),
    featured: false,
    categoryPath: ['makanan-minuman', 'keripik'],
    pillar: 'SANTRIPRENEUR',
    sellerId: '10000000-0000-4000-8000-000000000001',
    sellerSlug: 'koperasi-a',
    pesantrenSlug: 'pesantren-a',
    regencySlug: 'kabupaten-jombang',
    ...overrides,
  };
}
const catalogue = (count: number) => Array.from({ length: count }, (_, index) => product(index));

describe('the pages a change touches', () => {
  it('an edit that moves nothing: the product, the listing pages that show it, its seller and pesantren, in both languages', () => {
    const before = catalogue(60);
    const changed = product(30, { featured: true });
    const after = before.map((entry) => (entry.id === changed.id ? changed : entry));
    const { render, remove } = affectedPages(before, after, new Set([changed.id]));
    // Position 30 is on page 2 of every listing it is in.
    expect([...render].sort()).toEqual(
      [
        '/produk/produk-30/', '/en/products/produk-30/',
        '/katalog/2/', '/en/catalogue/2/',
        '/katalog/kategori/makanan-minuman/2/', '/en/catalogue/category/makanan-minuman/2/',
        '/katalog/kategori/keripik/2/', '/en/catalogue/category/keripik/2/',
        '/katalog/daerah/kabupaten-jombang/2/', '/en/catalogue/region/kabupaten-jombang/2/',
        '/katalog/pilar/santripreneur/2/', '/en/catalogue/pillar/santripreneur/2/',
        '/penjual/koperasi-a/', '/en/sellers/koperasi-a/',
        '/pesantren/pesantren-a/', '/en/pesantren/pesantren-a/',
      ].sort(),
    );
    expect(remove.size).toBe(0);
  });

  it('redraws the other product pages whose related cards show a changed product, and no others', () => {
    const before = [...catalogue(10), product(10, { categoryPath: ['kerajinan'], slug: 'anyaman' })];
    // Products 0 to 4 are the newest of their category: each other product's related cards show four of them.
    const edited = { ...before[1]!, featured: true };
    const { render } = affectedPages(before, before.map((entry) => (entry.id === edited.id ? edited : entry)), new Set([edited.id]));
    for (const index of [0, 2, 3, 4, 5, 9]) expect(render, `produk-${index}`).toContain(`/produk/produk-${index}/`);
    expect(render).toContain('/en/products/produk-9/');
    expect(render).not.toContain('/produk/anyaman/');
    // Product 8 shows in nobody's cards: only its own page among the product pages.
    const quiet = { ...before[8]!, featured: true };
    const second = affectedPages(before, before.map((entry) => (entry.id === quiet.id ? quiet : entry)), new Set([quiet.id]));
    expect([...second.render].filter((page) => page.startsWith('/produk/'))).toEqual(['/produk/produk-8/']);
    // A newer product takes a place in the cards: the pages whose cards changed are redrawn.
    const added = product(-1, { slug: 'baru' });
    const third = affectedPages(before, [added, ...before], new Set([added.id]));
    expect(third.render).toContain('/produk/produk-7/');
  });

  it('a new product shifts every page from the first, and adds a page when the listing grows past one', () => {
    const before = catalogue(PAGE_SIZE);
    const added = product(-1, { slug: 'baru' });
    const { render } = affectedPages(before, [added, ...before], new Set([added.id]));
    expect(render).toContain('/katalog/');
    expect(render).toContain('/katalog/2/');
    expect(render).toContain('/produk/baru/');
  });

  it('an unlisted product: its pages removed, the pages after it redrawn, a page past the new end removed', () => {
    const before = catalogue(PAGE_SIZE * 2 + 1);
    const gone = before[PAGE_SIZE + 3]!;
    const after = before.filter((entry) => entry.id !== gone.id);
    const { render, remove } = affectedPages(before, after, new Set([gone.id]));
    expect(remove).toContain('/produk/produk-27/');
    expect(remove).toContain('/en/products/produk-27/');
    expect(render).not.toContain('/katalog/');
    expect(render).toContain('/katalog/2/');
    // 49 products made three pages; 48 make two.
    expect(remove).toContain('/katalog/3/');
    expect(remove).toContain('/en/catalogue/pillar/santripreneur/3/');
  });

  it('a product moved to another category: both categories redrawn; the old one removed when it is left empty', () => {
    const before = [...catalogue(3), product(3, { categoryPath: ['kerajinan'] })];
    const moved = { ...before[3]!, categoryPath: ['makanan-minuman', 'keripik'] };
    const { render, remove } = affectedPages(before, [...before.slice(0, 3), moved], new Set([moved.id]));
    expect(render).toContain('/katalog/kategori/keripik/');
    expect(remove).toContain('/katalog/kategori/kerajinan/');
    expect(remove).toContain('/en/catalogue/category/kerajinan/');
  });

  it('a seller left with no listed product loses its page; a renamed slug removes the old address', () => {
    const before = [product(0), product(1, { sellerSlug: 'koperasi-b', sellerId: '10000000-0000-4000-8000-000000000002' })];
    const { remove } = affectedPages(before, [before[0]!], new Set([before[1]!.id]));
    expect(remove).toContain('/penjual/koperasi-b/');
    const renamed = { ...before[0]!, slug: 'nama-baru' };
    const moved = affectedPages(before, [renamed, before[1]!], new Set([renamed.id]));
    expect(moved.remove).toContain('/produk/produk-0/');
    expect(moved.render).toContain('/produk/nama-baru/');
  });

  it('signs with HMAC-SHA256 of the body (what the catalogue relay sends)', () => {
    // Known answer, computed independently (Python's hmac).
    expect(signature('{}', 'secret')).toBe('sha256=77325902caca812dc259733aacd046b73817372c777b8d95b402647474516e13');
    expect(signature('{}', 'secret')).not.toBe(signature('{ }', 'secret'));
  });
});

/** The API as the publisher reads it: its published queries by name, answered by `answer`. */
function fakeApi(answer: (operation: string, variables: Record<string, unknown>) => Record<string, unknown>) {
  return createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, unknown> };
    const operation = /query (\w+)/.exec(query)?.[1] ?? '';
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: answer(operation, variables) }));
  });
}

/**
 * The pages one publish asks its build to draw: a publisher over `answer` (the API) and a
 * manifest of `products`, whose build only records the pages it is given.
 */
async function pagesDrawn(answer: Parameters<typeof fakeApi>[0], products: PublishedProduct[], notice: Parameters<Publisher['publish']>[0]): Promise<string[]> {
  const api = fakeApi(answer);
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const distDir = await mkdtemp(join(tmpdir(), 'opop-publisher-'));
  try {
    await writeFile(join(distDir, 'publish-manifest.json'), JSON.stringify({ products }));
    let rendered: string[] = [];
    const publisher = new Publisher({
      apiUrl: `http://127.0.0.1:${(api.address() as { port: number }).port}/graphql`,
      distDir,
      secret: 'test-secret',
      build: async (_apiUrl, env) => {
        rendered = JSON.parse(await readFile(env['STOREFRONT_ONLY_FILE']!, 'utf8')) as string[];
        const out = await mkdtemp(join(tmpdir(), 'opop-publisher-build-'));
        await writeFile(join(out, 'publish-manifest.json'), '{"products":[]}');
        return out;
      },
    });
    await publisher.publish(notice);
    return rendered;
  } finally {
    await new Promise((resolve) => api.close(resolve));
    await rm(distDir, { recursive: true, force: true });
  }
}

describe('publishing changes one after another', () => {
  it('removes an unlisted product\'s pages even when it was unlisted while the previous publish was building', async () => {
    const id = '00000000-0000-4000-8000-000000000042';
    const placement = {
      id,
      slug: 'keripik-uji',
      createdAt: '2026-01-01T00:00:00.000Z',
      featured: true,
      category: { path: ['makanan-minuman', 'keripik'] },
      seller: { id: '10000000-0000-4000-8000-000000000001', slug: 'koperasi-a', pillar: 'SANTRIPRENEUR' },
      pesantren: { slug: 'pesantren-a', regency: { displayName: 'Kabupaten Jombang' } },
    };
    let listed = true;
    // The API: the product while it is listed, null once it is not (what anonymous readers get).
    const api = fakeApi(() => ({ product: listed ? placement : null }));
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const distDir = await mkdtemp(join(tmpdir(), 'opop-publisher-'));
    try {
      const pages = ['produk/keripik-uji', 'en/products/keripik-uji'];
      for (const page of pages) {
        await mkdir(join(distDir, page), { recursive: true });
        await writeFile(join(distDir, page, 'index.html'), '<h1>Keripik Uji</h1>');
      }
      await writeFile(join(distDir, 'publish-manifest.json'), JSON.stringify({ products: [{ ...product(42), id, slug: 'keripik-uji', featured: false }] }));
      let builds = 0;
      const publisher = new Publisher({
        apiUrl: `http://127.0.0.1:${(api.address() as { port: number }).port}/graphql`,
        distDir,
        secret: 'test-secret',
        // Like Astro's partial build, the manifest is written from the API as it is at build
        // time; during the first build the product is sent back for revision.
        build: async () => {
          const out = await mkdtemp(join(tmpdir(), 'opop-publisher-build-'));
          if (++builds === 1) listed = false;
          await writeFile(join(out, 'publish-manifest.json'), JSON.stringify({ products: listed ? [{ ...product(42), id, slug: 'keripik-uji', featured: true }] : [] }));
          return out;
        },
      });
      await publisher.publish({ products: [id], sellers: [] });
      const second = await publisher.publish({ products: [id], sellers: [] });
      expect(second.removed).toBeGreaterThanOrEqual(2);
      for (const page of pages) await expect(stat(join(distDir, page, 'index.html'))).rejects.toThrow();
      expect(JSON.parse(await readFile(join(distDir, 'publish-manifest.json'), 'utf8'))).toEqual({ products: [] });
    } finally {
      await new Promise((resolve) => api.close(resolve));
      await rm(distDir, { recursive: true, force: true });
    }
  });
});

describe('publishing a pesantren change, a recorded engagement, a published article', () => {
  it("draws again the pesantren's page, the pesantren list, its products', partners' and articles' pages, and not another pesantren's", async () => {
    const pesantrenA = '20000000-0000-4000-8000-00000000000a';
    const ofA = [product(1), product(2)];
    // In another category: no related card of its page shows pesantren A's products.
    const ofB = product(3, { pesantrenSlug: 'pesantren-b', sellerId: '10000000-0000-4000-8000-000000000002', sellerSlug: 'koperasi-b', categoryPath: ['kerajinan', 'batik'] });
    const placement = (p: PublishedProduct) => ({
      id: p.id,
      slug: p.slug,
      createdAt: p.createdAt,
      featured: p.featured,
      category: { path: p.categoryPath },
      seller: { id: p.sellerId, slug: p.sellerSlug, pillar: p.pillar },
      pesantren: { slug: p.pesantrenSlug, regency: { displayName: 'Kabupaten Jombang' } },
    });
    const asked: string[] = [];
    // A pesantren the API does not show (a wrong id) changes nothing of its own.
    const rendered = await pagesDrawn(
      (operation, variables) => {
        asked.push(`${operation} ${String(variables['id'])}`);
        if (operation === 'StorefrontPublishPesantren')
          return { pesantren: variables['id'] === pesantrenA ? { slug: 'pesantren-a', partnerships: [{ partner: { slug: 'mui' } }, { partner: { slug: 'mui' } }], coverage: [{ slug: 'santri-mengekspor' }] } : null };
        const found = [...ofA, ofB].find((p) => p.id === variables['id']);
        return { product: found ? placement(found) : null };
      },
      [...ofA, ofB],
      { pesantren: [pesantrenA, '20000000-0000-4000-8000-0000000000ff'] },
    );
    expect(rendered).toEqual(expect.arrayContaining(['/pesantren/pesantren-a/', '/en/pesantren/pesantren-a/', '/pesantren/', '/en/pesantren/']));
    // Its name on the pages of its partner (twice engaged, drawn once) and of the article covering it, and the news list.
    expect(rendered).toEqual(expect.arrayContaining(['/mitra/mui/', '/en/partners/mui/', '/berita/santri-mengekspor/', '/en/news/santri-mengekspor/', '/berita/', '/en/news/']));
    expect(rendered.filter((page) => page === '/mitra/mui/')).toHaveLength(1);
    for (const p of ofA) expect(rendered).toEqual(expect.arrayContaining([`/produk/${p.slug}/`, `/en/products/${p.slug}/`]));
    expect(rendered).not.toContain(`/produk/${ofB.slug}/`);
    expect(rendered.filter((page) => page.includes('pesantren-b'))).toEqual([]);
    // Only published queries, each product of the pesantren read fresh.
    expect(asked.sort()).toEqual([...ofA.map((p) => `StorefrontPublishProduct ${p.id}`), `StorefrontPublishPesantren ${pesantrenA}`, 'StorefrontPublishPesantren 20000000-0000-4000-8000-0000000000ff'].sort());
  });

  it("draws a recorded engagement's partner page and its pesantren's pages, in both languages", async () => {
    const engagement = '30000000-0000-4000-8000-000000000001';
    const rendered = await pagesDrawn(
      (operation, variables) =>
        operation === 'StorefrontPublishEngagement' && variables['id'] === engagement ? { engagement: { partner: { slug: 'mui' }, pesantren: [{ slug: 'pesantren-a' }, null, { slug: 'pesantren-c' }] } } : { engagement: null },
      [product(1)],
      { engagements: [engagement] },
    );
    // A pesantren the pesantren service cannot show (null) is left out; no product page is drawn.
    expect(rendered.sort()).toEqual(['/en/partners/mui/', '/en/pesantren/pesantren-a/', '/en/pesantren/pesantren-c/', '/mitra/mui/', '/pesantren/pesantren-a/', '/pesantren/pesantren-c/']);
  });

  it("draws a published article's page, the news list and the pages of the pesantren it covers", async () => {
    // An article the API does not show (not published, a wrong slug) adds nothing.
    const rendered = await pagesDrawn(
      (operation, variables) =>
        operation === 'StorefrontPublishArticle' && variables['slug'] === 'santri-mengekspor' ? { article: { slug: 'santri-mengekspor', pesantren: [{ slug: 'pesantren-a' }] } } : { article: null },
      [product(1)],
      { articles: ['santri-mengekspor', 'tidak-ada'] },
    );
    expect(rendered.sort()).toEqual(['/berita/', '/berita/santri-mengekspor/', '/en/news/', '/en/news/santri-mengekspor/', '/en/pesantren/pesantren-a/', '/pesantren/pesantren-a/']);
  });

  it('refuses a notice whose pesantren or engagements are not ids, or whose articles are not slugs', async () => {
    const publisher = new Publisher({ apiUrl: 'http://127.0.0.1:9/graphql', distDir: tmpdir(), secret: 'test-secret', build: async () => { throw new Error('not reached'); } });
    const post = async (body: string) => {
      const server = createServer((request, response) => void publisher.handle(request, response));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        return (await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/_publish`, { method: 'POST', headers: { 'x-opop-signature': signature(body, 'test-secret') }, body })).status;
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    };
    expect(await post(JSON.stringify({ products: [], sellers: [], pesantren: ['not-an-id'] }))).toBe(400);
    expect(await post(JSON.stringify({ products: [], sellers: [], pesantren: [42] }))).toBe(400);
    expect(await post(JSON.stringify({ products: [], sellers: [], engagements: ['not-an-id'] }))).toBe(400);
    expect(await post(JSON.stringify({ products: [], sellers: [], articles: ['../../etc/passwd'] }))).toBe(400);
    expect(await post(JSON.stringify({ products: [], sellers: [], articles: 'santri' }))).toBe(400);
  });
});
