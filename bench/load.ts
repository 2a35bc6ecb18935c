import { Pool } from 'undici';

/** What one load run measured. Latencies in ms. */
export interface LoadResult {
  requests: number;
  failed: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface LoadOptions {
  /** Requests in flight at once (each waits for its answer before sending the next). */
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** A bound on the measured requests, whatever the duration. */
  maxRequests: number;
  /** GET: `nextBody` gives the path and query string of each request instead of its body. */
  method?: 'GET' | 'POST';
}

/**
 * A closed-loop load generator on undici's connection pool: `connections` loops each send a
 * request, read the whole answer and send the next, first for `warmupMs` unmeasured, then for
 * `durationMs` (or `maxRequests`) measured. An answer counts as failed unless it is HTTP 200
 * without GraphQL errors. Only for 127.0.0.1: it is bounded in time and requests, not in rate.
 */
export async function load(url: string, nextBody: () => string, headers: Record<string, string>, options: LoadOptions): Promise<LoadResult> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') throw new Error(`load tests target 127.0.0.1 only, not ${target.hostname}`);
  const pool = new Pool(target.origin, { connections: options.connections, pipelining: 1 });
  const requestHeaders = { 'content-type': 'application/json', accept: 'application/json', ...headers };
  const latencies: number[] = [];
  let failed = 0;
  let measuring = false;
  let stopAt = Date.now() + options.warmupMs;

  const once = async () => {
    const started = performance.now();
    const response =
      options.method === 'GET'
        ? await pool.request({ path: nextBody(), method: 'GET', headers: { accept: 'application/json', ...headers } })
        : await pool.request({ path: target.pathname, method: 'POST', headers: requestHeaders, body: nextBody() });
    const text = await response.body.text();
    const elapsed = performance.now() - started;
    if (!measuring) return;
    latencies.push(elapsed);
    if (response.statusCode !== 200 || text.includes('"errors"')) failed++;
  };
  const loop = async () => {
    while (Date.now() < stopAt && latencies.length < options.maxRequests) await once();
  };

  try {
    await Promise.all(Array.from({ length: options.connections }, loop));
    measuring = true;
    const started = performance.now();
    stopAt = Date.now() + options.durationMs;
    await Promise.all(Array.from({ length: options.connections }, loop));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? Number.NaN;
    return { requests: latencies.length, failed, seconds, throughput: latencies.length / seconds, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
  } finally {
    await pool.close();
  }
}

/** Two load runs of one target as one: requests over both runs' seconds; latencies the mean of the two. */
export function both(a: LoadResult, b: LoadResult): LoadResult {
  const mean = (pick: (r: LoadResult) => number) => (pick(a) + pick(b)) / 2;
  return { requests: a.requests + b.requests, failed: a.failed + b.failed, seconds: a.seconds + b.seconds, throughput: (a.requests + b.requests) / (a.seconds + b.seconds), p50: mean((r) => r.p50), p95: mean((r) => r.p95), p99: mean((r) => r.p99) };
}

/**
 * Each target measured twice, there and back (A B C C B A), each run half as long, and the two
 * runs taken as one: whatever warms up or slows down during a section (JIT, caches, other work on
 * the machine) falls on every target alike instead of on whichever ran first or last.
 */
export async function thereAndBack<R extends Record<string, (() => Promise<LoadResult>) | undefined>>(runs: R): Promise<{ [K in keyof R]: undefined extends R[K] ? LoadResult | undefined : LoadResult }> {
  const order = Object.keys(runs).filter((key) => runs[key]);
  const first = new Map<string, LoadResult>();
  for (const key of order) first.set(key, await runs[key]!());
  const result: Record<string, LoadResult | undefined> = Object.fromEntries(Object.keys(runs).map((key) => [key, undefined]));
  for (const key of [...order].reverse()) result[key] = both(first.get(key)!, await runs[key]!());
  return result as { [K in keyof R]: undefined extends R[K] ? LoadResult | undefined : LoadResult };
}
