import { Cursor } from '@mikro-orm/core';
import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { badUserInput } from './errors.ts';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | null;
}

/** `first` bounded so one request cannot ask the database for an unbounded page. */
export function pageSize(first: number | null | undefined, fallback = DEFAULT_PAGE_SIZE): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  }
  return first;
}

/**
 * Cursors are opaque to clients. Each carries the scope it was issued for (entity and sort), so
 * a cursor from one listing used in another is refused instead of comparing a date to a price.
 */
export function pageCursor(after: string | null | undefined, scope: string): string | undefined {
  if (after === null || after === undefined || after === '') return undefined;
  const prefix = `${scope}~`;
  const inner = after.startsWith(prefix) ? after.slice(prefix.length) : undefined;
  try {
    if (!inner) throw new Error('cursor from another listing');
    const decoded = Cursor.decode(inner);
    if (!Array.isArray(decoded) || decoded.length === 0) throw new Error('empty cursor');
    return inner;
  } catch {
    // Says how to get a good one: a developer left out the sort on their second page and read only "not a cursor".
    throw badUserInput('is not a cursor this listing issued: pass the endCursor of a page asked with the same sort', 'after');
  }
}

export const scopedCursor = (scope: string, cursor: string): string => `${scope}~${cursor}`;

export function toConnection<T extends object>(cursor: Cursor<T, never, never, never, boolean>, scope: string): Connection<T> {
  const items = [...cursor.items] as T[];
  const scoped = (value: string | null) => (value === null ? null : scopedCursor(scope, value));
  return {
    edges: items.map((node) => ({ cursor: scopedCursor(scope, cursor.from(node)), node })),
    nodes: items,
    pageInfo: {
      hasNextPage: cursor.hasNextPage,
      hasPreviousPage: cursor.hasPrevPage,
      startCursor: scoped(cursor.startCursor),
      endCursor: scoped(cursor.endCursor),
    },
    totalCount: cursor.totalCount ?? null,
  };
}

/**
 * Whether the client selected `field` directly on the resolved value (through fragments too).
 * Counting rows is a second SQL query; we only pay for it when `totalCount` is asked for.
 */
export function selectsField(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, field: string): boolean {
  return selectedFields(info).has(field);
}

/**
 * The names of the fields the client selected directly on the resolved value, or on the value
 * at `path` below it (`['hits', 'product']`: the fields of each hit's product), through fragments
 * and inline fragments, whatever their type condition or `@include`/`@skip`: a superset of what
 * will be resolved, so a read narrowed to it never lacks what a field needs.
 */
export function selectedFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[] = []): Set<string> {
  // The field nodes at each step of the path, every alias and fragment of them merged.
  let level: (SelectionSetNode | undefined)[] = info.fieldNodes.map((node) => node.selectionSet);
  for (const step of path) level = fieldsOf(level, info).filter((field) => field.name.value === step).map((field) => field.selectionSet);
  return new Set(fieldsOf(level, info).map((field) => field.name.value));
}

function fieldsOf(selectionSets: readonly (SelectionSetNode | undefined)[], info: Pick<GraphQLResolveInfo, 'fragments'>): FieldNode[] {
  const fields: FieldNode[] = [];
  const visited = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (selection.kind === Kind.FRAGMENT_SPREAD && !visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet);
  return fields;
}

export function emptyConnection<T>(): Connection<T> {
  return { edges: [], nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null }, totalCount: 0 };
}

/**
 * The `totalCount` field of every connection type. Listings count only when the field is
 * selected (see selectsField), so a connection without a count here is a listing that forgot to.
 */
export function totalCountOf(connection: { totalCount: number | null }): number {
  if (connection.totalCount === null) throw new Error('totalCount was selected but not computed');
  return connection.totalCount;
}
