import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAcademicsService } from '@opop/academics/app';
import { loadAcademics } from '@opop/academics/seeder';
import { createCatalogueService } from '@opop/catalogue/app';
import { EMBEDDED_SEARCH } from '@opop/catalogue/config';

/** No background polling: these tests count the SQL statements of their requests. */
const QUIET_SEARCH = { ...EMBEDDED_SEARCH, pollMs: 60_000 };
import { loadCatalogue } from '@opop/catalogue/seeder';
import { generateMedia, generatePartners, generateWorld, type DemoWorld } from '@opop/demo-data';
import { createMediaService } from '@opop/media/app';
import { loadMedia } from '@opop/media/seeder';
import { createPartnersService } from '@opop/partners/app';
import { loadPartners } from '@opop/partners/seeder';
import { createPesantrenService } from '@opop/pesantren/app';
import { loadPesantren } from '@opop/pesantren/seeder';
import { issueAccessToken, type Database, type EntityManager, type SubgraphConfig } from '@opop/server-kit';
import {
  TEST_ACCESS_TOKEN_SECRET,
  TEST_IDENTITY_SECRET,
  countQueries,
  dropTestSchema,
  postGraphQL,
  reservePort,
  testEngines,
  testSubgraphConfig,
  type GraphQLResponse,
} from '@opop/server-kit/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Router } from '../src/app.ts';
import { sha256Hex } from '../src/persisted.ts';
import { localNginxConfig, NGINX, nginxConfigProblem, startNginx } from '../../deploy/local-nginx.ts';
import { composeSupergraph } from '../src/compose.ts';
import type { RouterConfig } from '../src/config.ts';
import { TEST_REDIS_URL, send, type RawResponse } from './support.ts';
import { API_SCHEMA_PATH, SUPERGRAPH_PATH, type SubgraphName } from '../src/subgraphs.ts';

type Service = { server: { close(): Promise<void>; listen(h: string, p: number): Promise<string>; knownQueries: { served: number } | undefined }; database: Database };

/** Every subgraph, built the way its server builds it, with the demo world loaded. */
const SUBGRAPH_SERVICES: Record<SubgraphName, { create: (config: SubgraphConfig) => Promise<Service>; load: (em: EntityManager, world: DemoWorld) => Promise<unknown> }> = {
  catalogue: { create: (config) => createCatalogueService({ ...config, search: QUIET_SEARCH }), load: loadCatalogue },
  pesantren: { create: createPesantrenService, load: loadPesantren },
  academics: { create: createAcademicsService, load: loadAcademics },
  partners: { create: createPartnersService, load: loadPartners },
  media: { create: createMediaService, load: loadMedia },
};
const NAMES = Object.keys(SUBGRAPH_SERVICES) as SubgraphName[];

const world = generateWorld('demo');
const sidogiri = world.pesantren.find((p) => p.slug === 'pondok-pesantren-sidogiri')!;

function routerConfig(subgraphUrls: RouterConfig['subgraphUrls'], environment: RouterConfig['environment'] = 'development'): RouterConfig {
  return {
    environment,
    logLevel: 'silent',
    host: '127.0.0.1',
    port: 0,
    subgraphUrls,
    accessTokenSecret: TEST_ACCESS_TOKEN_SECRET,
    identitySecret: TEST_IDENTITY_SECRET,
    corsOrigins: '*',
    supergraphPath: undefined,
  };
}

/** A listed product of Sidogiri's, for the operations that take one. */
const featuredOfSidogiri = world.products.find((p) => p.status === 'FEATURED' && world.sellers.find((s) => s.id === p.sellerId)?.pesantrenId === sidogiri.id)!;

/** Public queries whose answers are one shopper's (an order's status by its secret link). */
const NEVER_CACHED = new Set(['StorefrontOrderStatus']);

/**
 * The queries our clients (storefront, widgets, SDK) send anonymously, from the persisted-operation
 * manifest, each with variables that reach demo data. A new query without an entry fails here
 * until it is given one.
 */
async function publicClientQueries(): Promise<{ name: string; document: string; variables: Record<string, unknown> }[]> {
  const manifest = JSON.parse(await readFile(new URL('../../schema/persisted-operations.json', import.meta.url), 'utf8')) as Record<string, string>;
  const productSlug = featuredOfSidogiri.slug;
  const categorySlug = featuredOfSidogiri.categorySlug;
  const VARIABLES: Record<string, Record<string, unknown> | 'signed-in only'> = {
    StorefrontSearch: { query: 'madu' },
    EmbedProductPicker: { query: 'kopi' },
    // A token no order has: the operation's cost without a shopper's order.
    StorefrontOrderStatus: { token: 'A'.repeat(43) },
    StorefrontProducts: { first: 4 },
    SearchProducts: { query: 'kopi' },
    EnrolmentStats: 'signed-in only',
    Products: { first: 4 },
    StorefrontCategories: {},
    Innovation: {},
    WidgetCategoryGrid: { category: categorySlug, first: 4 },
    PesantrenList: { first: 4 },
    WidgetSearch: { query: 'batik' },
    Categories: {},
    Articles: { first: 4 },
    StorefrontPartners: {},
    WidgetProductCard: { slug: productSlug },
    Regencies: {},
    StorefrontArticles: { first: 4 },
    Product: { slug: productSlug },
    Partners: {},
    Partner: { slug: 'dinas-koperasi-ukm-jatim' },
    StorefrontPartner: { slug: 'dinas-koperasi-ukm-jatim' },
    StorefrontRegencies: {},
    Pesantren: { slug: sidogiri.slug },
    StorefrontProductStock: { slug: productSlug },
    StorefrontPesantren: { first: 4 },
    StorefrontOutlets: {},
    StorefrontInnovation: {},
    WidgetPesantrenBadge: { slug: sidogiri.slug },
    WidgetPesantrenGrid: { slug: sidogiri.slug, first: 4 },
    // The storefront's publisher, reading a changed product and pesantren.
    StorefrontPublishProduct: { id: featuredOfSidogiri.id },
    StorefrontPublishPesantren: { id: sidogiri.id },
    StorefrontPublishEngagement: { id: generatePartners(world).engagements[0]!.id },
    // A partner's page, listing every pesantren of an engagement when asked.
    StorefrontEngagementPesantren: { id: generatePartners(world).engagements[0]!.id },
    StorefrontPublishArticle: { slug: generateMedia(world).articles[0]!.slug },
  };
  return Object.values(manifest).flatMap((document) => {
    const name = /^\s*query (\w+)/.exec(document)?.[1];
    if (!name) return [];
    const variables = VARIABLES[name];
    if (!variables) throw new Error(`publicClientQueries: give the new operation ${name} its variables`);
    return variables === 'signed-in only' ? [] : [{ name, document, variables }];
  });
}

const codeOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.['code'];

describe('the committed supergraph', () => {
  it('is what the subgraphs compose to today (run `npm run compose` when this fails)', async () => {
    const { supergraphSdl, apiSchemaSdl } = await composeSupergraph();
    expect(await readFile(SUPERGRAPH_PATH, 'utf8')).toBe(supergraphSdl);
    expect(await readFile(API_SCHEMA_PATH, 'utf8')).toBe(apiSchemaSdl);
  });
});

describe.each(testEngines())('the router end to end, subgraphs on $name', (engine) => {
  const services = {} as Record<SubgraphName, Service>;
  let catalogue: Service;
  let pesantren: Service;
  let router: Router;
  let api: string;
  let subgraphUrls: Record<SubgraphName, string>;
  const gql = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) =>
    postGraphQL<T>(api, query, variables, headers);
  const token = (role: 'programme_admin' | 'pesantren_operator', pesantrenId: string | null = null) =>
    issueAccessToken({ role, subject: `e2e-${role}`, pesantrenId, scopes: [] }, TEST_ACCESS_TOKEN_SECRET);

  beforeAll(async () => {
    if (engine.skip) return;
    const urls = {} as Record<SubgraphName, string>;
    await Promise.all(
      NAMES.map(async (name) => {
        const service = await SUBGRAPH_SERVICES[name].create(testSubgraphConfig(name, engine));
        services[name] = service;
        await SUBGRAPH_SERVICES[name].load(service.database.fork(), world);
        urls[name] = await service.server.listen('127.0.0.1', 0);
      }),
    );
    ({ catalogue, pesantren } = services);
    subgraphUrls = urls;
    router = await createRouter(routerConfig(urls));
    api = await router.server.listen('127.0.0.1', 0);
  });

  const stopped = new Set<Service>();
  async function stop(service: Service) {
    if (stopped.has(service)) return;
    stopped.add(service);
    await dropTestSchema(service.database);
    await service.server.close();
  }

  afterAll(async () => {
    await router?.server.close();
    for (const service of Object.values(services)) await stop(service);
  });

  describe.skipIf(Boolean(engine.skip))('queries across subgraphs', () => {
    it('answers the repeats of its query plans’ fetches from the subgraphs’ known-query lanes, not Apollo Server’s pipeline', async () => {
      const served = () => ({ catalogue: catalogue.server.knownQueries!.served, pesantren: pesantren.server.knownQueries!.served });
      const before = served();
      const listed = world.products.filter((p) => ['SUBMITTED', 'IN_REVIEW', 'FEATURED'].includes(p.status)).slice(0, 3);
      for (const product of listed) {
        const response = await gql<{ product: { slug: string; pesantren: { name: string } } }>('query($slug: String!) { product(slug: $slug) { slug pesantren { name } } }', { slug: product.slug });
        expect(response.errors).toBeUndefined();
        expect(response.data!.product.pesantren.name).toBe(world.pesantren.find((p) => p.id === world.sellers.find((s) => s.id === product.sellerId)!.pesantrenId)!.name);
      }
      // The first of each fetch is Apollo's (it admits the document); the repeats are the lane's.
      const after = served();
      expect(after.catalogue - before.catalogue).toBeGreaterThanOrEqual(2);
      expect(after.pesantren - before.pesantren).toBeGreaterThanOrEqual(2);
    });

    it('goes from products to their pesantren and regency, in at most 2 SQL queries for 100 products', async () => {
      const work = () =>
        gql<{ products: { nodes: { seller: { pesantren: { id: string } }; pesantren: { id: string; name: string; regency: { displayName: string } } }[] } }>(
          '{ products(first: 100) { nodes { seller { pesantren { id } } pesantren { id name regency { displayName } } } } }',
        );
      const counted = await countQueries(catalogue.database, () => countQueries(pesantren.database, work));
      const response = counted.result.result;
      expect(response.errors).toBeUndefined();
      const nodes = response.data!.products.nodes;
      expect(nodes).toHaveLength(100);
      const byId = new Map(world.pesantren.map((p) => [p.id, p]));
      for (const node of nodes) {
        expect(node.pesantren.id).toBe(node.seller.pesantren.id);
        expect(node.pesantren.name).toBe(byId.get(node.pesantren.id)!.name);
        expect(node.pesantren.regency.displayName).toMatch(/^(Kabupaten|Kota) /);
      }
      expect(counted.queries.length + counted.result.queries.length).toBeLessThanOrEqual(2);
    });

    it('goes from a pesantren to its sellers and products', async () => {
      const response = await gql<{ pesantren: { name: string; sellers: { pillar: string }[]; products: { totalCount: number; nodes: { pesantren: { name: string } }[] } } }>(
        `{ pesantren(slug: "${sidogiri.slug}") { name sellers { pillar } products(first: 3) { totalCount nodes { pesantren { name } } } } }`,
      );
      expect(response.errors).toBeUndefined();
      const sellerIds = new Set(world.sellers.filter((s) => s.pesantrenId === sidogiri.id).map((s) => s.id));
      const expected = world.products.filter((p) => sellerIds.has(p.sellerId) && ['SUBMITTED', 'IN_REVIEW', 'FEATURED'].includes(p.status));
      expect(response.data?.pesantren.sellers.map((s) => s.pillar).sort()).toEqual(['PESANTRENPRENEUR', 'SANTRIPRENEUR', 'SOSIOPRENEUR']);
      expect(response.data?.pesantren.products.totalCount).toBe(expected.length);
      expect(response.data?.pesantren.products.nodes.every((n) => n.pesantren.name === 'Pondok Pesantren Sidogiri')).toBe(true);
    });

    it('passes typed errors through and refuses malformed requests', async () => {
      const bad = await gql('{ products(first: 500) { nodes { id } } }');
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0]?.extensions?.['field']).toBe('first');
      const malformed = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
      expect(malformed.status).toBe(400);
      const invalid = await gql('{ products { noSuchField } }');
      expect(codeOf(invalid)).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });

  describe.skipIf(Boolean(engine.skip))('identity at the trust boundary', () => {
    it('carries a verified admin token to the subgraph that checks the role', async () => {
      const register = `mutation($input: RegisterPesantrenInput!) { registerPesantren(input: $input) { nspp regency { displayName } products(first: 1) { totalCount } } }`;
      const input = { nspp: '510035780777', name: 'Pondok Pesantren Uji Router', regencyCode: '3578', address: 'Jl. Uji No. 1, Surabaya', pillars: ['SOSIOPRENEUR'], memberSince: 2023 };
      expect(codeOf(await gql(register, { input }))).toBe('UNAUTHENTICATED');
      const response = await gql(register, { input }, { authorization: `Bearer ${await token('programme_admin')}` });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ registerPesantren: { nspp: '510035780777', regency: { displayName: 'Kota Surabaya' }, products: { totalCount: 0 } } });
    });

    it('keeps an operator inside their own pesantren', async () => {
      const other = world.pesantren.find((p) => p.id !== sidogiri.id)!;
      const update = `mutation($id: ID!) { updatePesantren(id: $id, input: { whatsapp: "081234567890" }) { whatsapp } }`;
      const headers = { authorization: `Bearer ${await token('pesantren_operator', sidogiri.id)}` };
      expect((await gql(update, { id: sidogiri.id }, headers)).data).toEqual({ updatePesantren: { whatsapp: '6281234567890' } });
      expect(codeOf(await gql(update, { id: other.id }, headers))).toBe('FORBIDDEN');
    });

    it('answers forged and expired tokens with 401', async () => {
      const forged = await issueAccessToken({ role: 'programme_admin', subject: 'mallory', pesantrenId: null, scopes: [] }, 'a-different-secret-of-thirty-two-chars');
      const expired = await issueAccessToken({ role: 'programme_admin', subject: 'late', pesantrenId: null, scopes: [] }, TEST_ACCESS_TOKEN_SECRET, '-1s');
      for (const bearer of [forged, expired, 'not-a-jwt']) {
        const response = await gql('{ regencies { code } }', {}, { authorization: `Bearer ${bearer}` });
        expect(response.status).toBe(401);
        expect(codeOf(response)).toBe('UNAUTHENTICATED');
      }
    });
  });


  describe.skipIf(Boolean(engine.skip))('the pesantren page, from all five subgraphs', () => {
    const PAGE = `query PesantrenPage($slug: String!) {
      pesantren(slug: $slug) {
        name nspp regency { displayName } cooperative { name }
        products(first: 4) { totalCount nodes { name { indonesian } priceRupiah } }
        academics { santriCount programmes { kind name santriCount } labs { name products { name { indonesian } } } }
        partnerships { title { indonesian } aspect partner { name role } }
        coverage(first: 3) { title { indonesian } outlet { name } publishedAt }
      } }`;

    it('answers in one request with data from every subgraph', async () => {
      const response = await gql<{ pesantren: Record<string, any> }>(PAGE, { slug: sidogiri.slug });
      expect(response.errors).toBeUndefined();
      const page = response.data!.pesantren;
      expect(page['name']).toBe('Pondok Pesantren Sidogiri');
      expect(page['products'].totalCount).toBeGreaterThan(0);
      expect(page['academics'].santriCount % 10).toBe(0);
      expect(page['academics'].santriCount).toBeGreaterThan(0);
      expect(page['academics'].labs[0].products.length).toBeGreaterThan(0);
      const listedProducts = page['academics'].labs[0].products.filter(Boolean);
      expect(listedProducts.every((p: { name: { indonesian: string } }) => p.name.indonesian.length > 0)).toBe(true);
      expect(page['coverage'].length).toBeGreaterThan(0);
      expect(page['coverage'][0].outlet.name).toMatch(/JTV|TV9|Times Indonesia|Radar96|Duta\.co/);
      expect(Array.isArray(page['partnerships'])).toBe(true);
    });

    it('resolves a list of pesantren pages with a fixed number of SQL queries per subgraph', async () => {
      // 12 pesantren: within an anonymous caller's cost budget now that every nested list is
      // costed by its declared maximum (about 380 per pesantren here).
      const LIST = `{ pesantrenList(first: 12) { nodes {
        name products(first: 2) { totalCount nodes { slug } }
        academics { santriCount programmes { kind santriCount } labs { name } }
        partnerships { aspect partner { name } }
        coverage(first: 2) { slug outlet { name } }
      } } }`;
      const counts: Record<string, number> = {};
      let work: () => Promise<unknown> = () => gql(LIST);
      for (const name of NAMES) {
        const inner = work;
        work = async () => {
          const { result, queries } = await countQueries(services[name].database, inner);
          counts[name] = queries.length;
          return result;
        };
      }
      const response = (await work()) as GraphQLResponse<{ pesantrenList: { nodes: unknown[] } }>;
      expect(response.errors).toBeUndefined();
      expect(response.data?.pesantrenList.nodes).toHaveLength(12);
      // One query per kind of thing asked for, however many pesantren are on the page.
      expect(counts).toEqual({ catalogue: 1, pesantren: 1, academics: 3, partners: 2, media: 2 });
    });
  });

  describe.skipIf(Boolean(engine.skip))('batching', () => {
    it('answers every public query of our clients with at most one SQL query per table and kind per subgraph', async () => {
      // The cache would answer repeated queries without SQL; this router has none.
      const uncached = await createRouter({ ...routerConfig(subgraphUrls), performance: { responseCache: false } });
      const url = await uncached.server.listen('127.0.0.1', 0);
      const excess: string[] = [];
      try {
        // The first statistics read of an academic year takes that year's release (a copy of the
        // rollups, once a year, StatisticsReleases): not a per-request cost, so taken before counting,
        // through another pesantren than the operations ask about.
        await send(url, { query: '{ pesantrenList(first: 1, sort: NAME) { nodes { academics { santriCount } } } }' });
        for (const { name, document, variables } of await publicClientQueries()) {
          const perSubgraph: Record<string, string[]> = {};
          let work: () => Promise<unknown> = () => send(url, { query: document, variables });
          for (const subgraph of NAMES) {
            const inner = work;
            work = async () => {
              const { result, queries } = await countQueries(services[subgraph].database, inner);
              perSubgraph[subgraph] = queries;
              return result;
            };
          }
          const response = (await work()) as RawResponse;
          expect(response.body?.errors, name).toBeUndefined();
          for (const [subgraph, queries] of Object.entries(perSubgraph)) {
            const kinds = new Map<string, number>();
            for (const sql of queries) {
              // Rows loaded and rows counted are two kinds: a connection's totalCount, or a count per
              // parent (a partner's engagementCount), is its own query.
              const table = /\bfrom\s+((?:"\w+"\.)?"\w+")/i.exec(sql)?.[1] ?? sql.slice(0, 40);
              const selected = /^\s*select\s+([\s\S]*?)\sfrom\s/i.exec(sql)?.[1] ?? '';
              const kind = /\bcount\(/i.test(selected) ? 'count' : 'rows';
              kinds.set(`${kind} ${table}`, (kinds.get(`${kind} ${table}`) ?? 0) + 1);
            }
            for (const [what, count] of kinds) if (count > 1) excess.push(`${name}: ${subgraph} ran ${count}× ${what}`);
          }
        }
      } finally {
        await uncached.server.close();
      }
      expect(excess).toEqual([]);
    });
  });

  describe.skipIf(Boolean(engine.skip))('the response cache', () => {
    const PRODUCT_PAGE = `query($slug: String!) { product(slug: $slug) { slug priceRupiah stock pesantren { name regency { displayName } } coverage(first: 2) { slug } } }`;
    const product = featuredOfSidogiri;
    const ask = (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => send(api, { query, variables }, headers);
    const priceOf = (response: RawResponse) => (response.body?.data as { product: { priceRupiah: number } }).product.priceRupiah;

    it('answers a repeated public query from the cache, with the max-age the subgraphs allow', async () => {
      const first = await ask(PRODUCT_PAGE, { slug: product.slug });
      const second = await ask(PRODUCT_PAGE, { slug: product.slug });
      expect([first.headers.get('x-opop-cache'), second.headers.get('x-opop-cache')]).toEqual(['miss', 'hit']);
      expect(second.body).toEqual(first.body);
      expect(first.body?.errors).toBeUndefined();
      // Product (60 s) is the shortest hint among the product, pesantren (300 s), regency (3600 s) and media (300 s).
      expect(first.headers.get('cache-control')).toBe('max-age=60, public');
      expect(second.headers.get('cache-control')).toMatch(/^max-age=(59|60), public$/);
      // Other variables are another answer.
      const other = world.products.find((p) => p.status === 'FEATURED' && p.id !== product.id)!;
      expect((await ask(PRODUCT_PAGE, { slug: other.slug })).headers.get('x-opop-cache')).toBe('miss');
    });

    it('caches every public query our clients send, for the max-age its subgraphs allow', async () => {
      const uncacheable: string[] = [];
      const cachedPrivate: string[] = [];
      for (const { name, document, variables } of await publicClientQueries()) {
        const first = await ask(document, variables);
        expect(first.body?.errors, name).toBeUndefined();
        const second = await ask(document, variables);
        // An order's status is the shopper's own and changes when the seller acts: never cached.
        if (NEVER_CACHED.has(name)) {
          if (second.headers.get('x-opop-cache') === 'hit' || /public/.test(first.headers.get('cache-control') ?? '')) cachedPrivate.push(`${name}: ${first.headers.get('cache-control')}`);
        } else if (!/^max-age=[1-9]\d*, public$/.test(first.headers.get('cache-control') ?? '') || second.headers.get('x-opop-cache') !== 'hit') {
          uncacheable.push(`${name}: ${first.headers.get('cache-control')}`);
        }
      }
      expect(uncacheable).toEqual([]);
      expect(cachedPrivate).toEqual([]);
    });

    it('never caches what a signed-in caller reads', async () => {
      const headers = { authorization: `Bearer ${await token('programme_admin')}` };
      const response = await ask(PRODUCT_PAGE, { slug: product.slug }, headers);
      expect(response.headers.get('x-opop-cache')).toBe('bypass');
      expect(response.headers.get('cache-control')).toBe('no-store');
    });

    it('drops the answers built from a subgraph once a mutation changed its data, and only then', async () => {
      await ask(PRODUCT_PAGE, { slug: product.slug });
      expect((await ask(PRODUCT_PAGE, { slug: product.slug })).headers.get('x-opop-cache')).toBe('hit');

      // A click recorded by a widget and a refused write change nothing a cached answer shows.
      const click = await ask(
        `mutation($input: WidgetEventInput!) { recordWidgetEvent(input: $input) { counted } }`,
        { input: { outletKey: 'opop_pk_jtv_5c1e9a07d2b4', pageUrl: 'https://jtv.example/berita', widget: 'PRODUCT_CARD', productIds: [product.id], event: 'CLICK', visitorId: 'cache-test-visitor' } },
      );
      expect(click.body?.errors).toBeUndefined();
      const operator = { authorization: `Bearer ${await token('pesantren_operator', sidogiri.id)}` };
      const refused = await ask(`mutation($id: ID!) { updateProduct(id: $id, input: { priceRupiah: -5 }) { priceRupiah } }`, { id: product.id }, operator);
      expect(refused.body?.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      const stillCached = await ask(PRODUCT_PAGE, { slug: product.slug });
      expect(stillCached.headers.get('x-opop-cache')).toBe('hit');

      const newPrice = priceOf(stillCached) + 1_000;
      const update = await ask(`mutation($id: ID!, $price: Int!) { updateProduct(id: $id, input: { priceRupiah: $price }) { priceRupiah } }`, { id: product.id, price: newPrice }, operator);
      expect(update.body?.errors).toBeUndefined();
      const fresh = await ask(PRODUCT_PAGE, { slug: product.slug });
      expect(fresh.headers.get('x-opop-cache')).toBe('miss');
      expect(priceOf(fresh)).toBe(newPrice);
    });

    it('builds the answer afresh for a client asking with Cache-Control: no-cache, and keeps it for the others', async () => {
      await ask(PRODUCT_PAGE, { slug: product.slug });
      const cached = await ask(PRODUCT_PAGE, { slug: product.slug });
      expect(cached.headers.get('x-opop-cache')).toBe('hit');
      // A change the router did not carry (as a background job makes one): stored answers lag it.
      const price = priceOf(cached) + 250;
      await catalogue.database.orm.em.getConnection().execute(`update "${catalogue.database.schema}".product set price_rupiah = ? where id = ?`, [price, product.id]);
      expect(priceOf(await ask(PRODUCT_PAGE, { slug: product.slug }))).toBe(priceOf(cached));
      // The storefront's publisher must render what is true now.
      const fresh = await ask(PRODUCT_PAGE, { slug: product.slug }, { 'cache-control': 'no-cache' });
      expect(fresh.headers.get('x-opop-cache')).toBe('miss');
      expect(priceOf(fresh)).toBe(price);
      const next = await ask(PRODUCT_PAGE, { slug: product.slug });
      expect(next.headers.get('x-opop-cache')).toBe('hit');
      expect(priceOf(next)).toBe(price);
    });

    it('answers a published query asked for by GET with its hash alone, as a CDN or a plain link asks, with the policy a CDN keeps it by', async () => {
      const { name, document, variables } = (await publicClientQueries()).find((query) => query.name === 'WidgetProductCard')!;
      const url = new URL(api);
      url.searchParams.set('operationName', name);
      url.searchParams.set('variables', JSON.stringify(variables));
      url.searchParams.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256Hex(document) } }));
      // No header at all: what nginx or a CDN forwards from a plain GET.
      const first = await fetch(url);
      const body = (await first.json()) as { data?: { product: { slug: string } }; errors?: unknown[] };
      expect(first.status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data?.product.slug).toBe(product.slug);
      expect(first.headers.get('cache-control')).toMatch(/^max-age=[1-9]\d*, public$/);
      expect((await fetch(url)).headers.get('x-opop-cache')).toBe('hit');
      // Signed in, the same URL is that person's: never public, never from the cache.
      const signedIn = await fetch(url, { headers: { authorization: `Bearer ${await token('programme_admin')}` } });
      expect(signedIn.headers.get('cache-control')).toBe('no-store');
      expect(signedIn.headers.get('x-opop-cache')).toBe('bypass');
      // Anything but a published query named by its hash still needs the preflight header, and a write never runs over GET.
      const text = new URL(api);
      text.searchParams.set('query', document);
      text.searchParams.set('variables', JSON.stringify(variables));
      expect((await fetch(text)).status).toBe(400);
      const unknown = new URL(url);
      unknown.searchParams.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } }));
      expect((await fetch(unknown)).status).toBe(400);
    });

    it.skipIf(!NGINX)(`is kept by the deployed nginx (deploy/nginx.conf) for public reads by GET, never for a signed-in one${NGINX ? '' : ' (skipped: no nginx here; apt-get install nginx-light)'}`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'opop-nginx-'));
      const port = await reservePort();
      const config = await localNginxConfig(dir, new URL(api).origin, port);
      expect(nginxConfigProblem(config, dir)).toBeNull();
      const nginx = startNginx(config, dir);
      try {
        const { name, document, variables } = (await publicClientQueries()).find((query) => query.name === 'WidgetProductCard')!;
        const url = new URL(`http://127.0.0.1:${port}/graphql`);
        url.searchParams.set('operationName', name);
        url.searchParams.set('variables', JSON.stringify(variables));
        url.searchParams.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256Hex(document) } }));
        await expect.poll(() => fetch(url).then((r) => r.status, () => 0), { timeout: 10_000 }).toBe(200);
        const kept = await fetch(url);
        expect(kept.headers.get('x-cache-status')).toBe('HIT');
        expect(((await kept.json()) as { data: { product: { slug: string } } }).data.product.slug).toBe(product.slug);
        const signedIn = await fetch(url, { headers: { authorization: `Bearer ${await token('programme_admin')}` } });
        expect(signedIn.headers.get('x-cache-status')).toBe('BYPASS');
        expect(signedIn.headers.get('cache-control')).toBe('no-store');
        // POST is never kept, and the balancer still passes it on.
        const posted = await fetch(url.origin + url.pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document, variables }) });
        expect(posted.status).toBe(200);
        expect(posted.headers.get('x-cache-status')).toBeNull();
      } finally {
        nginx.kill('SIGTERM');
        await rm(dir, { recursive: true, force: true });
      }
    });

    it.skipIf(!TEST_REDIS_URL)('is shared by router instances through Redis, invalidations included', async () => {
      const prefix = `test-${randomUUID()}:`;
      const config = { ...routerConfig(subgraphUrls), protection: { redisUrl: TEST_REDIS_URL } };
      const [a, b] = [await createRouter(config, { redisKeyPrefix: prefix }), await createRouter(config, { redisKeyPrefix: prefix })];
      try {
        const [urlA, urlB] = [await a.server.listen('127.0.0.1', 0), await b.server.listen('127.0.0.1', 0)];
        const read = (url: string) => send(url, { query: PRODUCT_PAGE, variables: { slug: product.slug } });
        expect((await read(urlA)).headers.get('x-opop-cache')).toBe('miss');
        expect((await read(urlB)).headers.get('x-opop-cache')).toBe('hit');
        const operator = { authorization: `Bearer ${await token('pesantren_operator', sidogiri.id)}` };
        const price = priceOf(await read(urlB)) + 500;
        const update = await send(urlB, { query: `mutation($id: ID!, $price: Int!) { updateProduct(id: $id, input: { priceRupiah: $price }) { priceRupiah } }`, variables: { id: product.id, price } }, operator);
        expect(update.body?.errors).toBeUndefined();
        // Router A learns of B's mutation through Redis (publish/subscribe), within moments.
        await expect.poll(async () => (await read(urlA)).headers.get('x-opop-cache'), { timeout: 2_000 }).not.toBe('hit');
        expect(priceOf(await read(urlA))).toBe(price);
      } finally {
        await a.server.close();
        await b.server.close();
      }
    });
  });

  describe.skipIf(Boolean(engine.skip))('operations', () => {
    it('compresses large answers for clients that accept it, and only those', async () => {
      // The second answer holds characters past U+00FF (the ’ in the media partners' outcomes),
      // which the router writes escaped (result-shaping.ts) and its subgraph as three UTF-8 bytes.
      const queries = [
        '{ products(first: 50) { nodes { slug name { indonesian english } description { indonesian } } } }',
        '{ partners { slug engagements(first: 3) { title { indonesian english } outcome { indonesian english } } } }',
      ];
      for (const query of queries) {
        const plain = await send(api, { query }, { 'accept-encoding': 'identity' });
        const compressed = await send(api, { query }, { 'accept-encoding': 'br, gzip' });
        expect(plain.headers.get('content-encoding')).toBeNull();
        expect(Number(plain.headers.get('content-length'))).toBe(Buffer.byteLength(plain.text));
        // Either may sit in an HTTP cache, so both say they vary by the encoding asked for.
        for (const response of [plain, compressed]) expect(response.headers.get('vary')?.toLowerCase()).toContain('accept-encoding');
        expect(compressed.headers.get('content-encoding')).toBe('br');
        expect(compressed.body).toEqual(plain.body);
        expect(plain.text.length).toBeGreaterThan(1024);
      }
      const wide = await send(api, { query: queries[1]! }, { 'accept-encoding': 'identity' });
      expect(JSON.stringify(wide.body)).toContain('’');
      expect(wide.text).toContain('\\u2019');
    });

    it('refuses to send a query answer over MAX_RESPONSE_BYTES, asking for fewer items, and never caches it', async () => {
      const small = await createRouter({ ...routerConfig(subgraphUrls), protection: { maxResponseBytes: 16 * 1024 } });
      const url = await small.server.listen('127.0.0.1', 0);
      try {
        const query = '{ products(first: 100) { nodes { slug name { indonesian english } description { indonesian english } } } }';
        for (let i = 0; i < 2; i++) {
          const big = await send(url, { query });
          expect(big.body?.errors?.[0]?.extensions?.['code']).toBe('RESPONSE_TOO_LARGE');
          expect(big.body?.errors?.[0]?.extensions?.['maxBytes']).toBe(16 * 1024);
          expect(big.body && 'data' in big.body ? big.body.data : undefined).toBeUndefined();
          expect(big.headers.get('x-opop-cache')).not.toBe('hit');
        }
        const fits = await send(url, { query: '{ products(first: 3) { nodes { slug } } }' });
        expect((fits.body?.data as { products: { nodes: unknown[] } }).products.nodes).toHaveLength(3);
      } finally {
        await small.server.close();
      }
    });

    it('reports health and the readiness of each subgraph', async () => {
      const base = new URL(api).origin;
      expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', service: 'router' });
      expect(await (await fetch(`${base}/ready`)).json()).toEqual({
        status: 'ready',
        service: 'router',
        subgraphs: Object.fromEntries(NAMES.map((name) => [name, 'ready'])),
      });
    });

    it('answers CORS preflights for browser clients', async () => {
      const response = await fetch(api, {
        method: 'OPTIONS',
        headers: { origin: 'https://jtv.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('shows the developer landing page in development only', async () => {
      const html = await fetch(api, { headers: { accept: 'text/html' } });
      expect(html.headers.get('content-type')).toContain('text/html');
      const production = await createRouter(routerConfig(Object.fromEntries(NAMES.map((name) => [name, 'http://127.0.0.1:9/graphql'])) as Record<SubgraphName, string>, 'production'));
      try {
        const url = await production.server.listen('127.0.0.1', 0);
        const response = await fetch(url, { headers: { accept: 'text/html' } });
        expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
      } finally {
        await production.server.close();
      }
    });

    it('still shows the pesantren page when the media service is down, with an error naming it', async () => {
      await stop(services.media);
      const response = await gql<{ pesantren: { name: string; coverage: null; products: { totalCount: number } } }>(
        `{ pesantren(slug: "${sidogiri.slug}") { name products(first: 1) { totalCount } coverage(first: 2) { slug } } }`,
      );
      expect(response.data?.pesantren.name).toBe('Pondok Pesantren Sidogiri');
      expect(response.data?.pesantren.products.totalCount).toBeGreaterThan(0);
      expect(response.data?.pesantren.coverage).toBeNull();
      expect(response.errors?.map((e) => [e.extensions?.['code'], e.extensions?.['serviceName']])).toContainEqual(['SERVICE_UNAVAILABLE', 'media']);
    });

    it('still answers with the other subgraph’s data when one is down', async () => {
      await stop(pesantren);
      const response = await gql<{ products: { nodes: { slug: string; pesantren: null }[] } }>('{ products(first: 2) { nodes { slug pesantren { name } } } }');
      expect(response.data?.products.nodes).toHaveLength(2);
      expect(response.data?.products.nodes.every((n) => n.slug && n.pesantren === null)).toBe(true);
      expect(response.errors?.map((e) => e.extensions?.['code'])).toContain('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(response.errors)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    });
  });
});
