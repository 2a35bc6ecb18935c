import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem, type as osType, release } from 'node:os';

export interface Timing {
  iterations: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Runs `work` sequentially: `warmup` times unmeasured, then `iterations` times timed (ms). */
export async function measure(work: () => Promise<unknown>, { warmup = 20, iterations = 200 } = {}): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => percentile(samples, q);
  return { iterations, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

/** The `q` quantile (0–1) of samples sorted ascending: the smallest sample at or above that share. */
export const percentile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

export const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
export const ratio = (value: number) => `${value < 0.1 ? value.toFixed(3) : value.toFixed(2)}×`;

/** The versions the figures were measured with: the packages on the hot paths, and PostgreSQL's. */
export async function versions(databaseUrl: string | undefined): Promise<string> {
  // Read from the install itself: some packages do not export their package.json.
  const root = new URL('../', import.meta.url);
  const places = ['node_modules/', 'subgraphs/catalogue/node_modules/', 'router/node_modules/'];
  const packages = ['@apollo/gateway', '@apollo/server', '@apollo/subgraph', 'graphql', '@mikro-orm/core', 'pg', 'fastify', 'undici', 'astro', 'minisearch'];
  const installed = packages.map((name) => {
    for (const place of places) {
      const file = new URL(`${place}${name}/package.json`, root);
      if (existsSync(file)) return `${name} ${(JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version}`;
    }
    return `${name} (not installed)`;
  });
  let database = 'PGlite (no PostgreSQL URL given)';
  if (databaseUrl) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: databaseUrl });
    try {
      await client.connect();
      database = `PostgreSQL ${((await client.query('show server_version')).rows[0] as { server_version: string }).server_version}`;
    } catch {
      database = 'PostgreSQL (version unreadable)';
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return `${database}; ${installed.join(', ')}`;
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${osType()} ${release()}, Node ${process.version}`;
}

/** One section of BENCHMARKS.md. */
export interface BenchResult {
  title: string;
  /** Markdown body: what was measured, the table, and the verdict against the target. */
  body: string;
}
