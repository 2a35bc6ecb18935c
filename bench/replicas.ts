import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateWorld } from '@opop/demo-data';
import { SUBGRAPHS } from '@opop/router';
import { freePort } from '../storefront/test/platform.ts';
import { both, load, type LoadOptions, type LoadResult } from './load.ts';
import { ms, ratio, type BenchResult } from './measure.ts';
import { manifestOperation, readyProbe, stopAll } from './router.ts';

/**
 * One router process per core (node:cluster, what `router/src/server.ts` does with
 * ROUTER_WORKERS) against the same number of single-process routers behind a balancer, side by
 * side in one run on 127.0.0.1: the same subgraphs, the same router settings (response cache off:
 * the process model is measured, not the cache), the same load. Two balancers: a round-robin TCP
 * proxy in its own process (node:net, one connection to a replica per client connection; nginx
 * and haproxy are not installed here), and the load generator splitting its connections between
 * the replicas itself, which is what a balancer that does not copy bytes in user space (IPVS,
 * a cloud load balancer on other hosts) costs this machine: nothing.
 *
 * `node bench/replicas.ts` (PGlite in a temporary folder, or BENCH_DATABASE_URL /
 * TEST_DATABASE_URL). Bounded: about a minute and a half on two cores.
 */
const WORKERS = 2;
const LOAD: LoadOptions = { connections: 32, warmupMs: 1_000, durationMs: 4_000, maxRequests: 100_000 };
const SECRET = randomBytes(32).toString('base64url');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);

interface Running {
  url: string;
  port: number;
  child: ChildProcess;
}

async function start(name: string, args: string[], env: Record<string, string>, ready: (origin: string) => Promise<boolean>, port?: number): Promise<Running> {
  port ??= await freePort();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited before it was ready:\n${stderr}`);
    if (await ready(origin).catch(() => false)) return { url: `${origin}/graphql`, port, child };
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} was not ready after 180 s:\n${stderr}`);
}

/** The balancer process: each accepted connection is piped to the next replica in turn. */
function balance(port: number, upstreams: number[]): void {
  let next = 0;
  const server = createServer((client) => {
    const upstream = connect(upstreams[next++ % upstreams.length]!, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    const close = () => (client.destroy(), upstream.destroy());
    client.on('error', close);
    upstream.on('error', close);
  });
  server.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/** Two load runs at once, half the connections each: the replicas balanced by the client. */
async function splitLoad(urls: string[], body: () => string, options: LoadOptions): Promise<LoadResult> {
  const parts = await Promise.all(urls.map((url) => load(url, body, {}, { ...options, connections: options.connections / urls.length, maxRequests: options.maxRequests / urls.length })));
  const worst = (pick: (r: LoadResult) => number) => Math.max(...parts.map(pick));
  return {
    requests: parts.reduce((sum, r) => sum + r.requests, 0),
    failed: parts.reduce((sum, r) => sum + r.failed, 0),
    seconds: worst((r) => r.seconds),
    throughput: parts.reduce((sum, r) => sum + r.throughput, 0),
    // Per-half percentiles; the slower half's is reported.
    p50: worst((r) => r.p50),
    p95: worst((r) => r.p95),
    p99: worst((r) => r.p99),
  };
}

export async function clusterOrReplicas(databaseUrl: string | undefined): Promise<BenchResult> {
  const children: ChildProcess[] = [];
  const dataDir = databaseUrl ? undefined : await mkdtemp(join(tmpdir(), 'opop-bench-replicas-'));
  try {
    const subgraphEnv = (name: string) => ({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ROUTER_IDENTITY_SECRET: SECRET,
      PSEUDONYM_SECRET: SECRET,
      SEED_DEMO_DATA: 'true',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: `bench_replicas_${name}` } : { DATA_DIR: dataDir! }),
    });
    const startSubgraph = async (name: string, extra: Record<string, string> = {}) => {
      const service = await start(name, [`subgraphs/${name}/src/server.ts`], { ...subgraphEnv(name), ...extra }, readyProbe);
      children.push(service.child);
      return [name, service.url] as const;
    };
    // Academics, catalogue, partners and media check what a write names with the subgraph that owns it,
    // and production requires their URLs: pesantren starts first, then catalogue.
    const pesantren = await startSubgraph('pesantren');
    const catalogue = await startSubgraph('catalogue', { PESANTREN_URL: pesantren[1] });
    const owners = { PESANTREN_URL: pesantren[1], CATALOGUE_URL: catalogue[1] };
    const others = await Promise.all(SUBGRAPHS.filter(({ name }) => name !== 'pesantren' && name !== 'catalogue').map(({ name }) => startSubgraph(name, owners)));
    const subgraphUrls = Object.fromEntries([pesantren, catalogue, ...others]);
    const routerEnv = {
      ...Object.fromEntries(SUBGRAPHS.map(({ name, urlVariable }) => [urlVariable, subgraphUrls[name]!])),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ROUTER_IDENTITY_SECRET: SECRET,
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
      RESPONSE_CACHE: 'false',
    };
    const router = (name: string, workers: number) => start(name, ['router/src/server.ts'], { ...routerEnv, ROUTER_WORKERS: String(workers) }, readyProbe);
    const cluster = await router(`router cluster (${WORKERS} workers)`, WORKERS);
    children.push(cluster.child);
    const replicas: Running[] = [];
    for (let i = 0; i < WORKERS; i++) {
      replicas.push(await router(`router replica ${i + 1}`, 1));
      children.push(replicas[i]!.child);
    }
    const balancer = await start('balancer', [THIS_FILE, '--balance', replicas.map((r) => r.port).join(',')], {}, readyProbe);
    children.push(balancer.child);

    const slugs = generateWorld('demo').products.filter((p) => ['SUBMITTED', 'IN_REVIEW', 'FEATURED'].includes(p.status)).map((p) => p.slug);
    const bodyOf = (document: string) => () => JSON.stringify({ query: document, variables: { slug: slugs[Math.floor(Math.random() * slugs.length)] } });
    const operations = [
      ['StorefrontProductStock (catalogue only)', bodyOf(await manifestOperation('StorefrontProductStock'))],
      ['Product (four subgraphs)', bodyOf(await manifestOperation('Product'))],
    ] as const;

    const rows: string[] = [];
    const ratios: { label: string; proxied: number; split: number }[] = [];
    for (const [label, body] of operations) {
      console.log(`  ${label} …`);
      const run = {
        cluster: () => load(cluster.url, body, {}, LOAD),
        proxied: () => load(balancer.url, body, {}, LOAD),
        split: () => splitLoad(replicas.map((r) => r.url), body, LOAD),
      };
      // There and back (A B C C B A): whatever warms up or slows down during the run (the
      // subgraphs' caches and JIT, other work on the machine) falls on every mode alike.
      const first = { cluster: await run.cluster(), proxied: await run.proxied(), split: await run.split() };
      const split = await run.split();
      const proxied = await run.proxied();
      const measured = { cluster: both(first.cluster, await run.cluster()), proxied: both(first.proxied, proxied), split: both(first.split, split) };
      const line = (name: string, r: LoadResult) =>
        `| ${label} | ${name} | ${Math.round(r.throughput).toLocaleString('en')} | ${ratio(r.throughput / measured.cluster.throughput)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.failed} |`;
      ratios.push({ label, proxied: measured.proxied.throughput / measured.cluster.throughput, split: measured.split.throughput / measured.cluster.throughput });
      rows.push(
        line(`node:cluster, ${WORKERS} workers (baseline)`, measured.cluster),
        line(`${WORKERS} replicas behind a TCP round-robin proxy`, measured.proxied),
        line(`${WORKERS} replicas, connections split by the client`, measured.split),
      );
    }
    const body = `Five subgraphs with the demo data on ${databaseUrl ? 'PostgreSQL' : 'PGlite'}; the router (\`NODE_ENV=production\`, response cache off) as one node:cluster primary with ${WORKERS} workers, and as ${WORKERS} single-process replicas reached through a round-robin TCP proxy in its own process, or with the load generator's connections split between them. ${LOAD.connections} connections, ${LOAD.warmupMs / 1000} s warm-up, ${LOAD.durationMs / 1000} s measured twice per mode (in the order A B C C B A), on this machine's ${availableParallelism()} cores, shared by everything.

| operation | router processes | requests/s | × cluster | p50 | p95 | p99 | failed |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Replicas against the cluster, in requests per second: behind the TCP proxy ${ratios.map((r) => `${ratio(r.proxied)} (${r.label})`).join(', ')}; with the connections split by the client ${ratios.map((r) => `${ratio(r.split)} (${r.label})`).join(', ')}. ${
      ratios.every((r) => r.split >= 1 && r.proxied >= 1)
        ? 'Replicas were never slower: one process per replica stays the default, and ROUTER_WORKERS is for a host without a balancer.'
        : ratios.every((r) => r.split >= 1)
          ? 'Replicas the balancer reaches without copying bytes in user space were never slower; the user-space proxy on the same two cores was slower for at least one operation, so its figures are the cost of that proxy on this machine rather than of replicas.'
          : '**Replicas were slower than the cluster for at least one operation in this run.**'
    }`;
    return { title: 'One router process per core, or replicas behind a balancer (issue 16)', body };
  } finally {
    await stopAll(children);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const at = process.argv.indexOf('--balance');
  if (at >= 0) {
    balance(Number(process.env['PORT']), process.argv[at + 1]!.split(',').map(Number));
  } else {
    const databaseUrl = process.env['BENCH_DATABASE_URL'] || process.env['TEST_DATABASE_URL'] || undefined;
    const result = await clusterOrReplicas(databaseUrl);
    console.log(`\n## ${result.title}\n\n${result.body}\n`);
  }
}
