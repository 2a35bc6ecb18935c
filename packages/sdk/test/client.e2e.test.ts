import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { generateWorld } from '@opop/demo-data';
import { issueAccessToken } from '@opop/server-kit';
import { TEST_ACCESS_TOKEN_SECRET, testEngines } from '@opop/server-kit/testing';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  GraphQLRequestError,
  NetworkError,
  PesantrenDocument,
  ProductDocument,
  ProductsDocument,
  RecordProductViewDocument,
  createClient,
  type Client,
  type PesantrenQuery,
  type ProductQuery,
  type SearchProductsQuery,
} from '../src/index.ts';
import { chromiumMissing, openSdkPage, type SdkPage } from './browser.ts';
import { BAD_GATEWAY, startPlatform, testEndpoint, type Platform, type TestEndpoint } from './platform.ts';

const world = generateWorld('demo');
const sidogiri = world.pesantren.find((p) => p.slug === 'pondok-pesantren-sidogiri')!;
const listed = world.products.filter((p) => ['SUBMITTED', 'IN_REVIEW', 'FEATURED'].includes(p.status));
const featured = world.products.find((p) => p.status === 'FEATURED')!;
const manifest = JSON.parse(await readFile(new URL('../../../schema/persisted-operations.json', import.meta.url), 'utf8')) as Record<string, string>;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Quick retries, so the suite does not wait out production back-off. */
const FAST = { attempts: 2, baseDelayMs: 5, maxDelayMs: 2_000 };

describe.each(testEngines())('the SDK against the router and subgraphs on $name', (engine) => {
  let platform: Platform;
  let client: Client;
  const endpoints: TestEndpoint[] = [];
  const endpoint = async (behave: Parameters<typeof testEndpoint>[1]) => {
    const created = await testEndpoint(platform.api, behave);
    endpoints.push(created);
    return created;
  };

  beforeAll(async () => {
    if (engine.skip) return;
    platform = await startPlatform(engine, world);
    client = createClient({ endpoint: platform.api, retries: FAST });
  });

  const pages: SdkPage[] = [];
  const openPage = async () => {
    const page = await openSdkPage(platform.api);
    pages.push(page);
    return page;
  };

  afterAll(async () => {
    for (const page of pages) await page.close();
    for (const created of endpoints) await created.close();
    await platform?.close();
  });

  describe.skipIf(Boolean(engine.skip))('typed results', () => {
    it('reads one product by slug, with data from several subgraphs', async () => {
      const product = await client.product({ slug: featured.slug });
      expectTypeOf(product).toEqualTypeOf<ProductQuery['product']>();
      expect(product).toMatchObject({ id: featured.id, slug: featured.slug, priceRupiah: featured.priceRupiah, featured: true });
      expect(product!.name.indonesian).toBe(featured.nameId);
      expect(product!.pesantren?.regency.displayName).toMatch(/^(Kabupaten|Kota) /);
      expect(product!.seller.pillar).toMatch(/PRENEUR$/);
      expect(await client.product({ slug: 'no-such-product' })).toBeNull();
    });

    it('pages through products with a filter and a sort', async () => {
      const first = await client.products({ first: 5, filter: { inStock: true }, sort: 'PRICE_ASC' });
      expect(first.nodes).toHaveLength(5);
      expect(first.totalCount).toBe(listed.filter((p) => p.stock > 0).length);
      const prices = first.nodes.map((node) => node.priceRupiah);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
      const next = await client.products({ first: 5, after: first.pageInfo.endCursor, filter: { inStock: true }, sort: 'PRICE_ASC' });
      expect(next.nodes[0]!.priceRupiah).toBeGreaterThanOrEqual(prices.at(-1)!);
      expect(next.nodes.map((n) => n.id)).not.toContain(first.nodes[0]!.id);
    });

    it('reads the category tree and searches with facets', async () => {
      const categories = await client.categories();
      expect(categories.length).toBeGreaterThan(0);
      expect(categories.some((c) => c.children.length > 0)).toBe(true);
      const search = await client.searchProducts({ query: 'kripik', pageSize: 3 });
      expectTypeOf(search).toEqualTypeOf<SearchProductsQuery['searchProducts']>();
      expect(search.total).toBeGreaterThan(0);
      expect(search.hits.length).toBeLessThanOrEqual(3);
      expect(search.facets.regencies.every((facet) => facet.count > 0 && facet.label.indonesian.length > 0)).toBe(true);
      expect(search.hits[0]!.highlight.name).toContain('<mark>');
    });

    it('reads a pesantren page, lists pesantren and regencies', async () => {
      const pesantren = await client.pesantren({ slug: sidogiri.slug, productCount: 2 });
      expectTypeOf(pesantren).toEqualTypeOf<PesantrenQuery['pesantren']>();
      expect(pesantren).toMatchObject({ id: sidogiri.id, name: 'Pondok Pesantren Sidogiri', nspp: sidogiri.nspp });
      expect(pesantren!.products!.nodes.length).toBeLessThanOrEqual(2);
      expect(pesantren!.academics!.santriCount! % 10).toBe(0);
      const list = await client.pesantrenList({ first: 3, sort: 'NAME' });
      expect(list.totalCount).toBe(world.pesantren.length);
      expect(list.nodes.map((p) => p.name)).toEqual([...list.nodes.map((p) => p.name)].sort((a, b) => a.localeCompare(b)));
      const regencies = await client.regencies({ provinceCode: '35' });
      expect(regencies.find((r) => r.code === '3514')?.displayName).toBe('Kabupaten Pasuruan');
    });

    it('reads articles, partners and the innovation funnel, and records interest', async () => {
      const articles = await client.articles({ first: 2 });
      expect(articles.nodes).toHaveLength(2);
      expect(articles.nodes[0]!.outlet.name.length).toBeGreaterThan(0);
      const partners = await client.partners({ role: 'ACADEMIA' });
      expect(partners.length).toBeGreaterThan(0);
      expect(partners.every((p) => p.role === 'ACADEMIA')).toBe(true);
      // A list of partners shows a few engagements of each; one partner, all of them.
      const busiest = [...(await client.partners({ engagementsEach: 1 }))].sort((a, b) => b.engagementCount - a.engagementCount)[0]!;
      expect(busiest.engagementCount).toBeGreaterThan(1);
      expect(busiest.engagements).toHaveLength(1);
      const partner = await client.partner({ slug: busiest.slug });
      expect(partner?.engagements).toHaveLength(busiest.engagementCount);
      expect(partner?.engagements[0]).toEqual(busiest.engagements[0]);
      await expect(client.partner({ slug: 'no-such-partner' })).resolves.toBeNull();
      const innovation = await client.innovation();
      expect(innovation?.slug).toBe('eko-tren');
      const viewed = await client.recordInnovationView({});
      expect(viewed.views).toBe(innovation!.funnel.views + 1);
      const receipt = await client.expressInterest({
        input: { name: 'Dewi', organisation: 'Dinas Koperasi Contoh', email: 'dewi@example.id', region: 'Kabupaten Contoh', message: 'Kami ingin mereplikasi EKO-TREN.' },
      });
      expect(receipt).toEqual({ received: true, funnel: { ...viewed, interests: viewed.interests + 1 } });
    });

    it('reads enrolment statistics with an academic partner token, and refuses them without one', async () => {
      const token = await issueAccessToken({ role: 'academic_partner', subject: 'sdk-test', pesantrenId: null, scopes: ['academics:aggregate'] }, TEST_ACCESS_TOKEN_SECRET);
      const partner = createClient({ endpoint: platform.api, token, retries: 0 });
      const stats = await partner.enrolmentStats({ groupBy: ['REGENCY'], filter: { programmeKind: 'MTS' } });
      expect(stats.groupBy).toEqual(['REGENCY']);
      expect(stats.threshold).toBeGreaterThan(0);
      expect(stats.cells.length).toBeGreaterThan(0);
      expect(stats.cells.every((cell) => cell.count >= stats.threshold)).toBe(true);
      const anonymous = await client.enrolmentStats({ groupBy: ['REGENCY'] }).catch((error: unknown) => error);
      expect(anonymous).toBeInstanceOf(GraphQLRequestError);
      expect((anonymous as GraphQLRequestError).code).toMatch(/^(UNAUTHENTICATED|FORBIDDEN)$/);
    });

    it('sends an order request and counts a product view', async () => {
      const product = listed.find((p) => p.stock >= 2)!;
      const input = {
        idempotencyKey: randomUUID(),
        items: [{ productId: product.id, quantity: 1 }],
        buyerName: 'Siti Aminah',
        buyerPhone: '0812 3456 7890',
        deliveryAddress: 'Jl. Mawar No. 1, Pasuruan',
        paymentMethod: 'COD' as const,
      };
      const checkout = await client.requestOrder({ input });
      expect(checkout.orders).toHaveLength(1);
      expect(checkout.orders[0]!.lines[0]).toMatchObject({ product: { id: product.id }, quantity: 1, unitPriceRupiah: product.priceRupiah });
      expect(checkout.totalRupiah).toBe(product.priceRupiah);
      // The same key and cart return the same checkout: a client may resend an order it is unsure of.
      expect((await client.requestOrder({ input })).orders[0]!.number).toBe(checkout.orders[0]!.number);
      // The router identifies the visitor: the same client counts once a day.
      expect(await client.recordProductView({ productId: product.id })).toBe(true);
      expect(await client.recordProductView({ productId: product.id })).toBe(false);
    });
  });

  describe.skipIf(Boolean(engine.skip))('typed errors', () => {
    it('rejects bad input with BAD_USER_INPUT naming the field', async () => {
      const error = await client.products({ first: 500 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GraphQLRequestError);
      const failure = error as GraphQLRequestError;
      expect(failure.code).toBe('BAD_USER_INPUT');
      expect(failure.operationName).toBe('Products');
      expect(failure.partial).toBe(false);
      const detail = failure.find('BAD_USER_INPUT');
      expectTypeOf(detail!.extensions.field).toEqualTypeOf<string | undefined>();
      expect(detail!.extensions.field).toBe('first');
    });

    it('lists what is short when an order asks for more than remains, and orders nothing', async () => {
      // Under the 50 one order may ask for of a product, so what falls short is the stock.
      const product = listed.find((p) => p.stock > 0 && p.stock < 50)!;
      const error = await client
        .requestOrder({
          input: {
            idempotencyKey: randomUUID(),
            items: [{ productId: product.id, quantity: product.stock + 1 }],
            buyerName: 'Siti Aminah',
            buyerPhone: '081234567890',
            deliveryAddress: 'Jl. Mawar No. 1, Pasuruan',
            paymentMethod: 'QRIS',
          },
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GraphQLRequestError);
      const short = (error as GraphQLRequestError).find('OUT_OF_STOCK');
      expectTypeOf(short!.extensions.products[0]!.available).toEqualTypeOf<number>();
      expect(short!.extensions.products).toEqual([expect.objectContaining({ productId: product.id, requested: product.stock + 1 })]);
    });

    it('reports an endpoint that is not GraphQL as a NetworkError with its status', async () => {
      const teapot = await endpoint(() => ({ status: 418, body: 'I am a teapot' }));
      const error = await createClient({ endpoint: teapot.url }).categories().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).status).toBe(418);
      expect(teapot.requests).toHaveLength(1);
    });
  });

  describe.skipIf(Boolean(engine.skip))('retries', () => {
    it('retries a query through two failures (a reset connection, a 502) and returns the answer', async () => {
      const flaky = await endpoint((attempt) => (attempt === 0 ? 'reset' : attempt === 1 ? BAD_GATEWAY : 'proxy'));
      const regencies = await createClient({ endpoint: flaky.url, retries: FAST }).regencies({ provinceCode: '35' });
      expect(regencies.length).toBe(38);
      expect(flaky.requests).toHaveLength(3);
      expect(flaky.requests.every((body) => body['operationName'] === 'Regencies')).toBe(true);
    });

    it('gives up after the configured attempts with the last error', async () => {
      const down = await endpoint(() => ({ status: 503, body: 'maintenance' }));
      const error = await createClient({ endpoint: down.url, retries: FAST }).categories().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).status).toBe(503);
      expect(down.requests).toHaveLength(1 + FAST.attempts);
    });

    it('never retries a mutation, whatever the failure', async () => {
      for (const failure of [BAD_GATEWAY, 'reset' as const, { status: 429, headers: { 'retry-after': '0' } }]) {
        const flaky = await endpoint((attempt) => (attempt === 0 ? failure : 'proxy'));
        const sdk = createClient({ endpoint: flaky.url, retries: { ...FAST, attempts: 5 } });
        const error = await sdk.recordProductView({ productId: featured.id }).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(NetworkError);
        expect(flaky.requests).toHaveLength(1);
        // Through `request` too: what counts is the document, not the method.
        await expect(sdk.request(RecordProductViewDocument, { productId: featured.id })).resolves.toEqual({ recordProductView: expect.any(Boolean) });
        expect(flaky.requests).toHaveLength(2);
      }
    });

    it('waits as long as Retry-After asks, and gives up at once when it asks for more than the policy allows', async () => {
      const limited = await endpoint((attempt) => (attempt === 0 ? { status: 429, headers: { 'retry-after': '1' } } : 'proxy'));
      await createClient({ endpoint: limited.url, retries: FAST }).regencies();
      expect(limited.requests).toHaveLength(2);
      expect(limited.arrivals[1]! - limited.arrivals[0]!).toBeGreaterThanOrEqual(990);

      const busy = await endpoint(() => ({ status: 503, headers: { 'retry-after': '60' } }));
      const error = await createClient({ endpoint: busy.url, retries: FAST }).regencies().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).retryAfterMs).toBe(60_000);
      expect(busy.requests).toHaveLength(1);
    });

    it('abandons an attempt after the timeout, retrying queries', async () => {
      const silent = await endpoint(() => 'hang');
      const started = performance.now();
      const error = await createClient({ endpoint: silent.url, timeout: 100, retries: 0 }).categories().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).timedOut).toBe(true);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(silent.requests).toHaveLength(1);

      // Long enough for the real answer on a loaded machine (200 ms failed one CI run beside another platform).
      const slowOnce = await endpoint((attempt) => (attempt === 0 ? 'hang' : 'proxy'));
      const categories = await createClient({ endpoint: slowOnce.url, timeout: 1_500, retries: FAST }).categories();
      expect(categories.length).toBeGreaterThan(0);
      expect(slowOnce.requests).toHaveLength(2);
    });

    it('stops when aborted, during a request or while waiting to retry', async () => {
      const silent = await endpoint(() => 'hang');
      const during = new AbortController();
      setTimeout(() => during.abort(), 50);
      await expect(createClient({ endpoint: silent.url }).categories({}, { signal: during.signal })).rejects.toMatchObject({ name: 'AbortError' });

      const busy = await endpoint(() => ({ status: 503, headers: { 'retry-after': '5' } }));
      const waiting = new AbortController();
      const started = performance.now();
      setTimeout(() => waiting.abort(new Error('user left the page')), 100);
      const sdk = createClient({ endpoint: busy.url, retries: { attempts: 3, maxDelayMs: 10_000 } });
      await expect(sdk.categories({}, { signal: waiting.signal })).rejects.toThrow('user left the page');
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(busy.requests).toHaveLength(1);

      await expect(sdk.categories({}, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
      expect(busy.requests).toHaveLength(1);
    });
  });

  describe.skipIf(Boolean(engine.skip))('persisted queries', () => {
    it('sends the hash first, the document once on a miss, and only the hash once the router knows it', async () => {
      const recorder = await endpoint(() => 'proxy');
      const first = createClient({ endpoint: recorder.url, persisted: true });
      // The router knows every published operation by its hash from the start (schema/persisted-operations.json).
      const products = await first.products({ first: 2, sort: 'NEWEST' });
      expect(products.nodes).toHaveLength(2);
      expect(recorder.requests).toHaveLength(1);
      const [hit] = recorder.requests as [Record<string, any>];
      expect(hit['query']).toBeUndefined();
      const hash = hit['extensions'].persistedQuery.sha256Hash as string;
      expect(hit['extensions']).toEqual({ persistedQuery: { version: 1, sha256Hash: hash } });
      // The hash is of exactly the text the SDK holds, and the manifest has that text under it.
      expect(manifest[hash]).toBe(String(ProductsDocument));
      expect(sha256(manifest[hash]!)).toBe(hash);

      // An operation of the caller's own: the hash misses, the document goes once with it.
      const own = 'query SdkOwnRegencies { regencies { code } }';
      const regencies = await first.request(own);
      const [miss, register] = recorder.requests.slice(1) as [Record<string, any>, Record<string, any>];
      expect(miss['query']).toBeUndefined();
      expect(register['query']).toBe(own);
      expect(register['extensions']).toEqual({ persistedQuery: { version: 1, sha256Hash: sha256(own) } });

      // Another client, as another browser would: the router already has the document.
      const again = await createClient({ endpoint: recorder.url, persisted: true }).request(own);
      expect(again).toEqual(regencies);
      expect(recorder.requests).toHaveLength(4);
      expect(recorder.requests[3]!['query']).toBeUndefined();
      expect(recorder.requests[3]!['extensions']).toEqual(miss['extensions']);
    });

    it('works for mutations and for errors, sending each document at most once', async () => {
      const recorder = await endpoint(() => 'proxy');
      const sdk = createClient({ endpoint: recorder.url, persisted: true, retries: 0 });
      expect(typeof (await sdk.recordProductView({ productId: featured.id }))).toBe('boolean');
      expect(typeof (await sdk.recordProductView({ productId: featured.id }))).toBe('boolean');
      // A published operation: the hash alone is enough, from the first request on.
      expect(recorder.requests.map((body) => 'query' in body)).toEqual([false, false]);
      for (const body of recorder.requests) {
        const hash = (body['extensions'] as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash;
        expect(manifest[hash]).toBe(String(RecordProductViewDocument));
      }
      await expect(sdk.products({ first: 500 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it("with persisted: 'get', asks for published queries by GET with the hash alone (a CDN can keep them), posts mutations, and posts a document of its own", async () => {
      const sent: { method: string; url: URL; headers: Headers }[] = [];
      const recording: typeof fetch = (input, init) => {
        sent.push({ method: init?.method ?? 'GET', url: new URL(String(input)), headers: new Headers(init?.headers) });
        return fetch(input, init);
      };
      const sdk = createClient({ endpoint: platform.api, persisted: 'get', fetch: recording, retries: 0 });
      const product = await sdk.product({ slug: featured.slug });
      expect(product?.slug).toBe(featured.slug);
      const [get] = sent;
      expect(get!.method).toBe('GET');
      // No content type and no custom header: a browser sends it without a preflight, and a CDN keys it by URL.
      expect(get!.headers.get('content-type')).toBeNull();
      expect(get!.url.searchParams.get('query')).toBeNull();
      expect(manifest[JSON.parse(get!.url.searchParams.get('extensions')!).persistedQuery.sha256Hash]).toBe(String(ProductDocument));
      const answer = await fetch(get!.url);
      expect(answer.headers.get('cache-control')).toMatch(/^max-age=[1-9]\d*, public$/);
      // A mutation is never a GET.
      await sdk.recordProductView({ productId: featured.id });
      expect(sent[1]!.method).toBe('POST');
      // A document the router has not published: refused by GET without a preflight header, so sent by POST.
      const own = 'query SdkOwnCategoriesByGet { categories { slug } }';
      const categories = (await sdk.request(own)) as { categories: unknown[] };
      expect(categories.categories.length).toBeGreaterThan(0);
      expect(sent.slice(2).map((request) => request.method)).toEqual(['GET', 'POST']);
    });

    it('falls back to full documents when the server does not support persisted queries', async () => {
      const unsupported = await endpoint((_attempt, body) =>
        'query' in body ? 'proxy' : { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errors: [{ message: 'PersistedQueryNotSupported', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }] }) },
      );
      const sdk = createClient({ endpoint: unsupported.url, persisted: true });
      expect((await sdk.regencies()).length).toBeGreaterThan(0);
      expect((await sdk.regencies()).length).toBeGreaterThan(0);
      expect(unsupported.requests.map((body) => 'query' in body)).toEqual([false, true, true]);
      expect(unsupported.requests[2]!['extensions']).toBeUndefined();
    });
  });

  describe.skipIf(Boolean(engine.skip))('credentials', () => {
    it('sends the API key as x-api-key and the token as a bearer token, a token function before every attempt', async () => {
      const seen: Headers[] = [];
      const recordingFetch: typeof fetch = (input, init) => {
        seen.push(new Headers(init?.headers));
        return fetch(input, init);
      };
      let calls = 0;
      const token = await issueAccessToken({ role: 'academic_partner', subject: 'sdk-test', pesantrenId: null, scopes: ['academics:aggregate'] }, TEST_ACCESS_TOKEN_SECRET);
      const sdk = createClient({
        endpoint: platform.api,
        apiKey: 'opop_test_key',
        token: () => {
          calls += 1;
          return token;
        },
        fetch: recordingFetch,
        headers: { 'x-client': 'sdk-test' },
      });
      await sdk.enrolmentStats({ groupBy: ['GENDER'] });
      await sdk.regencies({}, { headers: { 'x-request-id': 'abc' } });
      expect(calls).toBe(2);
      expect(seen.map((headers) => [headers.get('x-api-key'), headers.get('authorization'), headers.get('x-client')])).toEqual([
        ['opop_test_key', `Bearer ${token}`, 'sdk-test'],
        ['opop_test_key', `Bearer ${token}`, 'sdk-test'],
      ]);
      expect(seen[1]!.get('x-request-id')).toBe('abc');
    });

    it('keeps the quota the router reports to a signed-in caller, and has none for an anonymous one', async () => {
      const anonymous = createClient({ endpoint: platform.api, retries: 0 });
      await anonymous.regencies();
      expect(anonymous.rateLimit).toBeUndefined();
      const token = await issueAccessToken({ role: 'programme_admin', subject: 'sdk-quota', pesantrenId: null, scopes: [] }, TEST_ACCESS_TOKEN_SECRET);
      const signedIn = createClient({ endpoint: platform.api, token, retries: 0 });
      const before = Date.now();
      const answer = await signedIn.raw(ProductsDocument, { first: 1 });
      const first = signedIn.rateLimit!;
      expect(first.limit).toBeGreaterThan(0);
      expect(first.remaining).toBeLessThan(first.limit);
      expect(answer.rateLimit).toEqual(first);
      expect(first.resetsAt.getTime()).toBeGreaterThan(before);
      expect(first.resetsAt.getTime()).toBeLessThanOrEqual(Date.now() + 60_000 + 1_000);
      await signedIn.regencies();
      expect(signedIn.rateLimit!.remaining).toBe(first.remaining - 1);
    });
  });

  describe.skipIf(Boolean(engine.skip || chromiumMissing))('in a browser', () => {
    it('runs from another origin, with an API key (so a CORS preflight) and persisted queries (Web Crypto)', async () => {
      const { page, requests } = await openPage();
      // A real key: the router refuses keys the partners subgraph does not know.
      const admin = await issueAccessToken({ role: 'programme_admin', subject: 'sdk-test', pesantrenId: null, scopes: [] }, TEST_ACCESS_TOKEN_SECRET);
      const asAdmin = createClient({ endpoint: platform.api, token: admin, retries: 0 });
      const [media] = await asAdmin.partners({ role: 'MEDIA' });
      const created = (await asAdmin.request(
        `mutation { createApiKey(input: { partnerSlug: "${media!.slug}", name: "SDK browser test", role: MEDIA_PARTNER }) { secret } }`,
      )) as { createApiKey: { secret: string } };
      const result = await page.evaluate(async ({ api, apiKey }) => {
        const sdk = (globalThis as unknown as { sdk: typeof import('../src/index.ts') }).sdk;
        const client = sdk.createClient({ endpoint: api, apiKey, persisted: true, retries: 0 });
        const partners = await client.partners();
        const again = await client.partners();
        const error = await client.products({ first: 500 }).catch((caught: unknown) => caught);
        return {
          // Read from another origin: the router lets scripts see the quota headers.
          quota: client.rateLimit ? { limit: client.rateLimit.limit, remaining: client.rateLimit.remaining } : null,
          origin: location.origin,
          partners: partners.length,
          same: JSON.stringify(again) === JSON.stringify(partners),
          typed: error instanceof sdk.GraphQLRequestError,
          code: (error as InstanceType<typeof sdk.GraphQLRequestError>).code,
        };
      }, { api: platform.api, apiKey: created.createApiKey.secret });
      expect(result.origin).not.toBe(new URL(platform.api).origin);
      expect(result).toMatchObject({ same: true, typed: true, code: 'BAD_USER_INPUT' });
      expect(result.partners).toBeGreaterThan(0);
      expect(result.quota!.limit).toBeGreaterThan(0);
      expect(result.quota!.remaining).toBeLessThan(result.quota!.limit);
      // Hashed with Web Crypto in the page, and published: the router knows them by hash.
      expect(requests.slice(0, 3)).toEqual([
        { method: 'POST', sent: 'hash' },
        { method: 'POST', sent: 'hash' },
        { method: 'POST', sent: 'hash' },
      ]);
    });
  });

  // Last: it stops the media subgraph.
  describe.skipIf(Boolean(engine.skip))('partial data', () => {
    it('keeps what the other subgraphs answered when one is down, and retries queries for it', async () => {
      await platform.stop('media');
      const recorder = await endpoint(() => 'proxy');
      const sdk = createClient({ endpoint: recorder.url, retries: FAST });

      const response = await sdk.raw(PesantrenDocument, { slug: sidogiri.slug });
      expectTypeOf(response.data).toEqualTypeOf<PesantrenQuery | null>();
      expect(response.data?.pesantren?.name).toBe('Pondok Pesantren Sidogiri');
      expect(response.data?.pesantren?.coverage).toBeNull();
      expect(response.errors.map((e) => [e.extensions?.code, e.extensions?.['serviceName']])).toContainEqual(['SERVICE_UNAVAILABLE', 'media']);
      expect(recorder.requests).toHaveLength(1 + FAST.attempts);

      const error = await sdk.pesantren({ slug: sidogiri.slug }, { retries: 0 }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GraphQLRequestError);
      const failure = error as GraphQLRequestError<PesantrenQuery>;
      expect(failure.partial).toBe(true);
      expect(failure.code).toBe('SERVICE_UNAVAILABLE');
      expect(failure.find('SERVICE_UNAVAILABLE')?.extensions.serviceName).toBe('media');
      expect(failure.data?.pesantren?.products?.totalCount).toBeGreaterThan(0);
      expect(recorder.requests).toHaveLength(2 + FAST.attempts);
    });
  });
});
