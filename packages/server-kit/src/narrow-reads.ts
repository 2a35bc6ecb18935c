import type DataLoader from 'dataloader';
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { loaderById } from './loaders.ts';
import { selectedFields } from './pagination.ts';

/**
 * Which record properties each field of a GraphQL type reads, for reads that fetch only the
 * columns a selection needs. `__typename` needs none and is never listed.
 */
export type FieldProperties = Readonly<Record<string, readonly string[]>>;

/**
 * The properties a resolver's selection needs read, for a type whose records are read by
 * `readRecords` (issue 21: the router's `_entities` batches).
 *
 * Why: the router asks an owner for the same few fields of hundreds of references (a partners
 * listing at programme scale asks the pesantren subgraph for the slug and name of 273), and
 * reading whole rows for them (addresses, awards as JSON, pillars as an array, timestamps) was a
 * cost that grew with every reference. A selection whose every field is in `fields` reads those
 * properties and `key`; anything else (a field the map does not know) reads every column, so a
 * field added to the type without a line here still answers, only without the saving.
 *
 * The answer is kept per field node: the same admitted document asks the same fields each time,
 * and `_entities` calls this once per reference.
 */
export function narrowReadOf(fields: FieldProperties, key = 'id'): (info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>) => readonly string[] | undefined {
  const known = new WeakMap<FieldNode, readonly string[] | null>();
  return (info) => {
    const node = info.fieldNodes[0];
    if (!node) return undefined;
    let properties = known.get(node);
    if (properties === undefined) {
      properties = propertiesFor(selectedFields(info), fields, key);
      known.set(node, properties);
    }
    return properties ?? undefined;
  };
}

function propertiesFor(selected: ReadonlySet<string>, fields: FieldProperties, key: string): readonly string[] | null {
  const properties = new Set([key]);
  for (const field of selected) {
    if (field === '__typename') continue;
    const read = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (!read) return null;
    for (const property of read) properties.add(property);
  }
  return [...properties].sort();
}

/**
 * A request's by-id loaders, one per set of properties read (undefined: every column), so the
 * references of one `_entities` batch are still one query.
 */
export function loaderByIdPerRead<T extends { id: string }>(
  findByIds: (ids: readonly string[], properties: readonly string[] | undefined) => Promise<readonly T[]>,
): (properties: readonly string[] | undefined) => DataLoader<string, T | null> {
  const loaders = new Map<string, DataLoader<string, T | null>>();
  return (properties) => {
    const name = properties ? properties.join(',') : '*';
    let loader = loaders.get(name);
    if (!loader) loaders.set(name, (loader = loaderById((ids) => findByIds(ids, properties))));
    return loader;
  };
}
