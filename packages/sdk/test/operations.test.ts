import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as storefront from '../../../storefront/src/generated/operations.ts';
import * as widgets from '../../../storefront/widgets/generated/operations.ts';
import { methodName } from '../scripts/api-docs.ts';
import * as sdk from '../src/index.ts';

const root = new URL('../../../', import.meta.url);
const manifest = JSON.parse(await readFile(new URL('schema/persisted-operations.json', root), 'utf8')) as Record<string, string>;
const apiDocs = await readFile(new URL('packages/sdk/API.md', root), 'utf8');

/** The operation documents a generated module exports (fragments are exported too, and are never sent alone). */
function operationsOf(module: Record<string, unknown>): [string, string][] {
  return Object.entries(module)
    .filter(([name, value]) => name.endsWith('Document') && value instanceof String)
    .map(([name, value]) => [name, String(value)]);
}

const operationOf = (text: string) => parse(text).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;

describe('the persisted-operation manifest', () => {
  it('has every document the SDK, the storefront and the widgets send, under the SHA-256 of its exact text', async () => {
    const sent = [...operationsOf(sdk), ...operationsOf(storefront), ...operationsOf(widgets)];
    expect(operationsOf(sdk).length).toBe(Object.keys(sdk.OPERATIONS).length);
    for (const [name, text] of sent) {
      const hash = createHash('sha256').update(text).digest('hex');
      expect(manifest[hash], name).toBe(text);
      expect(await sdk.sha256Hex(text), name).toBe(hash);
    }
    // And nothing else: a document no client sends has no business being allowed.
    expect(new Set(sent.map(([, text]) => text)).size).toBe(Object.keys(manifest).length);
  });

  it('is what the storefront\'s and the widgets\' queries carry as their hash for GET, and no mutation carries one', () => {
    const hashOf = (value: unknown) => (value as { __meta__?: { hash?: string } }).__meta__?.hash;
    for (const module of [storefront, widgets] as Record<string, unknown>[]) {
      const documents = Object.entries(module).filter(([name, value]) => name.endsWith('Document') && value instanceof String);
      const queries = documents.filter(([, value]) => operationOf(String(value)).operation === 'query');
      expect(queries.length).toBeGreaterThan(3);
      for (const [name, value] of queries) expect(hashOf(value), name).toBe(createHash('sha256').update(String(value)).digest('hex'));
      for (const [name, value] of documents.filter(([, value]) => operationOf(String(value)).operation === 'mutation')) expect(hashOf(value), name).toBeUndefined();
    }
  });
});

describe('the SDK operations', () => {
  it('each have one method, named after the operation, resolving to its only root field', () => {
    const documents = operationsOf(sdk);
    for (const [name, text] of documents) {
      const operation = operationOf(text);
      const method = methodName(operation.name!.value);
      expect(sdk.OPERATIONS, name).toHaveProperty(method);
      const entry = sdk.OPERATIONS[method as sdk.OperationName];
      expect(String(entry.document), name).toBe(text);
      expect(operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : s.kind)), name).toEqual([entry.field]);
    }
  });

  it('type each method from its generated document', () => {
    const client = sdk.createClient({ endpoint: 'http://127.0.0.1:9/graphql' });
    expectTypeOf(client.product).parameters.toEqualTypeOf<[variables?: sdk.ProductQueryVariables, options?: sdk.RequestOptions]>();
    expectTypeOf(client.product).returns.resolves.toEqualTypeOf<sdk.ProductQuery['product']>();
    expectTypeOf(client.requestOrder).parameters.toEqualTypeOf<[variables: sdk.RequestOrderMutationVariables, options?: sdk.RequestOptions]>();
    // Checked by the compiler only: called, these would send requests (to a port nothing answers on).
    const _typed = () => {
      expectTypeOf(client.request(sdk.SearchProductsDocument, { query: 'madu' })).resolves.toEqualTypeOf<sdk.SearchProductsQuery>();
      expectTypeOf(client.raw(sdk.CategoriesDocument)).resolves.toEqualTypeOf<sdk.GraphQLResponse<sdk.CategoriesQuery>>();
    };
    // Never called: these lines only have to fail to compile.
    const _wrong = () => {
      // @ts-expect-error requestOrder cannot be sent without its input
      void client.requestOrder();
      // @ts-expect-error a variable the operation does not declare
      void client.regencies({ province: '35' });
      // @ts-expect-error sort takes the schema's enum values only
      void client.products({ sort: 'CHEAPEST' });
    };
  });

  it('cover the public reads and writes a developer needs', () => {
    const roots = Object.values(sdk.OPERATIONS).map((entry) => entry.field);
    expect(roots.sort()).toEqual(
      [
        'articles',
        'categories',
        'enrolmentStats',
        'expressInterest',
        'innovation',
        'partner',
        'partners',
        'pesantren',
        'pesantrenList',
        'product',
        'products',
        'recordInnovationView',
        'recordProductView',
        'regencies',
        'requestOrder',
        'searchProducts',
      ].sort(),
    );
  });

  it('are all in API.md, with the schema descriptions of their root fields', () => {
    for (const method of Object.keys(sdk.OPERATIONS)) expect(apiDocs).toContain(`### \`client.${method}\``);
    expect(apiDocs).toContain('Full-text product search over the products shoppers can see');
    expect(apiDocs).toContain('| `productId` | `ID!` |');
    expect(apiDocs).toMatch(/### `ProductSearchFilters`\n\nValues within one filter are alternatives/);
  });
});
