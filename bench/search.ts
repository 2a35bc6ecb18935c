import { readFile } from 'node:fs/promises';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCatalogueService } from '@opop/catalogue/app';
import { EMBEDDED_SEARCH } from '@opop/catalogue/config';
import { loadCatalogue } from '@opop/catalogue/seeder';
import { generateWorld, SCALES } from '@opop/demo-data';
import { createPesantrenService } from '@opop/pesantren/app';
import { loadPesantren } from '@opop/pesantren/seeder';
import { createLogger, IN_MEMORY, signForwardedIdentity } from '@opop/server-kit';
import type { ChildProcess } from 'node:child_process';
import { SUBGRAPHS } from '@opop/router';
import { EmbeddedSearchIndex as Embedded } from '../subgraphs/catalogue/src/modules/search/embedded-index.ts';
import { evaluate, FOLLOWUP_QUERIES, summarize, worldDocuments, type QueryResult } from '../subgraphs/catalogue/test/relevance/judged-set.ts';
import { CategoryDirectory } from '../subgraphs/catalogue/src/modules/category/category.directory.ts';
import { SearchIndexer } from '../subgraphs/catalogue/src/modules/search/indexer.ts';
import { EmbeddedSearchIndex } from '../subgraphs/catalogue/src/modules/search/embedded-index.ts';
import { MeilisearchIndex } from '../subgraphs/catalogue/src/modules/search/meilisearch-index.ts';
import type { ProductDocument, SearchIndex, SearchRequest } from '../subgraphs/catalogue/src/modules/search/search-index.ts';
import { queryRequest } from '../subgraphs/catalogue/src/modules/search/search.input.ts';
import { measure, ms, percentile, ratio, type BenchResult } from './measure.ts';
import { readyProbe, start as startService, stopAll } from './router.ts';

const SCHEMA = 'catalogue_bench';
const TARGET_P95_MS = 10;
const TARGET_HTTP_P95_MS = 25;
/** What Chromium and Firefox send: the router compresses the answer as it would for a shopper. */
const BROWSER_ENCODINGS = 'gzip, deflate, br, zstd';
const MEDIUM = { catalogue: 'catalogue_bench_medium', pesantren: 'pesantren_bench_medium' };
const IDENTITY_SECRET = 'bench-identity-secret-0123456789abcdefgh';

/** A fixed mix of what shoppers do: typed and misspelt queries, facet filters, browsing sorted lists. */
const MIX: { label: string; query: string; change?: Partial<SearchRequest> }[] = [
  { label: 'kripik tempe', query: 'kripik tempe' },
  { label: 'kopi arabika ijen', query: 'kopi arabika ijen' },
  { label: 'madu gersik', query: 'madu gersik' },
  { label: 'sarung tenun', query: 'sarung tenun' },
  { label: 'tempeh chips', query: 'tempeh chips' },
  { label: 'kerupuk sidoharjo', query: 'kerupuk sidoharjo' },
  { label: 'batik madura, 2 regencies', query: 'batik madura', change: { filters: { regency: ['3526', '3528'] } } },
  { label: 'kopi, halal, under Rp 50.000', query: 'kopi', change: { filters: { halalCertified: [true], maxPriceRupiah: 50_000 } } },
  { label: 'keripik, cheapest first', query: 'keripik', change: { sort: 'PRICE_ASC' } },
  { label: 'browse all, newest first', query: '', change: { sort: 'NEWEST' } },
  { label: 'honey (English, synonym of madu)', query: 'honey' },
  { label: 'jual madu hutan asli murah (filler)', query: 'jual madu hutan asli murah' },
  { label: 'kopi ijen banyu wangi (split place)', query: 'kopi ijen banyu wangi' },
  { label: 'kopi luwak (no product has both: relaxed to kopi)', query: 'kopi luwak' },
  { label: 'saya mau beli kopibondowoso (filler, typed together)', query: 'saya mau beli kopibondowoso' },
  { label: 'mukena (nothing: suggestion)', query: 'mukena' },
  { label: 'browse food, most popular', query: '', change: { sort: 'POPULARITY', filters: { category: ['makanan-minuman'] } } },
  { label: 'browse 3 regencies × santripreneur, page 5', query: '', change: { page: 5, filters: { regency: ['3509', '3529', '3526'], pillar: ['SANTRIPRENEUR'] } } },
];

const requestOf = (item: (typeof MIX)[number]): SearchRequest => ({ ...queryRequest(item.query, { pageSize: 20 }), ...item.change });

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

async function* inBatches(documents: readonly ProductDocument[], size = 5_000) {
  for (let start = 0; start < documents.length; start += size) yield documents.slice(start, start + size);
}

/**
 * Product search at 100,000 products: the embedded index's build time, memory and query
 * latency for a fixed mix, next to a PostgreSQL ILIKE scan (what searching costs without an
 * index) and, when MEILI_URL is set, Meilisearch on the same documents, all in one run.
 */
export async function productSearch(databaseUrl: string | undefined): Promise<BenchResult> {
  // First, before the 100,000-product part makes this process busy with its own ~480 MB: the
  // storefront's services run as processes of their own, but share this machine's two cores.
  const storefront = await storefrontSearchOverHttp(databaseUrl);
  const logger = createLogger('bench', 'warn');
  const config = {
    service: 'catalogue',
    environment: 'test' as const,
    logLevel: 'warn' as const,
    host: '127.0.0.1',
    port: 0,
    database: { url: databaseUrl, schema: SCHEMA, dataDir: IN_MEMORY, poolMax: 4, logSql: false },
    identitySecret: IDENTITY_SECRET,
    seedDemoData: false,
    search: { ...EMBEDDED_SEARCH, pollMs: 60_000 },
  };
  const service = await createCatalogueService(config, { logger });
  try {
    const connection = service.database.orm.em.getConnection();
    const [{ n }] = (await connection.execute<{ n: number }[]>(`select count(*)::int as n from "${SCHEMA}".product`)) as [{ n: number }];
    if (n !== SCALES.full.products) {
      await loadCatalogue(service.database.fork(), generateWorld('full'));
      if (service.database.kind === 'postgresql') await connection.execute(`vacuum analyze "${SCHEMA}".product`);
    }

    // Build: from the database through the outbox indexer (what start-up does), and the index alone.
    let started = performance.now();
    const documents = await service.indexer.rebuild();
    const rebuildMs = performance.now() - started;
    const collected: ProductDocument[] = [];
    const capture: SearchIndex = Object.assign(new EmbeddedSearchIndex(), {
      replaceAll: async (batches: AsyncIterable<ProductDocument[]>) => {
        for await (const batch of batches) collected.push(...batch);
        return collected.length;
      },
    });
    await new SearchIndexer(service.database, capture, await CategoryDirectory.load(service.database.fork()), logger, {
      persistentCursor: undefined,
      pollMs: 60_000,
      batchSize: 500,
      maxBackoffMs: 1_000,
    }).rebuild();
    const heapBefore = heapMiB();
    const embedded = new EmbeddedSearchIndex();
    started = performance.now();
    await embedded.replaceAll(inBatches(collected));
    const buildMs = performance.now() - started;
    const heapDelta = heapMiB() - heapBefore;

    const rows: string[] = [];
    const embeddedTimes = [];
    for (const item of MIX) {
      const request = requestOf(item);
      const timing = await measure(() => embedded.search(request), { warmup: 50, iterations: 200 });
      embeddedTimes.push(timing);
      const total = (await embedded.search(request)).total;
      rows.push(`| ${item.label} | ${total.toLocaleString('en')} | ${ms(timing.p50)} | ${ms(timing.p95)} |`);
    }
    const all = await measure(async () => {
      for (const item of MIX) await embedded.search(requestOf(item));
    }, { warmup: 3, iterations: 40 });
    const worstP95 = Math.max(...embeddedTimes.map((t) => t.p95));

    // Baseline: the text queries as a PostgreSQL ILIKE over names and descriptions.
    const textItems = MIX.filter((item) => item.query && !item.change);
    const ilike = await measure(async () => {
      for (const item of textItems) {
        const words = item.query.split(' ');
        await connection.execute(
          `select id from "${SCHEMA}".product where ${words.map(() => `(name_indonesian || ' ' || description_indonesian) ilike ?`).join(' and ')} limit 20`,
          words.map((word) => `%${word}%`),
        );
      }
    }, { warmup: 2, iterations: 20 });
    const embeddedText = await measure(async () => {
      for (const item of textItems) await embedded.search(requestOf(item));
    }, { warmup: 2, iterations: 40 });

    // End to end: the GraphQL field over HTTP, loading the hit products from the database.
    const url = await service.server.listen('127.0.0.1', 0);
    const identity = await signForwardedIdentity({ role: 'anonymous', subject: null, pesantrenId: null, scopes: [] }, config.identitySecret);
    const http = await measure(async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-opop-identity': identity },
        body: JSON.stringify({ query: '{ searchProducts(query: "kripik tempe", pageSize: 20) { total hits { product { slug priceRupiah } highlight { name } } facets { regencies { value count } } } }' }),
      });
      if (!response.ok) throw new Error(await response.text());
    }, { warmup: 10, iterations: 100 });

    let meili = 'Meilisearch: not measured in this run (set MEILI_URL, e.g. `docker compose up -d meilisearch`, to measure it side by side).';
    const meiliUrl = process.env['MEILI_URL'];
    if (meiliUrl) {
      const index = new MeilisearchIndex(meiliUrl, process.env['MEILI_API_KEY'], 'products_bench');
      await index.prepare();
      started = performance.now();
      await index.replaceAll(inBatches(collected));
      const meiliBuild = performance.now() - started;
      const meiliAll = await measure(async () => {
        for (const item of MIX) await index.search(requestOf(item));
      }, { warmup: 2, iterations: 20 });
      meili = `Meilisearch (${meiliUrl}): built in ${(meiliBuild / 1000).toFixed(1)} s (${ratio(meiliBuild / buildMs)} the embedded build); the whole mix p95 ${ms(meiliAll.p95)} (${ratio(meiliAll.p95 / all.p95)} the embedded p95).`;
    }

    const relevance = await judgedRelevance();

    return {
      title: 'Product search at 100,000 products (issue 5)',
      body: [
        `${documents.toLocaleString('en')} listed products of the programme-scale world (${SCALES.full.products.toLocaleString('en')} generated) on ${service.database.kind === 'postgresql' ? 'PostgreSQL' : 'PGlite'}.`,
        '',
        `- Embedded index built in ${(buildMs / 1000).toFixed(2)} s from ready documents (${(rebuildMs / 1000).toFixed(1)} s including reading and analysing them from the database at start-up); heap +${heapDelta.toFixed(0)} MiB.`,
        `- Whole mix of ${MIX.length} searches: p50 ${ms(all.p50)}, p95 ${ms(all.p95)}. Worst single query p95 ${ms(worstP95)} (target: under ${TARGET_P95_MS} ms in-process) — **${worstP95 < TARGET_P95_MS ? 'target met' : 'target missed'}**.`,
        `- The ${textItems.length} text queries: embedded p95 ${ms(embeddedText.p95)} against ${ms(ilike.p95)} for a PostgreSQL ILIKE scan returning 20 unranked rows, unfaceted (baseline): ${ratio(embeddedText.p95 / ilike.p95)}.`,
        `- \`searchProducts\` over HTTP (query, 20 products loaded from the database, facets): p50 ${ms(http.p50)}, p95 ${ms(http.p95)}.`,
        `- ${meili}`,
        '',
        '| query | results | p50 | p95 |',
        '|---|---|---|---|',
        ...rows,
        '',
        storefront,
        '',
        relevance,
      ].join('\n'),
    };
  } finally {
    await service.server.close();
  }
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/**
 * Relevance (issue 15) on the judged sets of subgraphs/catalogue/test/relevance: today's embedded
 * index over the 8,168 listed products of `--scale medium`, the tuning and held-out parts apart,
 * for the developers' set and the follow-up set written after the independent audit. The
 * baseline rows are the scorers before, measured on the same sets before they changed. The
 * auditor's own set is not run here: it stays held out, looked at in aggregate only (its figures
 * are in subgraphs/catalogue/README.md and its CI floors in relevance.test.ts).
 */
async function judgedRelevance(): Promise<string> {
  const documents = worldDocuments('medium');
  const index = new Embedded();
  await index.replaceAll((async function* () {
    yield documents;
  })());
  const results = await evaluate(index, documents);
  const followup = await evaluate(index, documents, FOLLOWUP_QUERIES);
  const line = (label: string, part: QueryResult[]) => {
    const summary = summarize(part);
    return `| ${label} | ${summary.queries} | ${summary.ndcg.toFixed(3)} | ${summary.mrr.toFixed(3)} | ${summary.gradedWithNothing} | ${summary.emptyWhenExpected}/${summary.zeroQueries} (${summary.strictlyEmptyWhenExpected}) |`;
  };
  const tune = (part: QueryResult[]) => part.filter((result) => result.query.split === 'tune');
  const heldout = (part: QueryResult[]) => part.filter((result) => result.query.split === 'heldout');
  const shopper = results.filter((result) => result.query.tags.includes('shopper') && result.query.judgements.length > 0);
  const top3 = shopper.filter((result) => result.firstExact !== null && result.firstExact <= 3).length;
  const sample = shopper.slice(0, 40).map((result) => `${result.query.query} (${result.firstExact ?? '–'})`).join(', ');
  return [
    `**Relevance (issue 15)**: the developers' judged set (${results.length} queries) and the follow-up set written after the independent audit (${followup.length} queries of the kinds it found weak: conversational filler, numbers joined to units, words typed together, words only descriptions or seller names hold, vocabulary gaps, prices in words, nothing to search), graded 0–3 from the product data, a third of each held out while tuning, over the 8,168 listed products of \`--scale medium\`; nDCG@10 with gain 2^grade − 1, MRR@10 of the first grade ≥ 2 result. "Nothing to find" counts answers that no product has every word (no results, or a looser query's behind a notice); in brackets, those with no results at all. CI fails below the floors in \`subgraphs/catalogue/test/relevance.test.ts\`.`,
    '',
    '| scorer, set and part | judged queries | nDCG@10 | MRR@10 | judged queries answered with nothing | nothing-to-find queries answered so |',
    '|---|---|---|---|---|---|',
    '| baseline (the weighted scorer before issue 15), developers\' tuning part | 168 | 0.827 | 0.867 | – | 8/10 |',
    '| baseline, developers\' held-out part | 83 | 0.843 | 0.879 | – | 6/6 |',
    '| bucket sort before the audit, developers\' tuning part | 168 | 0.995 | 1.000 | 0 | 8/10 |',
    '| bucket sort before the audit, developers\' held-out part | 83 | 0.948 | 0.967 | 0 | 6/6 |',
    '| bucket sort before the audit, follow-up tuning part | 50 | 0.274 | 0.290 | 34 | 1/6 |',
    '| bucket sort before the audit, follow-up held-out part | 24 | 0.280 | 0.292 | 15 | 1/3 |',
    line('this run, developers\' tuning part', tune(results)),
    line('this run, developers\' held-out part', heldout(results)),
    line('this run, follow-up tuning part', tune(followup)),
    line('this run, follow-up held-out part', heldout(followup)),
    '',
    `Shopper queries expecting one product: ${top3} of ${shopper.length} find it in the top 3 (baseline: 25 of 36). Rank of the first exact product: ${sample}.`,
    `Mean nDCG@10 of the English queries: ${mean([...results, ...followup].filter((r) => r.query.language === 'en' && r.query.judgements.length).map((r) => r.ndcg)).toFixed(3)}.`,
  ].join('\n');
}

/**
 * What a shopper waits for: the storefront's own search operation (StorefrontSearch, from the
 * persisted-operation manifest) through our router with its response cache off, to the
 * catalogue and pesantren subgraphs holding `--scale medium` (loaded once into schemas of their
 * own and reused), one request at a time over HTTP, for a mix of shopper queries. Each service
 * runs in a process of its own with production settings, as deployed (docker-compose, `npm
 * start`): one process holding all three made every request pay for the others' garbage
 * collection.
 */
export async function storefrontSearchOverHttp(databaseUrl: string | undefined): Promise<string> {
  const title = "**The storefront's search over HTTP** (issue 15)";
  if (!databaseUrl) return `${title}: not measured: the services run as separate processes on one database, which needs PostgreSQL (set BENCH_DATABASE_URL or TEST_DATABASE_URL).`;
  const logger = createLogger('bench', 'warn');
  const base = {
    environment: 'test' as const,
    logLevel: 'warn' as const,
    host: '127.0.0.1',
    port: 0,
    identitySecret: IDENTITY_SECRET,
    seedDemoData: false,
  };
  const database = (schema: string) => ({ url: databaseUrl, schema, dataDir: IN_MEMORY, poolMax: 4, logSql: false });
  // Loaded (and migrated) here once; the measured services only read it.
  {
    const catalogue = await createCatalogueService({ ...base, service: 'catalogue', database: database(MEDIUM.catalogue), search: { ...EMBEDDED_SEARCH, pollMs: 60_000 } }, { logger });
    const pesantren = await createPesantrenService({ ...base, service: 'pesantren', database: database(MEDIUM.pesantren) }, logger);
    try {
      const count = async (service: typeof catalogue | typeof pesantren, table: string, schema: string) =>
        ((await service.database.orm.em.getConnection().execute<{ n: number }[]>(`select count(*)::int as n from "${schema}".${table}`)) as [{ n: number }])[0].n;
      const loadCatalogueData = (await count(catalogue, 'product', MEDIUM.catalogue)) !== SCALES.medium.products;
      const loadPesantrenData = (await count(pesantren, 'pesantren', MEDIUM.pesantren)) !== SCALES.medium.pesantren;
      if (loadCatalogueData || loadPesantrenData) {
        const world = generateWorld('medium');
        if (loadCatalogueData) await loadCatalogue(catalogue.database.fork(), world);
        if (loadPesantrenData) await loadPesantren(pesantren.database.fork(), world);
      }
    } finally {
      await catalogue.server.close();
      await pesantren.server.close();
    }
  }
  const children: ChildProcess[] = [];
  try {
    const common = { NODE_ENV: 'production', LOG_LEVEL: 'warn', ROUTER_IDENTITY_SECRET: IDENTITY_SECRET, DATABASE_URL: databaseUrl, SEED_DEMO_DATA: 'false' };
    const pesantren = await startService('pesantren', 'subgraphs/pesantren/src/server.ts', { ...common, DATABASE_SCHEMA: MEDIUM.pesantren }, readyProbe);
    children.push(pesantren.child);
    const catalogue = await startService('catalogue', 'subgraphs/catalogue/src/server.ts', { ...common, DATABASE_SCHEMA: MEDIUM.catalogue, PESANTREN_URL: pesantren.url, SEARCH_POLL_MS: '60000' }, readyProbe);
    children.push(catalogue.child);
    // The operation reaches only these two; the others are never called.
    const startRouter = (urls: Record<string, string>) =>
      startService(
        'router',
        'router/src/server.ts',
        {
          ...Object.fromEntries(SUBGRAPHS.map(({ name, urlVariable }) => [urlVariable, urls[name] ?? 'http://127.0.0.1:9/graphql'])),
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          ROUTER_IDENTITY_SECRET: IDENTITY_SECRET,
          RESPONSE_CACHE: 'false',
          // One request at a time: a second worker would only wait.
          ROUTER_WORKERS: '1',
          // One client sends every request: per-address limits would measure the limiter instead.
          RATE_LIMIT_IP_PER_MINUTE: '1000000',
        },
        readyProbe,
      );
    const router = await startRouter({ catalogue: catalogue.url, pesantren: pesantren.url });
    children.push(router.child);
    const api = router.url;
    const manifest = JSON.parse(await readFile(new URL('../schema/persisted-operations.json', import.meta.url), 'utf8')) as Record<string, string>;
    const document = Object.values(manifest).find((text) => /\bquery StorefrontSearch\b/.test(text))!;
    const queries = ['kripik tempe', 'madu klanceng gersik', 'kopi ijen banyu wangi', 'honey', 'keripik', 'sarung tenun', 'jual madu hutan asli murah', 'air minum', 'kerudung segi empat', 'mukena'];
    const ask = async (query: string, endpoint = api) => {
      const body = JSON.stringify({ query: document, variables: { query, filters: {}, sort: 'RELEVANCE', page: 1, pageSize: 20 } });
      const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': BROWSER_ENCODINGS }, body });
      const json = (await response.json()) as { errors?: unknown };
      if (!response.ok || json.errors) throw new Error(JSON.stringify(json));
    };
    // The catalogue builds its index after it starts answering: wait until search answers.
    const deadline = Date.now() + 300_000;
    while (!(await ask(queries[0]!).then(() => true, () => false))) {
      if (Date.now() > deadline) await ask(queries[0]!);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // The services just started: the whole mix runs 30 times first (300 requests), so the first
    // query measured is not the one that pays for compiling the code paths every query shares.
    // With 5 rounds the first query measured was still ~1.8x slower at p50 than the rest: a
    // catalogue process reaches its steady speed after several hundred requests.
    for (let round = 0; round < 30; round++) for (const query of queries) await ask(query);
    // 150 each: a p95 of 60 samples is the third-worst request, which one scheduling hiccup moves.
    // The queries take turns (one request of each, 150 times), so whatever the services still
    // settle (their collectors, the catalogue's first minutes) falls on every query alike: measured
    // one after another, the first queries measured were the slowest in each of three runs, their
    // p50 up to twice the later ones', so a query's row said as much about its turn as about it.
    const samples = new Map(queries.map((query) => [query, [] as number[]]));
    for (let round = 0; round < 150; round++) {
      for (const query of queries) {
        const started = performance.now();
        await ask(query);
        samples.get(query)!.push(performance.now() - started);
      }
    }
    const rows: string[] = [];
    let worst = 0;
    const all: number[] = [];
    for (const query of queries) {
      const sorted = samples.get(query)!.sort((a, b) => a - b);
      const [p50, p95] = [percentile(sorted, 0.5), percentile(sorted, 0.95)];
      worst = Math.max(worst, p95);
      all.push(p50);
      rows.push(`| ${query} | ${ms(p50)} | ${ms(p95)} |`);
    }
    // Where a request's time goes: a second router whose subgraph calls pass through proxies in
    // this process that time each answer. Not the figures above: the proxies add their own hop.
    const calls = { catalogue: [] as number[], pesantren: [] as number[] };
    const proxies = [await timingProxy(catalogue.url, calls.catalogue), await timingProxy(pesantren.url, calls.pesantren)];
    const timed = await startRouter({ catalogue: proxies[0]!.url, pesantren: proxies[1]!.url });
    children.push(timed.child);
    const totals: number[] = [];
    const rest: number[] = [];
    const split = queries.filter((query) => query !== 'mukena');
    const sumFrom = (samples: number[], from: number) => samples.slice(from).reduce((sum, value) => sum + value, 0);
    try {
      for (let round = 0; round < 10; round++) for (const query of split) await ask(query, timed.url);
      calls.catalogue.length = 0;
      calls.pesantren.length = 0;
      for (let round = 0; round < 30; round++) {
        for (const query of split) {
          const [catalogueCalls, pesantrenCalls] = [calls.catalogue.length, calls.pesantren.length];
          const started = performance.now();
          await ask(query, timed.url);
          const total = performance.now() - started;
          totals.push(total);
          rest.push(total - sumFrom(calls.catalogue, catalogueCalls) - sumFrom(calls.pesantren, pesantrenCalls));
        }
      }
    } finally {
      await Promise.all(proxies.map((proxy) => proxy.close()));
    }
    const quantiles = (samples: number[]) => {
      const sorted = [...samples].sort((a, b) => a - b);
      return `p50 ${ms(percentile(sorted, 0.5))}, p95 ${ms(percentile(sorted, 0.95))}`;
    };
    return [
      `${title}: \`StorefrontSearch\` (20 products with their pesantren and regency, facets, highlights) through our router (one worker) with its response cache off, to the catalogue and pesantren subgraphs holding \`--scale medium\` (${SCALES.medium.products.toLocaleString('en')} products, ${SCALES.medium.pesantren} pesantren) on PostgreSQL, each service a process of its own with production settings, one request at a time, answers compressed as for a browser. Worst query p95 ${ms(worst)} (target: under ${TARGET_HTTP_P95_MS} ms) — **${worst < TARGET_HTTP_P95_MS ? 'target met' : 'target missed'}**; median of the queries' p50 ${ms(all.sort((a, b) => a - b)[Math.floor(all.length / 2)]!)}.`,
      '',
      '| storefront query | p50 | p95 |',
      '|---|---|---|',
      ...rows,
      '',
      `Where the time goes (${totals.length} requests of the ${split.length} queries with results, through a second router whose subgraph calls pass through timing proxies in the bench's process, which add a hop of their own): the whole request ${quantiles(totals)}; the catalogue's answer (search, 20 products, facets) ${quantiles(calls.catalogue)}; the pesantren subgraph's (the 20 products' pesantren and regencies) ${quantiles(calls.pesantren)}; the rest, in the router, the client and the proxies, ${quantiles(rest)}.`,
    ].join('\n');
  } finally {
    await stopAll(children);
  }
}

/** Forwards a router's calls to a subgraph over kept-alive connections, recording how long each answer took. */
async function timingProxy(target: string, took: number[]): Promise<{ url: string; close: () => Promise<void> }> {
  const destination = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const started = performance.now();
      const call = httpRequest({ agent, host: destination.hostname, port: destination.port, path: destination.pathname, method: incoming.method, headers: incoming.headers }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => body.push(chunk));
        answer.on('end', () => {
          took.push(performance.now() - started);
          outgoing.writeHead(answer.statusCode!, answer.headers);
          outgoing.end(Buffer.concat(body));
        });
      });
      call.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => {
      agent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
