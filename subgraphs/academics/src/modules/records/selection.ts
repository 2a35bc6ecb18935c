import { selectsField } from '@opop/server-kit';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * The leaf fields a request selected under the resolved field, as dotted paths
 * (`nodes.regency.code`), through fragments, by field name rather than alias so an alias cannot
 * disguise what was read. A field under @skip or @include counts as selected: the audit may
 * over-state what left, never under-state it.
 */
export function selectedFieldPaths(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): string[] {
  const paths = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined, prefix: string): void => {
    for (const selection of selectionSet?.selections ?? []) {
      switch (selection.kind) {
        case Kind.FIELD: {
          if (selection.name.value === '__typename') break;
          const path = prefix ? `${prefix}.${selection.name.value}` : selection.name.value;
          if (selection.selectionSet) visit(selection.selectionSet, path);
          else paths.add(path);
          break;
        }
        case Kind.INLINE_FRAGMENT:
          visit(selection.selectionSet, prefix);
          break;
        case Kind.FRAGMENT_SPREAD:
          visit(info.fragments[selection.name.value]?.selectionSet, prefix);
          break;
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, '');
  return [...paths].sort();
}

/** What a request for santri records selected: what the audit records, and what is read to answer it. */
export interface RecordSelection {
  /** As `selectedFieldPaths` gives them. */
  fields: string[];
  /** The records themselves were asked for (not only the count or the page info). */
  nodes: boolean;
  totalCount: boolean;
}

export const recordSelection = (info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): RecordSelection => ({
  fields: selectedFieldPaths(info),
  nodes: selectsField(info, 'nodes'),
  totalCount: selectsField(info, 'totalCount'),
});
