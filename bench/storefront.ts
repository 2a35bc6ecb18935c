import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { freePort } from '../storefront/test/platform.ts';
import type { BenchResult } from './measure.ts';

/**
 * The storefront (issue 6): build time and output size at demo scale and at 10,000 products,
 * JavaScript shipped per page template, and Lighthouse's scores on the four main templates.
 * Runs the platform on its own embedded databases and ports, so nothing else is touched.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

interface BuildFigures {
  seconds: number;
  pages: number;
  bytes: number;
  brotliBytes: number;
}

async function measureOutput(dist: string): Promise<Omit<BuildFigures, 'seconds'>> {
  const files = (await readdir(dist, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  let pages = 0;
  let bytes = 0;
  let brotliBytes = 0;
  for (const file of files) {
    const content = await readFile(file);
    bytes += content.length;
    if (file.endsWith('index.html')) pages++;
    // What the server sends: text as Brotli (quality 5, as serve.ts does), images as they are.
    brotliBytes += /\.(html|js|css|xml|txt|svg|json)$/.test(file) ? brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }).length : content.length;
  }
  return { pages, bytes, brotliBytes };
}

/** Gzipped JavaScript a page loads: its module scripts and every chunk they import. */
async function javascriptOf(dist: string, page: string): Promise<number> {
  const html = await readFile(join(dist, page, 'index.html'), 'utf8');
  const pending = [...html.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  let total = 0;
  while (pending.length > 0) {
    const src = pending.pop()!;
    if (seen.has(src)) continue;
    seen.add(src);
    const code = await readFile(join(dist, src));
    total += gzipSync(code, { level: 9 }).length;
    for (const m of code.toString('utf8').matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) pending.push(`/_astro/${m[1]}`);
  }
  return total;
}

function run(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

export async function storefrontBuild(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'opop-bench-storefront-'));
  // The platform's modules read ports and folders when imported, so set them first.
  const env: Record<string, string> = { DATA_DIR: join(dir, 'data'), DATABASE_URL: '', LOG_LEVEL: 'warn', PORT: String(await freePort()) };
  for (const name of ['CATALOGUE', 'PESANTREN', 'ACADEMICS', 'PARTNERS', 'MEDIA']) env[`${name}_PORT`] = String(await freePort());
  Object.assign(process.env, env);
  const { startPlatform } = await import('../scripts/platform.ts');
  const { buildStorefront } = await import('../storefront/build.ts');
  const { serveStorefront } = await import('../storefront/server/serve.ts');
  const { runLighthouse } = await import('../storefront/test/lighthouse.ts');

  async function buildAt(name: string): Promise<BuildFigures & { dist: string; lighthouse?: { path: string; scores: Record<string, number> }[]; javascript?: [string, number][] }> {
    const dist = join(dir, `dist-${name}`);
    const platform = await startPlatform({ quiet: true });
    try {
      const started = performance.now();
      await buildStorefront(platform.routerUrl, dist);
      const seconds = (performance.now() - started) / 1000;
      const output = await measureOutput(dist);
      if (name !== 'demo') return { seconds, ...output, dist };
      // A page of each kind: folders named by slug (numbered folders are listing pages).
      const firstPage = async (folder: string) =>
        (await readdir(join(dist, folder), { withFileTypes: true })).find((entry) => entry.isDirectory() && !/^\d+$/.test(entry.name))!.name;
      const product = await firstPage('produk');
      const category = await firstPage('katalog/kategori');
      const templates: [string, string][] = [
        ['home', ''],
        ['listing', `katalog/kategori/${category}`],
        ['product', `produk/${product}`],
        ['pesantren', `pesantren/${await firstPage('pesantren')}`],
        ['article', `berita/${await firstPage('berita')}`],
        ['search', 'cari'],
        ['cart', 'keranjang'],
      ];
      const javascript: [string, number][] = [];
      for (const [template, page] of templates) javascript.push([template, await javascriptOf(dist, page)]);
      const port = await freePort();
      const server = await serveStorefront({ port, apiUrl: platform.routerUrl, distDir: dist });
      const lighthouse = [];
      try {
        for (const path of ['/', `/katalog/kategori/${category}/`, `/produk/${product}/`, '/cari/?q=kripik%20tempe']) {
          lighthouse.push({ path, scores: (await runLighthouse(`http://127.0.0.1:${port}${path}`)).scores });
        }
      } finally {
        server.close();
      }
      return { seconds, ...output, dist, javascript, lighthouse };
    } finally {
      await platform.stop();
    }
  }

  try {
    console.log('  storefront at demo scale …');
    const demo = await buildAt('demo');
    console.log('  loading 10,000 products (npm run seed -- --scale medium) …');
    await run(['scripts/seed.ts', '--scale', 'medium'], env);
    console.log('  storefront at 10,000 products …');
    const medium = await buildAt('medium');
    const productPageJs = demo.javascript!.find(([template]) => template === 'product')![1];
    const row = (label: string, b: BuildFigures) => `| ${label} | ${b.pages.toLocaleString('en')} | ${b.seconds.toFixed(1)} s | ${mib(b.bytes)} | ${mib(b.brotliBytes)} |`;
    const allHundred = demo.lighthouse!.every(({ scores }) => Object.values(scores).every((score) => score === 100));
    const body = `Static build from the running API (\`npm run build\`) on embedded PostgreSQL: reading the data, then rendering and writing every page in both languages. The server compresses text with Brotli when it is first asked for; the last column is what it sends.

| data | pages | build time | output | sent (Brotli) |
|---|---|---|---|---|
${row('demo (320 products, 64 pesantren)', demo)}
${row('10,000 products, 445 pesantren (`--scale medium`)', medium)}

Build at 10,000 products: ${medium.seconds.toFixed(1)} s (target: under 60 s) — **${medium.seconds < 60 ? 'target met' : 'target missed'}**.

JavaScript shipped per page template (gzipped, all chunks it loads): ${demo.javascript!.map(([template, bytes]) => `${template} ${kib(bytes)}`).join(', ')}. Product page: ${kib(productPageJs)} (target: under 15 KB) — **${productPageJs < 15 * 1024 ? 'target met' : 'target missed'}**.

Lighthouse 13 (mobile profile, simulated slow 4G), performance / accessibility / best practices / SEO:

| page | scores |
|---|---|
${demo.lighthouse!.map(({ path, scores }) => `| \`${path}\` | ${Object.values(scores).join(' / ')} |`).join('\n')}

${allHundred ? '**All 100.**' : '**Not all 100**; see the table.'}`;
    return { title: 'Storefront build, size and Lighthouse (issue 6)', body };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
