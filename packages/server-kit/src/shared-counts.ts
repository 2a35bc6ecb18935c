import { LRUCache } from 'lru-cache';

/**
 * Counts shared by every request of one service process, for lists whose exact count over
 * programme-scale tables costs far more than the page it goes with (a group-by or count over
 * 100,000 products took 60–90 ms, on every category menu and first page: BENCHMARKS.md, "Cost
 * per operation"). Each count is kept for `ttlMs`; `clear()` drops them all, which a service calls
 * after its own writes commit, so only another replica's writes can take up to `ttlMs` to show.
 * A count that fails is not kept. The schema says which counts are kept so.
 */
export class SharedCounts {
  readonly #entries: LRUCache<string, Promise<unknown>>;

  /** `now` (milliseconds) is for tests that move time. */
  constructor(ttlMs: number, { max = 1_000, now }: { max?: number; now?: () => number } = {}) {
    this.#entries = new LRUCache({ max, ttl: ttlMs, ...(now ? { perf: { now }, ttlResolution: 0 } : {}) });
  }

  get<T>(key: string, count: () => Promise<T>): Promise<T> {
    let entry = this.#entries.get(key) as Promise<T> | undefined;
    if (!entry) {
      entry = count();
      this.#entries.set(key, entry);
      // Only this entry: a count that fails after a clear must not drop the one started since.
      entry.catch(() => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      });
    }
    return entry;
  }

  clear(): void {
    this.#entries.clear();
  }
}
