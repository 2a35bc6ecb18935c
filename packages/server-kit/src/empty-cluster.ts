import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * An image of an empty PGlite cluster, so a new embedded database starts from a copy instead of
 * running initdb. initdb in WebAssembly is most of what opening a new PGlite database costs
 * (5.7 s against 1.2 s loading this image, on one core of a quiet CI machine), and the test suites
 * open hundreds of them (every subgraph of every suite on PGlite, every platform a browser suite
 * starts), as does a first `npm start` (one per service). The image is what initdb leaves, before
 * any schema or row, so a database loaded from it is the same as a new one; PGlite loads it only
 * into a folder that holds no cluster yet.
 *
 * Made once per PGlite version and kept in the system's temporary folder for the other
 * processes of the run (written under a temporary name, then renamed, so no process reads half
 * of it); within a process it is read once.
 */
let image: Promise<Blob> | undefined;

export function emptyClusterImage(): Promise<Blob> {
  image ??= (async () => {
    const file = join(tmpdir(), `opop-pglite-${pgliteVersion()}-empty-cluster.tar`);
    try {
      return new Blob([await readFile(file)]);
    } catch {
      // Not made yet (or unreadable): make it.
    }
    const cluster = await PGlite.create();
    let made: Blob;
    try {
      made = await cluster.dumpDataDir('none');
    } finally {
      await cluster.close();
    }
    // Keeping it for other processes only saves time: a folder that cannot be written costs nothing more.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await made.arrayBuffer()))
      .then(() => rename(partial, file))
      .catch(() => undefined);
    return made;
  })();
  // A failure is not kept: the next database asks again.
  image.catch(() => (image = undefined));
  return image;
}

function pgliteVersion(): string {
  // The package exports no package.json; it sits above its entry point.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = createRequire(entry)(join(dirname(entry), '..', 'package.json')) as { version: string };
  return manifest.version;
}
