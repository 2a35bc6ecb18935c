import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { selectedFields } from './pagination.ts';

/**
 * Reads narrowed to what a selection needs (issue 21): a record read of only the columns the
 * selected fields' resolvers read, chosen from a fixed few column sets.
 *
 * Why a fixed few rather than exactly the selected columns: each set is its own SQL text, a
 * prepared statement on every pooled connection (records.ts), and an exact set per selection would
 * let clients create as many as there are subsets of the type's fields.
 */

/** A set of columns a read selects, by the record properties they hold; `properties: null` is the whole row. */
export interface ColumnRead<TProperty extends string = string> {
  name: string;
  properties: readonly TProperty[] | null;
}

export const WHOLE_ROW: ColumnRead<never> = Object.freeze({ name: 'whole row', properties: null });

/**
 * Checks a type's narrowed reads once, where they are declared: names of their own (a read's SQL
 * may be kept by its name) and each read holding every column of the one before it, so that a
 * field answered correctly from the smallest read that covers it is answered correctly from every
 * larger one (tests check each field in its smallest read only).
 */
export function checkNarrowReads(type: string, reads: readonly ColumnRead[]): void {
  if (new Set([...reads, WHOLE_ROW].map((read) => read.name)).size !== reads.length + 1) throw new Error(`each ${type} read needs a name of its own`);
  for (const [index, read] of reads.entries()) {
    const before = reads[index - 1];
    if (!read.properties) throw new Error(`${type} read "${read.name}": the whole row is WHOLE_ROW, not one of the narrowed reads`);
    if (before && !before.properties!.every((property) => read.properties!.includes(property))) throw new Error(`${type} read "${read.name}" must hold every column of "${before.name}"`);
  }
}

/**
 * The smallest of `reads` that holds every property the selected fields read (`fieldReads`:
 * what each field's resolvers read of a record); the whole row when none does, or when a field
 * is not in `fieldReads` (a name this code does not know reads everything, to be safe).
 */
export function readCovering<TProperty extends string>(
  selected: Iterable<string>,
  fieldReads: Readonly<Record<string, readonly TProperty[]>>,
  reads: readonly ColumnRead<TProperty>[],
): ColumnRead<TProperty> {
  const needed = new Set<TProperty>();
  for (const field of selected) {
    if (field === '__typename') continue;
    const read = Object.hasOwn(fieldReads, field) ? fieldReads[field] : undefined;
    if (!read) return WHOLE_ROW;
    for (const property of read) needed.add(property);
  }
  return reads.find((read) => [...needed].every((property) => read.properties!.includes(property))) ?? WHOLE_ROW;
}

/**
 * `readCovering` for the fields a resolver's selection asks of the value it returns, kept per
 * field node: the same admitted document asks the same fields each time, and `_entities` asks
 * once per reference (273 times for the partners listing at programme scale). Only a field asked
 * once in its selection set is kept: where several are merged under one name (`@include` on one
 * of them, or another operation of the same document merging more), the same first node can come
 * with other nodes from one request to the next, so their read is worked out each time (found by
 * an adversarial review: the kept read lacked a column the next request's field needed).
 */
export function readForSelection<TProperty extends string>(
  fieldReads: Readonly<Record<string, readonly TProperty[]>>,
  reads: readonly ColumnRead<TProperty>[],
): (info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>) => ColumnRead<TProperty> {
  const known = new WeakMap<FieldNode, ColumnRead<TProperty>>();
  return (info) => {
    const node = info.fieldNodes[0];
    if (!node) return WHOLE_ROW;
    if (info.fieldNodes.length > 1) return readCovering(selectedFields(info), fieldReads, reads);
    let read = known.get(node);
    if (!read) known.set(node, (read = readCovering(selectedFields(info), fieldReads, reads)));
    return read;
  };
}
