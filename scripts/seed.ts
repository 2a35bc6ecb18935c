import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, stackFrom } from './stack.ts';

/**
 * `npm run seed -- --scale demo|medium|full`: replaces every subgraph's data with the generated world
 * of that scale (full: the programme's 4,452 pesantren and 100,000 products; medium: a tenth). The subgraphs load in
 * parallel, each into its own database; stop `npm start` first when running on PGlite.
 */
const args = process.argv.slice(2);
const { dataDir: DATA_DIR, subgraphs } = stackFrom(process.env);
const started = performance.now();

const results = await Promise.all(
  subgraphs.map(
    (service) =>
      new Promise<number>((resolve) => {
        const child = spawn(process.execPath, [`subgraphs/${service.name}/src/seed.ts`, ...args], {
          cwd: ROOT,
          env: { ...process.env, DATA_DIR },
          stdio: 'inherit',
        });
        child.on('exit', (code) => resolve(code ?? 1));
      }),
  ),
);

async function folderBytes(path: string): Promise<number> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  const sizes = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? folderBytes(join(path, entry.name)) : stat(join(path, entry.name)).then((s) => s.size))),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

if (results.some((code) => code !== 0)) {
  console.error('Seeding failed; the subgraphs that failed kept their previous data.');
  process.exit(1);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const where = process.env['DATABASE_URL']
  ? 'PostgreSQL (DATABASE_URL)'
  : `${join(DATA_DIR, 'pglite')}, ${(await folderBytes(join(DATA_DIR, 'pglite'))) / 2 ** 20 | 0} MiB on disk`;
console.log(`Seeded every subgraph in ${seconds} s: ${where}.`);
