import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateWorld } from '@opop/demo-data';
import { ANONYMOUS, IDENTITY_HEADER, signForwardedIdentity } from '@opop/server-kit';
import { SUBGRAPHS } from '@opop/router';
import { localNginxConfig, NGINX, startNginx } from '../deploy/local-nginx.ts';
import { sha256Hex } from '../router/src/persisted.ts';
import { freePort } from '../storefront/test/platform.ts';
import { load, thereAndBack, type LoadOptions, type LoadResult } from './load.ts';
import { profileShares, type ProfileShares } from './profile.ts';
import { checkoutBaseline, type Baseline } from './baseline.ts';
import { ms, ratio, type BenchResult } from './measure.ts';

/**
 * The router against its baselines, side by side in one run, on 127.0.0.1: the five subgraphs
 * (demo data, PostgreSQL when a URL is given, else PGlite), our router (production settings, one
 * worker per core) with its response cache on and off, and a plain @apollo/gateway with default
 * settings over the same subgraphs. Every process is a child of this one; the load generator
 * runs here. Operations are our clients' own, from the persisted-operation manifest, sent as
 * full documents with a product slug drawn at random from the listed demo products.
 */
const LOAD: LoadOptions = { connections: 32, warmupMs: 2_000, durationMs: 10_000, maxRequests: 300_000 };
const SEQUENTIAL: LoadOptions = { connections: 1, warmupMs: 500, durationMs: 3_000, maxRequests: 5_000 };
const SECRET = randomBytes(32).toString('base64url');
// Not scripts/stack.ts: the bench starts each service on a port of its own choosing, with
// production settings.
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Running {
  url: string;
  child: ChildProcess;
}

/** Starts a service and waits until `probe` answers; its stderr is kept to explain a failure. */
export async function start(name: string, entry: string, env: Record<string, string>, probe: (origin: string) => Promise<boolean>, nodeArgs: string[] = [], cwd = ROOT): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, entry], { cwd, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited before it was ready:\n${stderr}`);
    if (await probe(origin).catch(() => false)) return { url: `${origin}/graphql`, child };
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} was not ready after 300 s:\n${stderr}`);
}

export const readyProbe = async (origin: string) => (await fetch(`${origin}/ready`, { signal: AbortSignal.timeout(1_000) })).ok;
const answersProbe = async (origin: string) => (await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}', signal: AbortSignal.timeout(1_000) })).status < 500;

/** Stops the bench's child processes: SIGTERM, then SIGKILL after 10 s. */
export async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => (clearTimeout(timer), resolve()));
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** The text of one of our clients' published operations, by its name. */
export async function manifestOperation(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(ROOT, 'schema/persisted-operations.json'), 'utf8')) as Record<string, string>;
  const document = Object.values(manifest).find((text) => new RegExp(`\\bquery ${name}\\b`).test(text));
  if (!document) throw new Error(`no operation ${name} in schema/persisted-operations.json`);
  return document;
}

const row = (name: string, r: LoadResult, baseline: LoadResult, extra = '') =>
  `| ${name} | ${Math.round(r.throughput).toLocaleString('en')} | ${ratio(r.throughput / baseline.throughput)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.failed ? `**${r.failed} failed**` : '0'}${extra} |`;

export async function routerThroughput(databaseUrl: string | undefined): Promise<BenchResult> {
  const children: ChildProcess[] = [];
  const dataDir = databaseUrl ? undefined : await mkdtemp(join(tmpdir(), 'opop-bench-router-'));
  let baseline: Baseline | undefined;
  try {
    const subgraphUrls: Record<string, string> = {};
    const subgraphEnvOf = (name: string, extra: Record<string, string> = {}) => ({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ROUTER_IDENTITY_SECRET: SECRET,
      PSEUDONYM_SECRET: SECRET,
      SEED_DEMO_DATA: 'true',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: `bench_${name}` } : { DATA_DIR: dataDir! }),
      ...extra,
    });
    const startSubgraph = async (name: string, extra: Record<string, string> = {}) => {
      const service = await start(name, `subgraphs/${name}/src/server.ts`, subgraphEnvOf(name, extra), readyProbe);
      children.push(service.child);
      subgraphUrls[name] = service.url;
    };
    // Academics, catalogue, partners and media check what a write names with the subgraph that owns it,
    // and production requires their URLs: pesantren starts first, then catalogue.
    await startSubgraph('pesantren');
    await startSubgraph('catalogue', { PESANTREN_URL: subgraphUrls['pesantren']! });
    const owners = { PESANTREN_URL: subgraphUrls['pesantren']!, CATALOGUE_URL: subgraphUrls['catalogue']! };
    await Promise.all(SUBGRAPHS.filter(({ name }) => name !== 'pesantren' && name !== 'catalogue').map(({ name }) => startSubgraph(name, owners)));
    const subgraphEnv = Object.fromEntries(SUBGRAPHS.map(({ name, urlVariable }) => [urlVariable, subgraphUrls[name]!]));
    const routerEnv = {
      ...subgraphEnv,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ROUTER_IDENTITY_SECRET: SECRET,
      // The load comes from one address; the limit is not what is measured here.
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
    };
    // As shipped: one process (ROUTER_WORKERS' default), like the plain gateway; scaling out is
    // replicas behind a balancer (issue 16). A row with one worker per core shows the alternative.
    const cached = await start('router', 'router/src/server.ts', routerEnv, readyProbe);
    children.push(cached.child);
    const uncached = await start('router (cache off)', 'router/src/server.ts', { ...routerEnv, RESPONSE_CACHE: 'false' }, readyProbe);
    children.push(uncached.child);
    const workers = availableParallelism();
    const perCore = await start(`router (cache off, ${workers} workers)`, 'router/src/server.ts', { ...routerEnv, RESPONSE_CACHE: 'false', ROUTER_WORKERS: String(workers) }, readyProbe);
    children.push(perCore.child);
    const plain = await start('plain gateway', 'bench/plain-gateway.ts', { ROUTER_IDENTITY_SECRET: SECRET, SUBGRAPH_URLS: JSON.stringify(subgraphUrls) }, answersProbe);
    children.push(plain.child);
    // The floor (issue 21): the same read on the same table with graphql-js over pg, no ORM. It
    // needs the catalogue's tables in PostgreSQL; PGlite serves one process.
    const floor = databaseUrl
      ? await start('floor subgraph', 'bench/floor-subgraph.ts', { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: 'bench_catalogue', ROUTER_IDENTITY_SECRET: SECRET }, answersProbe)
      : undefined;
    if (floor) children.push(floor.child);
    // The catalogue itself without Apollo Server and Fastify, on the same tables: splits the gap
    // to the floor into what the server layer costs and what our schema and resolvers cost.
    const bare = databaseUrl
      ? await start('catalogue without its server layer', 'bench/bare-subgraph.ts', subgraphEnvOf('catalogue', { PESANTREN_URL: subgraphUrls['pesantren']!, SEED_DEMO_DATA: 'false' }), answersProbe)
      : undefined;
    if (bare) children.push(bare.child);
    // The commit before issue 21's work, beside today's code in this run: its catalogue on the
    // same tables, and its router (cache off) over today's subgraphs.
    const checkout = databaseUrl ? await checkoutBaseline() : { missing: 'it shares the catalogue tables, which needs PostgreSQL' };
    let before: { catalogue: Running; router: Running } | undefined;
    if ('dir' in checkout) {
      baseline = checkout;
      const catalogue = await start(`catalogue at ${checkout.commit}`, 'subgraphs/catalogue/src/server.ts', subgraphEnvOf('catalogue', { PESANTREN_URL: subgraphUrls['pesantren']!, SEED_DEMO_DATA: 'false' }), readyProbe, [], checkout.dir);
      children.push(catalogue.child);
      const router = await start(`router at ${checkout.commit}`, 'router/src/server.ts', { ...routerEnv, RESPONSE_CACHE: 'false' }, readyProbe, [], checkout.dir);
      children.push(router.child);
      before = { catalogue, router };
    }

    const slugs = generateWorld('demo').products.filter((p) => ['SUBMITTED', 'IN_REVIEW', 'FEATURED'].includes(p.status)).map((p) => p.slug);
    const bodyOf = (document: string) => () => JSON.stringify({ query: document, variables: { slug: slugs[Math.floor(Math.random() * slugs.length)] } });
    const stock = bodyOf(await manifestOperation('StorefrontProductStock'));
    const page = bodyOf(await manifestOperation('Product'));
    // What a day of shoppers and widgets looks like to the API, weighted by how often each runs.
    const pesantrenSlugs = [...new Set(generateWorld('demo').pesantren.map((p) => p.slug))];
    const searches = ['madu', 'kopi', 'batik', 'keripik tempe', 'sarung', 'kerupuk', 'sambal', 'gula aren'];
    const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;
    const MIX: [number, string, () => Record<string, unknown>][] = [
      [40, await manifestOperation('WidgetProductCard'), () => ({ slug: pick(slugs) })],
      [25, await manifestOperation('StorefrontProductStock'), () => ({ slug: pick(slugs) })],
      [15, await manifestOperation('Product'), () => ({ slug: pick(slugs) })],
      [10, await manifestOperation('StorefrontSearch'), () => ({ query: pick(searches) })],
      [10, await manifestOperation('WidgetPesantrenBadge'), () => ({ slug: pick(pesantrenSlugs) })],
    ];
    const mixTotal = MIX.reduce((sum, [weight]) => sum + weight, 0);
    const mix = () => {
      let roll = Math.random() * mixTotal;
      for (const [weight, query, variables] of MIX) if ((roll -= weight) < 0) return JSON.stringify({ query, variables: variables() });
      return JSON.stringify({ query: MIX[0]![1], variables: MIX[0]![2]() });
    };
    // Our subgraphs answer only requests with an identity the router signed; the direct calls
    // carry the anonymous one, signed afresh for each run since it is valid for a minute.
    const direct = async () => ({ [IDENTITY_HEADER]: await signForwardedIdentity(ANONYMOUS, SECRET) });

    // Each section there and back (A B C … C B A), each run half of LOAD's duration: measured once
    // each in a row, the floor's throughput alone moved by a third between two bench runs.
    const HALF: LoadOptions = { ...LOAD, durationMs: LOAD.durationMs / 2 };
    // The routers' rows of every section, in the tables' order.
    const routers = (body: () => string) => ({
      plain: () => load(plain.url, body, {}, HALF),
      uncached: () => load(uncached.url, body, {}, HALF),
      uncachedBefore: before ? () => load(before.router.url, body, {}, HALF) : undefined,
      perCore: () => load(perCore.url, body, {}, HALF),
      cached: () => load(cached.url, body, {}, HALF),
    });
    console.log('  single-subgraph query …');
    const single = await thereAndBack({
      floor: floor ? async () => load(floor.url, stock, await direct(), HALF) : undefined,
      subgraph: async () => load(subgraphUrls['catalogue']!, stock, await direct(), HALF),
      bare: bare ? async () => load(bare.url, stock, await direct(), HALF) : undefined,
      subgraphBefore: before ? async () => load(before.catalogue.url, stock, await direct(), HALF) : undefined,
      ...routers(stock),
    });
    console.log('  product page …');
    const productPage = await thereAndBack(routers(page));
    console.log('  operation mix …');
    const mixed = await thereAndBack(routers(mix));
    // Cacheable by a CDN: the product card asked for by GET with its hash alone, from our router
    // (its response cache) and through deploy/nginx.conf run here in front of it (nginx's cache).
    const cardDocument = await manifestOperation('WidgetProductCard');
    const cardHash = sha256Hex(cardDocument);
    const cardPost = () => JSON.stringify({ query: cardDocument, variables: { slug: pick(slugs) } });
    const cardGet = () =>
      `/graphql?operationName=WidgetProductCard&variables=${encodeURIComponent(JSON.stringify({ slug: pick(slugs) }))}&extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: cardHash } }))}`;
    let cdn: { post: LoadResult; get: LoadResult; nginx: LoadResult } | undefined;
    if (NGINX) {
      console.log('  by GET, through nginx …');
      const nginxDir = await mkdtemp(join(tmpdir(), 'opop-bench-nginx-'));
      const nginxPort = await freePort();
      const nginx = startNginx(await localNginxConfig(nginxDir, new URL(cached.url).origin, nginxPort), nginxDir);
      children.push(nginx);
      const nginxUrl = `http://127.0.0.1:${nginxPort}/graphql`;
      const deadline = Date.now() + 10_000;
      while (!(await fetch(`http://127.0.0.1:${nginxPort}${cardGet()}`).then((r) => r.ok, () => false))) {
        if (Date.now() > deadline) throw new Error(`nginx did not answer: ${await readFile(join(nginxDir, 'error.log'), 'utf8').catch(() => '')}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      cdn = {
        post: await load(cached.url, cardPost, {}, LOAD),
        get: await load(cached.url, cardGet, {}, { ...LOAD, method: 'GET' }),
        nginx: await load(nginxUrl, cardGet, {}, { ...LOAD, method: 'GET' }),
      };
    }
    console.log('  one request at a time …');
    const sequential = {
      subgraph: await load(subgraphUrls['catalogue']!, stock, await direct(), SEQUENTIAL),
      plain: await load(plain.url, stock, {}, SEQUENTIAL),
      uncached: await load(uncached.url, stock, {}, SEQUENTIAL),
      cached: await load(cached.url, stock, {}, SEQUENTIAL),
    };

    // Where a request's time goes: the catalogue and our router (cache off, one process) again,
    // each under --cpu-prof for one load run of the single query; the profiles are kept in
    // bench/output/ for a flame graph (Chrome DevTools' Performance panel or speedscope).
    const profiles: { name: string; file: string; shares: ProfileShares }[] = [];
    if (databaseUrl) {
      console.log('  profiles …');
      const outputDir = join(ROOT, 'bench', 'output');
      await mkdir(outputDir, { recursive: true });
      const profileLoad: LoadOptions = { connections: 32, warmupMs: 1_000, durationMs: 6_000, maxRequests: 100_000 };
      const profiled = async (name: string, file: string, entry: string, env: Record<string, string>, probe: (origin: string) => Promise<boolean>, headers: () => Promise<Record<string, string>>) => {
        const dir = await mkdtemp(join(tmpdir(), 'opop-bench-profile-'));
        const service = await start(name, entry, env, probe, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
        await load(service.url, stock, await headers(), profileLoad);
        await stopAll([service.child]);
        const [written] = (await readdir(dir)).filter((entry) => entry.endsWith('.cpuprofile'));
        if (!written) throw new Error(`${name} wrote no CPU profile`);
        await copyFile(join(dir, written), join(outputDir, file));
        profiles.push({ name, file, shares: await profileShares(join(dir, written)) });
        await rm(dir, { recursive: true, force: true });
      };
      await profiled('catalogue subgraph', 'catalogue-product-stock.cpuprofile', 'subgraphs/catalogue/src/server.ts', subgraphEnvOf('catalogue', { PESANTREN_URL: subgraphUrls['pesantren']!, SEED_DEMO_DATA: 'false' }), readyProbe, direct);
      await profiled('our router, cache off, 1 worker', 'router-product-stock.cpuprofile', 'router/src/server.ts', { ...routerEnv, RESPONSE_CACHE: 'false' }, readyProbe, async () => ({}));
    }

    const keeps = single.cached.throughput / single.subgraph.throughput;
    const keepsUncached = single.uncached.throughput / single.subgraph.throughput;
    const pageRatio = productPage.cached.throughput / productPage.plain.throughput;
    const pageRatioUncached = productPage.uncached.throughput / productPage.plain.throughput;
    const measured = (results: Record<string, LoadResult | undefined>) => Object.values(results).filter((r): r is LoadResult => r !== undefined);
    const failures = [...measured(single), ...measured(productPage), ...measured(mixed), ...Object.values(sequential), ...Object.values(cdn ?? {})].reduce((sum, r) => sum + r.failed, 0);
    const verdict = (met: boolean) => (met ? '**Target met.**' : '**Target not met.**');
    const added = (r: LoadResult) => `${ms(r.p50 - sequential.subgraph.p50)} at p50, ${ms(r.p95 - sequential.subgraph.p95)} at p95`;
    const header = '| target | requests/s | × baseline | p50 | p95 | p99 | failed |\n|---|---|---|---|---|---|---|';

    const body = `Five subgraphs with the demo data on ${databaseUrl ? 'PostgreSQL' : 'PGlite (no PostgreSQL URL was given)'}, our router (\`NODE_ENV=production\`, one process as shipped; a row with ${workers} workers) with its response cache on and off, and a plain \`@apollo/gateway\` (default settings, Apollo Server standalone, one process) over the same subgraphs. A closed-loop load generator (undici, ${LOAD.connections} connections; each target twice per section, there and back in the order of the table and then the reverse, each time ${LOAD.warmupMs / 1000} s warm-up and ${LOAD.durationMs / 2000} s measured, the two taken together) sends our clients' persisted operations as full documents, each with a random one of ${slugs.length} listed product slugs. Everything, the load generator included, shares this machine's ${availableParallelism()} cores.

**A single-subgraph query** (\`StorefrontProductStock\`: a product's stock and price, catalogue only), the calling subgraph as baseline:

${header}
${single.floor ? `${row('floor: graphql-js over pg, no ORM, same table (bench/floor-subgraph.ts)', single.floor, single.subgraph)}\n` : ''}${row('catalogue subgraph, called directly (baseline)', single.subgraph, single.subgraph)}
${single.bare ? `${row('the same catalogue without Apollo Server and Fastify: its schema, context and resolvers on node:http (bench/bare-subgraph.ts)', single.bare, single.subgraph)}\n` : ''}${single.subgraphBefore ? `${row(`catalogue subgraph at ${baseline!.commit}, before issue 21`, single.subgraphBefore, single.subgraph)}\n` : ''}${row('plain @apollo/gateway, default settings', single.plain, single.subgraph)}
${row('our router, response cache off', single.uncached, single.subgraph)}${single.uncachedBefore ? `\n${row(`our router at ${baseline!.commit}, response cache off`, single.uncachedBefore, single.subgraph)}` : ''}
${row(`our router, response cache off, ${workers} workers`, single.perCore, single.subgraph)}
${row('our router (default: response cache on)', single.cached, single.subgraph)}

${single.subgraphBefore ? `${verdict(single.subgraph.throughput / single.subgraphBefore.throughput >= 2)} Today's catalogue subgraph serves ${ratio(single.subgraph.throughput / single.subgraphBefore.throughput)} the throughput of the same subgraph at ${baseline!.commit} (the code before issue 21), measured in this run (target ≥ 2×)${baseline!.caveat ? `; ${baseline!.caveat}` : ''}. ` : `_The code before issue 21 was not measured: ${'missing' in checkout ? checkout.missing : ''}._ `}${single.floor ? `${verdict(single.subgraph.throughput / single.floor.throughput >= 0.7)} The catalogue subgraph serves ${ratio(single.subgraph.throughput / single.floor.throughput)} of the floor's throughput (target ≥ 0.70×).${single.bare ? ` Without Apollo Server and Fastify the same catalogue serves ${ratio(single.bare.throughput / single.floor.throughput)} of the floor; what it serves beyond the catalogue subgraph is what that server layer costs.` : ''}` : '_The floor was not measured: it reads PostgreSQL (set BENCH_DATABASE_URL or TEST_DATABASE_URL)._'} ${verdict(keeps >= 0.6)} Our router keeps ${ratio(keeps)} of the subgraph's throughput (target ≥ 0.60×; ${ratio(keepsUncached)} with the cache off), the plain gateway ${ratio(single.plain.throughput / single.subgraph.throughput)}.

**The product page** (\`Product\`, the SDK's product query: catalogue, pesantren, media and partners), the plain gateway as baseline:

${header}
${row('plain @apollo/gateway, default settings (baseline)', productPage.plain, productPage.plain)}
${row('our router, response cache off', productPage.uncached, productPage.plain)}${productPage.uncachedBefore ? `\n${row(`our router at ${baseline!.commit}, response cache off`, productPage.uncachedBefore, productPage.plain)}` : ''}
${row(`our router, response cache off, ${workers} workers`, productPage.perCore, productPage.plain)}
${row('our router (default: response cache on)', productPage.cached, productPage.plain)}

${verdict(pageRatio >= 4 && productPage.cached.p95 <= productPage.plain.p95)} Our router serves ${ratio(pageRatio)} the plain gateway's throughput (target ≥ 4×) at p95 ${ms(productPage.cached.p95)} against ${ms(productPage.plain.p95)}; with the cache off ${ratio(pageRatioUncached)} at p95 ${ms(productPage.uncached.p95)}.

**The operation mix** (40% product card widget, 25% live stock and price, 15% product page, 10% storefront search, 10% pesantren badge widget; random products, pesantren and search words), the plain gateway as baseline:

${header}
${row('plain @apollo/gateway, default settings (baseline)', mixed.plain, mixed.plain)}
${row('our router, response cache off', mixed.uncached, mixed.plain)}${mixed.uncachedBefore ? `\n${row(`our router at ${baseline!.commit}, response cache off`, mixed.uncachedBefore, mixed.plain)}` : ''}
${row(`our router, response cache off, ${workers} workers`, mixed.perCore, mixed.plain)}
${row('our router (default: response cache on)', mixed.cached, mixed.plain)}

${verdict([single.uncached.throughput / single.plain.throughput, pageRatioUncached, mixed.uncached.throughput / mixed.plain.throughput].every((value) => value >= 1.2))} Without its response cache our router serves ${ratio(single.uncached.throughput / single.plain.throughput)} the plain gateway's throughput on the single query, ${ratio(pageRatioUncached)} on the product page and ${ratio(mixed.uncached.throughput / mixed.plain.throughput)} on the mix (target ≥ 1.20× on each; issue 21).

**Cacheable by a CDN** (\`WidgetProductCard\`, a random listed product; our router with its response cache on as baseline). A published query asked for by GET with its hash alone needs no preflight header, and its answer carries \`Cache-Control: max-age=N, public\`, so \`deploy/nginx.conf\` (the compose load balancer, run here in front of the router as written) keeps it and answers repeated reads without reaching a router:

${cdn ? `${header}
${row('our router, POST with the document (baseline)', cdn.post, cdn.post)}
${row('our router, GET with the hash', cdn.get, cdn.post)}
${row('nginx (deploy/nginx.conf) in front of it, GET with the hash', cdn.nginx, cdn.post)}` : '_Not measured: nginx is not installed on this machine (apt-get install nginx-light)._'}

**Where the time goes** (CPU profiles, \`--cpu-prof\`, of a process that starts, serves one 7 s load run of the single query at 32 connections, and stops; self time by package, as a share of busy time; start-up, under the module loader, left out):

${profiles.length ? profiles.map(({ name, file, shares }) => `*${name}* (${Math.round(shares.busyMs).toLocaleString('en')} ms busy; flame graph: \`bench/output/${file}\`): ${shares.layers.filter(({ share }) => share >= 0.01).map(({ layer, share }) => `${layer} ${(share * 100).toFixed(0)}%`).join(', ')}. Top functions: ${shares.functions.slice(0, 6).map(({ name, share }) => `\`${name.slice(0, 80)}\` ${(share * 100).toFixed(1)}%`).join(', ')}.`).join('\n\n') : '_Not profiled: profiling starts a second catalogue on the same PostgreSQL tables (set BENCH_DATABASE_URL or TEST_DATABASE_URL)._'}

**Latency added per request**, one request at a time (\`StorefrontProductStock\`): the subgraph alone answers in ${ms(sequential.subgraph.p50)} at p50 and ${ms(sequential.subgraph.p95)} at p95; our router adds ${added(sequential.uncached)} with the cache off, ${added(sequential.cached)} with it on; the plain gateway adds ${added(sequential.plain)}.

${failures ? `**${failures} requests failed** (HTTP status other than 200 or GraphQL errors): the figures above are not to be trusted.` : 'No request failed (each was HTTP 200 without GraphQL errors).'} The cached figures are what shoppers and widgets get for repeated public reads; with the cache off they show what the router itself costs (keep-alive connections, persisted operations, cached plans and signatures, one process).`;
    return { title: 'Router throughput: ours, a plain @apollo/gateway and the subgraph itself (issue 9)', body };
  } finally {
    await stopAll(children);
    await baseline?.remove();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}
