import type { EntityClass } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import type { EntityManager } from './database.ts';
import { readStatement, recordReader } from './records.ts';

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

type Direction = 'asc' | 'desc';

export interface FirstPerGroupOptions {
  /** The groups wanted: values of `groupBy`. */
  keys: readonly string[];
  /** The property (a column, or a many-to-one) whose value groups the rows: `pesantrenId`, `partner`. */
  groupBy: string;
  /**
   * When the groups come from a link entity instead (an engagement's pesantren): `groupBy` is a
   * property of `entity`, and `to` its many-to-one to the entity read.
   */
  through?: { entity: EntityClass<object>; to: string };
  /** Properties of the entity read (columns or many-to-ones), the order within each group. */
  orderBy: Readonly<Record<string, Direction>>;
  /** The most rows any group answers with: a list field's @listSize maximum. */
  limit: number;
}

const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** The parts of a grouped read's SQL: what to read from, the grouping column, the order within a group. */
function groupedSource(em: EntityManager, entity: EntityClass<object>, options: Omit<FirstPerGroupOptions, 'keys' | 'limit' | 'orderBy'> & { orderBy?: FirstPerGroupOptions['orderBy'] }) {
  // What the query needs of MikroORM's metadata: tables, columns, the primary key.
  type Meta = { className: string; tableName: string; schema?: string; primaryKeys: string[]; properties: Record<string, { fieldNames?: string[]; columnTypes?: string[] } | undefined> };
  const metaOf = (target: EntityClass<object>) => em.getMetadata().get(target) as unknown as Meta;
  const meta = metaOf(entity);
  const columnOf = (owner: Meta, property: string): string => {
    const fieldNames = owner.properties[property]?.fieldNames;
    if (fieldNames?.length !== 1) throw new Error(`firstPerGroup: ${owner.className}.${property} is not a single column`);
    return quoted(fieldNames[0]!);
  };
  const tableOf = (owner: Meta) => {
    const schema = owner.schema && owner.schema !== '*' ? owner.schema : em.config.get('schema');
    return schema ? `${quoted(schema)}.${quoted(owner.tableName)}` : quoted(owner.tableName);
  };
  const link = options.through && metaOf(options.through.entity);
  const source = link
    ? `${tableOf(meta)} t join ${tableOf(link)} g on g.${columnOf(link, options.through!.to)} = t.${columnOf(meta, meta.primaryKeys[0]!)}`
    : `${tableOf(meta)} t`;
  const groupOwner = link ?? meta;
  const group = `${link ? 'g' : 't'}.${columnOf(groupOwner, options.groupBy)}`;
  // The keys arrive as one array parameter, unnested: its type is the grouping column's.
  const groupType = groupOwner.properties[options.groupBy]?.columnTypes?.[0];
  if (!groupType || !/^[a-z][a-z0-9 ()]*$/i.test(groupType)) throw new Error(`firstPerGroup: ${groupOwner.className}.${options.groupBy} has no plain column type`);
  const order = Object.entries(options.orderBy ?? {}).map(([property, direction]) => `t.${columnOf(meta, property)} ${direction === 'desc' ? 'desc' : 'asc'}`);
  return { source, group, keys: `unnest(?::${groupType}[]) with ordinality as k(key, position)`, order: order.join(', ') };
}

/**
 * The first `limit` rows of each group, in `orderBy` order, in one SQL query however many groups
 * are asked for, each row made an item by `toItem` (from the row without its `group_key` and
 * `group_position`), by a prepared statement. A group with no rows is absent.
 *
 * Each group is read by its own index scan, `limit` deep (a lateral join over the keys), rather
 * than every row of every group ranked by a window function and most thrown away: at programme
 * scale the storefront's partners page asks six pesantren of each of 57 engagements, which have
 * 1,187, and the window read and sorted them all (1.2 ms in PostgreSQL, 0.23 ms as lateral
 * reads). The grouping column must be indexed (a many-to-one's is).
 */
async function firstItemsPerGroup<T>(em: EntityManager, entity: EntityClass<object>, options: FirstPerGroupOptions, toItem: (columns: Record<string, unknown>) => T): Promise<Map<string, T[]>> {
  const result = new Map<string, T[]>();
  if (options.keys.length === 0) return result;
  const { source, group, keys, order } = groupedSource(em, entity, options);
  const ordered = order ? `order by ${order}` : '';
  const rows = await readStatement(
    em,
    `select ranked.*, k.key as group_key from ${keys}
     cross join lateral (
       select t.*, row_number() over (${ordered}) as group_position
       from ${source}
       where ${group} = k.key
       ${ordered} limit ?
     ) ranked order by k.position, ranked.group_position`,
    // Each key once: a key given twice would be unnested twice and its rows answered twice.
    [[...new Set(options.keys)], options.limit],
  );
  for (const { group_key: key, group_position: _position, ...columns } of rows) {
    let items = result.get(String(key));
    if (!items) result.set(String(key), (items = []));
    items.push(toItem(columns));
  }
  return result;
}

/**
 * The first `limit` entities of each group, in `orderBy` order, in one SQL query however many
 * groups are asked for: for list fields whose SDL declares a maximum (`@listSize(assumedSize: N)`),
 * so the list never answers more than the router's cost model counted. A group with no rows is
 * absent from the map.
 */
export function firstPerGroup<T extends object>(em: EntityManager, entity: EntityClass<T>, options: FirstPerGroupOptions): Promise<Map<string, T[]>> {
  return firstItemsPerGroup(em, entity, options, (columns) => em.map(entity, columns as never) as T);
}

/**
 * firstPerGroup's rows as plain records (see records.ts): for lists that are only answered, never
 * changed. The storefront's partners page reads three engagements of every partner and six
 * pesantren of each: hydrating those as entities was a sixth of the partners subgraph's time at
 * programme scale.
 */
export function firstRecordsPerGroup<TRecord>(em: EntityManager, entity: EntityClass<object>, options: FirstPerGroupOptions): Promise<Map<string, TRecord[]>> {
  const reader = recordReader(em, entity);
  return firstItemsPerGroup(em, entity, options, (columns) => reader.toRecord(columns) as TRecord);
}

/** How many rows each group has (0 for a key with none), in the order of `keys`, with one grouped query. */
export async function countPerGroup(em: EntityManager, entity: EntityClass<object>, options: Pick<FirstPerGroupOptions, 'keys' | 'groupBy' | 'through'>): Promise<number[]> {
  if (options.keys.length === 0) return [];
  const { source, group, keys } = groupedSource(em, entity, options);
  // Counted per key from the grouping column's index, as firstItemsPerGroup reads: a grouped count
  // over `= any(keys)` scanned the whole link table at programme scale (0.78 ms against 0.30).
  const rows = await readStatement(em, `select k.key as group_key, (select count(*)::int from ${source} where ${group} = k.key) as total from ${keys}`, [[...new Set(options.keys)]]);
  const totals = new Map(rows.map((row) => [String(row['group_key']), Number(row['total'])]));
  return options.keys.map((key) => totals.get(key) ?? 0);
}

/** Loads each key's list from the groups `findGroups` answers (firstPerGroup's); a key with none answers an empty list. */
export function loaderOfGroups<T>(findGroups: (keys: readonly string[]) => Promise<Map<string, T[]>>): DataLoader<string, T[]> {
  return new DataLoader(async (keys) => byKey(keys, await findGroups(keys), []));
}

/**
 * A request's loaders of one kind, one per variant asked for (a page size, a column set), each
 * batching its own keys: a list read 3 deep and one read 100 deep, or references read as cards
 * and as whole rows, are each one query. Variants are told apart by identity (`===`).
 */
export function loaderPer<TVariant, TLoader>(create: (variant: TVariant) => TLoader): (variant: TVariant) => TLoader {
  const loaders = new Map<TVariant, TLoader>();
  return (variant) => {
    let loader = loaders.get(variant);
    if (!loader) loaders.set(variant, (loader = create(variant)));
    return loader;
  };
}
