import type { DefinitionNode, DocumentNode } from 'graphql';
import { gatewayRequire } from './gateway-modules.ts';

type OperationFromDocument = (schema: object, document: DocumentNode, options?: { operationName?: string; validate?: boolean }) => object;

interface Remembered {
  schema: object;
  definitions: readonly DefinitionNode[];
  operation: object;
}

const MEMOIZED = Symbol.for('opop.router.operationMemo');

/**
 * @apollo/gateway 2.14 rebuilds federation-internals' `Operation` (every selection resolved again
 * against the schema) from the request's document on every request it executes, only to shape the
 * subgraphs' data into the answer, although Apollo Server hands it the very same parsed document
 * for the same query text (its document cache). Profiled on the storefront's search: 4% of the
 * router's busy time and 85 KB allocated per request, garbage the collector then pays for.
 *
 * The gateway reads `operationFromDocument` from federation-internals' exports at each call, so a
 * memo installed there serves it. Only the gateway's executor calls it with `validate: false`
 * (the query planner validates, and runs only when a plan is not cached); those calls are
 * remembered by the document's operation node, with the schema and every definition compared by
 * identity, so a new schema (a supergraph update) or a new parse of the text builds anew, and an
 * entry goes when Apollo's cache drops the document. The `Operation` is only read after it is
 * built (result shaping walks it), so requests can share one.
 *
 * Returns whether the memo is in place (false if federation-internals no longer exposes the
 * function this way; the gateway then works as before).
 */
export function memoizeGatewayOperations(): boolean {
  const operations = gatewayRequire('@apollo/federation-internals/dist/operations.js') as { operationFromDocument?: OperationFromDocument & { [MEMOIZED]?: true } };
  const build = operations.operationFromDocument;
  if (typeof build !== 'function') return false;
  if (build[MEMOIZED]) return true;
  const remembered = new WeakMap<DefinitionNode, Remembered>();
  const memoized: OperationFromDocument & { [MEMOIZED]?: true } = (schema, document, options) => {
    const head = document.definitions[0];
    if (options?.validate !== false || options.operationName !== undefined || !head) return build(schema, document, options);
    const known = remembered.get(head);
    if (known && known.schema === schema && sameDefinitions(known.definitions, document.definitions)) return known.operation;
    const operation = build(schema, document, options);
    remembered.set(head, { schema, definitions: [...document.definitions], operation });
    return operation;
  };
  memoized[MEMOIZED] = true;
  operations.operationFromDocument = memoized;
  return operations.operationFromDocument === memoized;
}

function sameDefinitions(a: readonly DefinitionNode[], b: readonly DefinitionNode[]): boolean {
  return a.length === b.length && a.every((definition, index) => definition === b[index]);
}
