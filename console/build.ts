/**
 * `npm run build -w @opop/console`: builds the console's pages (Astro, Node adapter) into
 * console/dist, or CONSOLE_DIST. `npm start` builds it when the sources changed since the last build.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const consoleDir = fileURLToPath(new URL('.', import.meta.url));

export const consoleDist = (env: NodeJS.ProcessEnv): string => env['CONSOLE_DIST'] || join(consoleDir, 'dist');

/** A hash of everything the build reads; stored next to the build to tell when it is stale. */
export async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files: string[] = [join(consoleDir, 'astro.config.ts'), join(consoleDir, 'package.json')];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.push(path);
    }
  };
  await walk(join(consoleDir, 'src'));
  await walk(join(consoleDir, 'public'));
  for (const file of files.sort()) hash.update(relative(consoleDir, file)).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex');
}

const HASH_FILE = '.source-hash';

export async function isBuilt(outDir: string): Promise<boolean> {
  const stored = await readFile(join(outDir, HASH_FILE), 'utf8').catch(() => null);
  return stored === (await sourceHash());
}

export async function buildConsole(outDir: string): Promise<void> {
  const astroPackage = fileURLToPath(import.meta.resolve('astro/package.json'));
  const cli = join(dirname(astroPackage), (JSON.parse(await readFile(astroPackage, 'utf8')) as { bin: { astro: string } }).bin.astro);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'build', '--silent'], {
      cwd: consoleDir,
      stdio: 'inherit',
      env: { ...process.env, CONSOLE_DIST: outDir, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`astro build of the console exited with ${code}`))));
  });
  await writeFile(join(outDir, HASH_FILE), await sourceHash());
}

if (import.meta.main) {
  const started = performance.now();
  const outDir = consoleDist(process.env);
  await buildConsole(outDir);
  console.log(`Console built in ${((performance.now() - started) / 1000).toFixed(1)} s → ${outDir}`);
}
