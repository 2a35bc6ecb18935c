import { Kind, parse, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { gatewayRequire } from '../src/gateway-modules.ts';
import { memoizeGatewayOperations } from '../src/operation-memo.ts';

const internals = gatewayRequire('@apollo/federation-internals') as {
  buildSchema: (sdl: string) => { toAPISchema: () => object };
  operationFromDocument: (schema: object, document: DocumentNode, options?: object) => { toString: () => string };
};

/** The document the gateway's executor builds for each request: the operation and its fragments, parsed once. */
const executorDocument = (parsed: DocumentNode): DocumentNode => ({ kind: Kind.DOCUMENT, definitions: [...parsed.definitions] });

describe("the memo of the gateway's operations", () => {
  const schema = internals.buildSchema('type Query { product(slug: String): Product } type Product { name: String price: Int }').toAPISchema();
  const parsed = parse('query P($slug: String) { product(slug: $slug) { ...F price } } fragment F on Product { name }');

  it('is installed where the gateway reads it, and gives the same operation for the same parsed document and schema', () => {
    expect(memoizeGatewayOperations()).toBe(true);
    // Installing twice wraps once.
    expect(memoizeGatewayOperations()).toBe(true);
    const first = internals.operationFromDocument(schema, executorDocument(parsed), { validate: false });
    const second = internals.operationFromDocument(schema, executorDocument(parsed), { validate: false });
    expect(second).toBe(first);
    expect(first.toString()).toContain('product(slug: $slug)');
  });

  it('builds anew for another parse of the text, another schema, other fragments, or a call that validates', () => {
    memoizeGatewayOperations();
    const first = internals.operationFromDocument(schema, executorDocument(parsed), { validate: false });
    const reparsed = parse('query P($slug: String) { product(slug: $slug) { ...F price } } fragment F on Product { name }');
    expect(internals.operationFromDocument(schema, executorDocument(reparsed), { validate: false })).not.toBe(first);
    const otherSchema = internals.buildSchema('type Query { product(slug: String): Product } type Product { name: String price: Int stock: Int }').toAPISchema();
    expect(internals.operationFromDocument(otherSchema, executorDocument(parsed), { validate: false })).not.toBe(first);
    const otherFragment = parse('fragment F on Product { price }').definitions[0]!;
    const swapped: DocumentNode = { kind: Kind.DOCUMENT, definitions: [parsed.definitions[0]!, otherFragment] };
    const withOther = internals.operationFromDocument(schema, swapped, { validate: false });
    expect(withOther).not.toBe(first);
    expect(withOther.toString()).not.toContain('name');
    expect(internals.operationFromDocument(schema, executorDocument(parsed))).not.toBe(first);
    // A document without definitions is the builder's to refuse, as before.
    expect(() => internals.operationFromDocument(schema, { kind: Kind.DOCUMENT, definitions: [] }, { validate: false })).toThrow();
  });
});
