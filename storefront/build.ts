/**
 * `npm run build`: builds the storefront from the supergraph. It uses the router at
 * STOREFRONT_API_URL (default http://127.0.0.1:4000/graphql) when one answers there; otherwise it
 * starts the platform itself on embedded PostgreSQL with the demo data, builds, and stops it.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as bundle } from 'esbuild';

const storefrontDir = fileURLToPath(new URL('.', import.meta.url));

/** Where the site is built; STOREFRONT_DIST moves it (tests build into temporary folders). */
export const storefrontDist = (env: NodeJS.ProcessEnv): string => env['STOREFRONT_DIST'] || join(storefrontDir, 'dist');

/** The CLI file is not among astro's exports; its package.json is, and names it. */
async function astroCli(): Promise<string> {
  const astroPackage = fileURLToPath(import.meta.resolve('astro/package.json'));
  return join(dirname(astroPackage), (JSON.parse(await readFile(astroPackage, 'utf8')) as { bin: { astro: string } }).bin.astro);
}

/** Whether a GraphQL API answers at `url`. */
export async function answers(url: string): Promise<boolean> {
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
        // A widget asks for queries by their hash alone (core.ts), so a query's text, which carries
        // a hash, is left out of the script; mutations keep theirs.
        name: 'pure-documents',
        setup(build) {
          build.onLoad({ filter: /generated[\\/]operations\.ts$/ }, async ({ path }) => ({
            contents: (await readFile(path, 'utf8'))
              .replace(/new TypedDocumentString\(`[^`]*`, (\{ hash: '[0-9a-f]{64}' \})\)/g, "new TypedDocumentString('', $1)")
              .replaceAll('= new TypedDocumentString(', '= /* @__PURE__ */ new TypedDocumentString('),
            loader: 'ts',
          }));
        },
      },
    ],
  });
}

/**
 * `astro build` from the API at `url` into a new folder of its own under storefront/.builds/,
 * returned. Astro keeps a build's server chunks under its output folder when that lies in the
 * project (else in storefront/.astro/, which two builds at once, a full one and the publisher's,
 * would overwrite for each other), and those chunks must sit in the project to find its packages.
 */
export async function astroBuild(url: string, env: Record<string, string> = {}, stdio: 'inherit' | 'pipe' = 'inherit'): Promise<string> {
  const cli = await astroCli();
  const outDir = join(storefrontDir, '.builds', randomUUID());
  await mkdir(outDir, { recursive: true });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [cli, 'build', '--silent'], {
        cwd: storefrontDir,
        stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...env, STOREFRONT_API_URL: url, STOREFRONT_DIST: outDir, ASTRO_TELEMETRY_DISABLED: '1' },
      });
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`astro build exited with ${code}${output ? `: ${output.slice(-2000)}` : ''}`))));
    });
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  return outDir;
}

export async function buildStorefront(url: string, outDir: string): Promise<void> {
  const started = performance.now();
  const built = await astroBuild(url);
  await buildWidgets(built);
  // Into place: a rename on the same disk, a copy across disks (a temporary folder in tests).
  await rm(outDir, { recursive: true, force: true });
  await mkdir(dirname(resolvePath(outDir)), { recursive: true });
  await rename(built, outDir).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EXDEV') throw error;
    await cp(built, outDir, { recursive: true });
    await rm(built, { recursive: true, force: true });
  });
  console.log(`Storefront built in ${((performance.now() - started) / 1000).toFixed(1)} s → ${outDir}`);
}

if (import.meta.main) {
  const apiUrl = process.env['STOREFRONT_API_URL'] || 'http://127.0.0.1:4000/graphql';
  const outDir = storefrontDist(process.env);
  if (await answers(apiUrl)) {
    await buildStorefront(apiUrl, outDir);
  } else {
    console.log(`No API at ${apiUrl}: starting the platform on embedded PostgreSQL for the build …`);
    // Loaded only here: the storefront's container has its own dependencies, not the platform's.
    const { startPlatform } = await import('../scripts/platform.ts');
    const platform = await startPlatform({ quiet: true, env: { ...process.env, CONSOLE: 'off', STOREFRONT: 'off' } });
    try {
      await buildStorefront(platform.routerUrl, outDir);
    } finally {
      await platform.stop();
    }
  }
}
