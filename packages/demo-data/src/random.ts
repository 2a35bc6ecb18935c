import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { v5 as uuidv5 } from 'uuid';

/** Namespace of every demo identifier, so the same natural key always yields the same UUID. */
const DEMO_NAMESPACE = '6f1c1d1e-7a0b-5c3e-9d2f-0a4b8c6e2f10';

/** A stable UUID for a natural key: two subgraphs seeding separately agree on every key they share. */
export const demoId = (kind: string, key: string | number): string => uuidv5(`${kind}:${key}`, DEMO_NAMESPACE);

/**
 * A seeded random source. Each generated record gets its own stream (`Random.for(key)`), so a
 * record's values do not shift when other records are added or generated in another order.
 */
export class Random {
  readonly #rng: ReturnType<typeof xoroshiro128plus>;

  private constructor(seed: number) {
    this.#rng = xoroshiro128plus(seed);
  }

  static for(key: string): Random {
    let hash = 2166136261;
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
    return new Random(hash >>> 0);
  }

  int(min: number, max: number): number {
    return uniformInt(this.#rng, min, max);
  }

  chance(probability: number): boolean {
    return this.int(0, 9_999) < probability * 10_000;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** `count` distinct items, in their original order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const indexes = new Set<number>();
    while (indexes.size < Math.min(count, items.length)) indexes.add(this.int(0, items.length - 1));
    return [...indexes].sort((a, b) => a - b).map((index) => items[index]!);
  }

  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weight(item), 0);
    let ticket = this.int(0, total - 1);
    for (const item of items) {
      ticket -= weight(item);
      if (ticket < 0) return item;
    }
    return items[items.length - 1]!;
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }
}
