import DataLoader from 'dataloader';

/**
 * The request-scoped batch loaders every subgraph builds: one SQL query per kind of read,
 * however many fields of a response ask for it (DESIGN.md, "Batch entity resolution").
 */

/** Answers a batch in the order its keys came, with `fallback` for keys nothing was found for. */
export const byKey = <K, V>(keys: readonly K[], found: Map<K, V>, fallback: V): V[] => keys.map((key) => found.get(key) ?? fallback);

/** Loads entities by id; an id that matches nothing answers null. */
export function loaderById<T extends { id: string }>(findByIds: (ids: readonly string[]) => Promise<readonly T[]>): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => byKey(ids, new Map((await findByIds(ids)).map((item) => [item.id, item])), null));
}

/**
 * Loads every item belonging to each key (a pesantren's programmes, an article's links), in the
 * order `findByKeys` returns them; a key with none answers an empty list.
 */
export function loaderGroupedBy<T, K = string>(findByKeys: (keys: readonly K[]) => Promise<readonly T[]>, keyOf: (item: T) => K): DataLoader<K, T[]> {
  return new DataLoader(async (keys) => byKey(keys, Map.groupBy(await findByKeys(keys), keyOf), []));
}
