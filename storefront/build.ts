/**
 * `npm run build`: builds the storefront from the supergraph. It uses the router at
 * STOREFRONT_API_URL (default http://127.0.0.1:4000/graphql) when one answers there; otherwise it
 * starts the platform itself on embedded PostgreSQL with the demo data, builds, and stops it.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as bundle } from 'esbuild';
import { startPlatform } from '../scripts/platform.ts';

const storefrontDir = fileURLToPath(new URL('.', import.meta.url));

/** Where the site is built; STOREFRONT_DIST moves it (tests build into temporary folders). */
export const storefrontDist = (env: NodeJS.ProcessEnv): string => env['STOREFRONT_DIST'] || join(storefrontDir, 'dist');

/** The CLI file is not among astro's exports; its package.json is, and names it. */
async function astroCli(): Promise<string> {
  const astroPackage = fileURLToPath(import.meta.resolve('astro/package.json'));
  return join(dirname(astroPackage), (JSON.parse(await readFile(astroPackage, 'utf8')) as { bin: { astro: string } }).bin.astro);
}

/** Whether a GraphQL API answers at `url`. */
async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}', signal: AbortSignal.timeout(3_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * The embeddable widgets, as standalone ES modules in `<outDir>/widgets/`: all of them in one
 * script, and the product card alone for pages that only show cards.
 */
export async function buildWidgets(outDir: string): Promise<void> {
  await bundle({
    entryPoints: { 'opop-widgets': join(storefrontDir, 'widgets/all.ts'), 'opop-product-card': join(storefrontDir, 'widgets/product-card.ts') },
    outdir: join(outDir, 'widgets'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [
      {
        // Generated documents are plain values: marked pure, a widget that does not use one drops it.
        name: 'pure-documents',
        setup(build) {
          build.onLoad({ filter: /generated[\\/]operations\.ts$/ }, async ({ path }) => ({
            contents: (await readFile(path, 'utf8')).replaceAll('= new TypedDocumentString(', '= /* @__PURE__ */ new TypedDocumentString('),
            loader: 'ts',
          }));
        },
      },
    ],
  });
}

export async function buildStorefront(url: string, outDir: string): Promise<void> {
  const started = performance.now();
  const cli = await astroCli();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'build', '--silent'], {
      cwd: storefrontDir,
      stdio: 'inherit',
      env: { ...process.env, STOREFRONT_API_URL: url, STOREFRONT_DIST: outDir, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`astro build exited with ${code}`))));
  });
  await buildWidgets(outDir);
  console.log(`Storefront built in ${((performance.now() - started) / 1000).toFixed(1)} s → ${outDir}`);
}

if (import.meta.main) {
  const apiUrl = process.env['STOREFRONT_API_URL'] || 'http://127.0.0.1:4000/graphql';
  const outDir = storefrontDist(process.env);
  if (await answers(apiUrl)) {
    await buildStorefront(apiUrl, outDir);
  } else {
    console.log(`No API at ${apiUrl}: starting the platform on embedded PostgreSQL for the build …`);
    const platform = await startPlatform({ quiet: true, env: { ...process.env, CONSOLE: 'off' } });
    try {
      await buildStorefront(platform.routerUrl, outDir);
    } finally {
      await platform.stop();
    }
  }
}
