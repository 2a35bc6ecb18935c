import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueAccessToken } from '@opop/server-kit';
import { SUBGRAPHS } from '@opop/router';
import { reservePort } from '@opop/server-kit/testing';
import { buildStorefront } from '../storefront/build.ts';
import type { BenchResult } from './measure.ts';

/**
 * Incremental publishing (issue 20): time from a mutation through the router to the changed page
 * being served by the storefront, over consecutive changes (each a listed product's new price),
 * against a full rebuild measured in the same run on the same data; then the other subgraphs'
 * changes (a pesantren edit, a recorded engagement, a published article). `PUBLISH_BENCH_SCALE`
 * (demo | medium; default medium), `PUBLISH_BENCH_CHANGES` (default 50) and
 * `PUBLISH_BENCH_OTHER_CHANGES` (default 5 of each kind) choose the run.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;

export async function publishLatency(): Promise<BenchResult> {
  const scale = process.env['PUBLISH_BENCH_SCALE'] || 'medium';
  const changes = Number(process.env['PUBLISH_BENCH_CHANGES'] || 50);
  const dir = await mkdtemp(join(tmpdir(), 'opop-bench-publish-'));
  const ports: Record<string, string> = { PORT: String(await reservePort()), STOREFRONT_PORT: String(await reservePort()) };
  for (const { name } of SUBGRAPHS) ports[`${name.toUpperCase()}_PORT`] = String(await reservePort());
  const env = { ...process.env, ...ports, DATA_DIR: join(dir, 'data'), STOREFRONT_DIST: join(dir, 'dist'), LOG_LEVEL: 'warn', DATABASE_URL: '', CONSOLE: 'off' };
  const api = `http://127.0.0.1:${ports['PORT']}/graphql`;
  const site = `http://127.0.0.1:${ports['STOREFRONT_PORT']}`;
  try {
    if (scale !== 'demo') {
      console.log(`  loading --scale ${scale} …`);
      await run(['scripts/seed.ts', '--scale', scale], env);
    }
    console.log('  starting the platform and its first build …');
    const platform = spawn(process.execPath, ['scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    platform.stdout!.on('data', (chunk) => (output += chunk));
    platform.stderr!.on('data', (chunk) => (output += chunk));
    try {
      const started = Date.now();
      while (!(await fetch(`${site}/`).then((r) => r.ok, () => false))) {
        if (Date.now() - started > 1_800_000) throw new Error(`the platform did not start:\n${output.slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const secrets = JSON.parse(await readFile(join(dir, 'data', 'secrets.json'), 'utf8')) as { AUTH_TOKEN_SECRET: string };
      const token = await issueAccessToken({ role: 'programme_admin', subject: 'bench-publish', pesantrenId: null, scopes: [] }, secrets.AUTH_TOKEN_SECRET);
      const gql = async <T>(query: string): Promise<T> => {
        const response = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
        const body = (await response.json()) as { data: T; errors?: { message: string }[] };
        if (body.errors) throw new Error(body.errors[0]!.message);
        return body.data;
      };
      /** A change made through the API, timed until `page` is served showing it. */
      const timed = async (label: string, mutate: () => Promise<void>, page: string, shows: (html: string) => boolean): Promise<number> => {
        const began = Date.now();
        await mutate();
        for (;;) {
          const response = await fetch(`${site}${page}`);
          if (shows(await response.text())) break;
          if (Date.now() - began > 300_000) throw new Error(`${label} was not published within 5 minutes`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const elapsed = Date.now() - began;
        console.log(`  ${label}: ${elapsed} ms`);
        return elapsed;
      };
      // Listed products not yet featured: a new price keeps them where they are in curation.
      const { managedProducts } = await gql<{ managedProducts: { nodes: { id: string; slug: string; priceRupiah: number }[] } }>(
        `{ managedProducts(first: ${changes}, filter: { curationStatuses: [SUBMITTED, IN_REVIEW] }) { nodes { id slug priceRupiah } } }`,
      );
      const latencies: number[] = [];
      for (const product of managedProducts.nodes) {
        const price = product.priceRupiah + 500;
        const shown = `data-price>Rp ${price.toLocaleString('id-ID')}<`;
        latencies.push(
          await timed(
            `change ${latencies.length + 1}`,
            () => gql(`mutation { updateProduct(id: "${product.id}", input: { priceRupiah: ${price} }) { id } }`).then(() => {}),
            `/produk/${product.slug}/`,
            (html) => html.includes(shown),
          ),
        );
      }
      // The other subgraphs' changes (issue 21's session): each kind timed until the page it
      // changes is served, the publish having drawn every page that shows it.
      const others = Number(process.env['PUBLISH_BENCH_OTHER_CHANGES'] || 5);
      const { pesantrenList } = await gql<{ pesantrenList: { nodes: { id: string; slug: string }[] } }>(`{ pesantrenList(first: ${others}) { nodes { id slug } } }`);
      const kinds: { kind: string; latencies: number[] }[] = [
        { kind: 'a pesantren profile edit (its page, its products\' pages, its partners\' and articles\' pages, the lists)', latencies: [] },
        { kind: 'a recorded engagement (its partner\'s page and its pesantren\'s)', latencies: [] },
        { kind: 'a published article (its page, the news list, its pesantren\'s pages)', latencies: [] },
      ];
      for (const [index, pesantren] of pesantrenList.nodes.entries()) {
        const address = `Jl. Bench Terbit No. ${index + 1}, Desa Uji Publikasi`;
        kinds[0]!.latencies.push(
          await timed(`pesantren edit ${index + 1}`, () => gql(`mutation { updatePesantren(id: "${pesantren.id}", input: { address: "${address}" }) { id } }`).then(() => {}), `/pesantren/${pesantren.slug}/`, (html) => html.includes(address)),
        );
        const title = `Pendampingan bench terbit ${index + 1}`;
        kinds[1]!.latencies.push(
          await timed(
            `engagement ${index + 1}`,
            () => gql(`mutation { createEngagement(input: { partnerSlug: "bank-indonesia", aspect: MARKETING, titleIndonesian: "${title}", startsOn: "2026-11-01", pesantrenIds: ["${pesantren.id}"] }) { id } }`).then(() => {}),
            `/pesantren/${pesantren.slug}/`,
            (html) => html.includes(title),
          ),
        );
        const headline = `Santri bench terbit ${index + 1}`;
        kinds[2]!.latencies.push(
          await timed(
            `article ${index + 1}`,
            () => gql(`mutation { publishArticle(input: { outletSlug: "times-indonesia", titleIndonesian: "${headline}", bodyMarkdown: "Santri menyiapkan produk.", pesantrenIds: ["${pesantren.id}"] }) { slug } }`).then(() => {}),
            '/berita/',
            (html) => html.includes(headline),
          ),
        );
      }
      console.log('  full rebuild for comparison …');
      const fullStarted = performance.now();
      const fullDir = join(dir, 'full');
      await buildStorefront(api, fullDir);
      const full = (performance.now() - fullStarted) / 1000;
      const p50 = percentile(latencies, 50) / 1000;
      const p95 = percentile(latencies, 95) / 1000;
      return {
        title: 'Incremental publishing (issue 20)',
        body: `A listed product's price changed through the router (\`updateProduct\`), timed until the storefront serves its page with the new price; ${latencies.length} changes one after another, the platform on embedded PostgreSQL (PGlite) with \`--scale ${scale}\` data, the catalogue's relay and the storefront's publisher as \`npm start\` runs them. Against a full \`npm run build\` from the same API in the same run.

| | time |
|---|---|
| mutation to served page, p50 | ${p50.toFixed(1)} s |
| mutation to served page, p95 | ${p95.toFixed(1)} s (goal: under 30 s) — **${p95 < 30 ? 'goal met' : 'goal missed'}** |
| worst of ${latencies.length} | ${(Math.max(...latencies) / 1000).toFixed(1)} s |
| full rebuild (\`npm run build\`) | ${full.toFixed(1)} s |

Most of a publish is the partial build reading the whole catalogue through the API (the listing pages and the manifest need it) and Vite bundling the islands again; the pages themselves are few.

The other subgraphs' changes in the same run, ${others} of each kind one after another (each through the router as the office, timed until the page named is served):

| change | timed until | p50 | worst of ${others} |
|---|---|---|---|
${kinds.map(({ kind, latencies }, index) => `| ${kind} | ${['its page shows the new address', 'its pesantren\'s page shows it', 'the news list shows it'][index]} | ${(percentile(latencies, 50) / 1000).toFixed(1)} s | ${(Math.max(...latencies) / 1000).toFixed(1)} s |`).join('\n')}`,
      };
    } finally {
      platform.kill('SIGTERM');
      await new Promise((resolve) => platform.on('exit', resolve));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
