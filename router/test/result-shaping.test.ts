import {
  buildSchema,
  isCompositeType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  operationFromDocument,
  type CompositeType,
  type FieldSelection,
  type ObjectType,
  type Operation,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import { Random } from '@opop/demo-data';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { installResultShaping, shapeResult, type ShapingInput, type ShapingOutput } from '../src/result-shaping.ts';

/**
 * Our result shaping must answer exactly what the gateway's own does (same data, same errors at the
 * same paths, a throw where it throws), for answers as subgraphs send them and as broken ones
 * arrive: nulls where the schema promises none, leaves of the wrong type, unknown or wrong
 * `__typename`s, missing and extra fields. Each case runs Apollo's function and ours on the same
 * generated answer.
 */
const schema = buildSchema(`
  scalar JSON
  enum Status { LISTED SOLD_OUT }
  interface Node { id: ID! }
  type Image { url: String! width: Int }
  type Product implements Node { id: ID! name: String! price: Int stock: Int! status: Status tags: [String!] images: [Image!]! seller: Seller related: [Product] score: Float meta: JSON listed: Boolean! }
  type Seller implements Node { id: ID! name: String products: [Product!] }
  type Article implements Node { id: ID! title: String! }
  union SearchHit = Product | Article
  type Query { node(id: ID!): Node hits: [SearchHit!]! product(slug: String): Product! products: [Product]! count: Int }
`).toAPISchema();

const OPERATIONS: [string, Record<string, unknown>][] = [
  ['{ product(slug: "a") { id name price stock status tags listed score meta images { url width } seller { id name } } count }', {}],
  ['{ products { __typename id n: name p: price related { id name related { id } } seller { ... on Seller { name } products { id stock } } } }', {}],
  ['{ hits { __typename ... on Product { id name images { url } } ... on Article { id title } ... on Node { id } } }', {}],
  ['{ node(id: "1") { id t: __typename ... on Product { name seller { id } } ... on Seller { name products { name } } } }', {}],
  // The same response name selected twice, merged: directly and through fragments.
  ['{ product(slug: "a") { name seller { id } ...F ... on Product { seller { name products { id } } } } } fragment F on Product { name price seller { id name } }', {}],
  ['query Q($a: Boolean!, $b: Boolean = true) { product(slug: "a") { id name @skip(if: $a) price @include(if: $b) tags @skip(if: false) stock @include(if: false) ... on Product @include(if: $a) { status } } }', { a: true }],
  ['query Q($a: Boolean!, $b: Boolean = true) { product(slug: "a") { id name @skip(if: $a) price @include(if: $b) seller @include(if: $a) { name } } }', { a: false, b: false }],
  ['{ count __typename product(slug: "x") { __typename id } }', {}],
];

/** An answer for `selectionSet` on `type` as a subgraph would send it, broken at random with probability `breakage`. */
function answerFor(selectionSet: SelectionSet, type: CompositeType, next: () => number, breakage: number, depth = 0): Record<string, unknown> | null {
  const runtimeTypes: readonly ObjectType[] = isObjectType(type) ? [type] : isInterfaceType(type) ? type.possibleRuntimeTypes() : isUnionType(type) ? type.types() : [];
  const concrete = runtimeTypes[Math.floor(next() * runtimeTypes.length)]!;
  const object: Record<string, unknown> = {};
  const roll = next();
  if (roll < breakage / 3) object['__typename'] = ['Nope', 'String', 'Article', 'Image'][Math.floor(next() * 4)];
  else if (roll < 0.7) object['__typename'] = concrete.name;
  const fill = (set: SelectionSet) => {
    for (const selection of set.selections()) {
      if (selection.kind === 'FragmentSelection') {
        const condition = selection.element.typeCondition;
        if (!condition || condition.name === concrete.name || (isInterfaceType(condition) && condition.possibleRuntimeTypes().includes(concrete))) fill(selection.selectionSet);
        continue;
      }
      const field = (selection as FieldSelection).element;
      if (field.name === '__typename' || next() < breakage / 4) continue;
      object[field.responseName()] = valueFor(field.definition.type!, selection.selectionSet, next, breakage, depth);
    }
  };
  fill(selectionSet);
  if (next() < breakage) object['unasked'] = 'extra';
  return object;
}

function valueFor(type: Type, selectionSet: SelectionSet | undefined, next: () => number, breakage: number, depth: number): unknown {
  if (next() < breakage / 2) return null;
  if (isNonNullType(type)) return valueFor(type.ofType, selectionSet, next, breakage / 2, depth);
  if (isListType(type)) return depth > 3 ? [] : Array.from({ length: Math.floor(next() * 4) }, () => valueFor(type.ofType, selectionSet, next, breakage, depth + 1));
  if (isCompositeType(type)) return answerFor(selectionSet!, type, next, breakage, depth + 1);
  if (next() < breakage) return [1.5, 'text', true, 'NOT_A_STATUS', { x: 1 }][Math.floor(next() * 5)];
  if (isEnumType(type)) return next() < 0.5 ? 'LISTED' : 'SOLD_OUT';
  switch (type.name) {
    case 'Int':
      return Math.floor(next() * 1000) - 10;
    case 'Float':
      return next() * 100;
    case 'Boolean':
      return next() < 0.5;
    case 'JSON':
      return { any: ['thing', 1] };
    default: {
      // Strings V8 holds one byte a character and strings it holds two (’, Arabic, an emoji's
      // surrogate pair, a lone surrogate as JSON can carry one), with what JSON must escape.
      const texts = ['Madu', 'café', 'Mamba’ul ‘Ulum', 'مدرسة', 'bulan 🌙', 'lone \ud800', 'quote " back \\ ’ tab \t', 'مدرسة الهداية '.repeat(20)];
      return `${texts[Math.floor(next() * texts.length)]} ${Math.floor(next() * 100)}`;
    }
  }
}

function outcome(shape: (input: ShapingInput) => ShapingOutput, input: ShapingInput): unknown {
  try {
    const { data, errors } = shape(input);
    return { data: JSON.parse(JSON.stringify(data ?? null)), errors: errors.map((error) => ({ message: error.message, path: error.path, code: error.extensions['code'] })) };
  } catch (error) {
    return { threw: true };
  }
}

describe('result shaping', () => {
  const apollo = installResultShaping();

  it("is installed where the gateway's executor calls it", () => {
    expect(apollo).toBeTypeOf('function');
    expect(apollo).not.toBe(shapeResult);
    // Installing again keeps Apollo's as the one replaced.
    expect(installResultShaping()).toBe(apollo);
  });

  it.each([
    ['well-formed answers', 0],
    ['answers broken here and there', 0.1],
    ['answers broken everywhere', 0.5],
  ])("gives Apollo's data and errors for %s, on every operation", (_name, breakage) => {
    let compared = 0;
    for (const [text, variables] of OPERATIONS) {
      const operation: Operation = operationFromDocument(schema, parse(text), { validate: true });
      const root = schema.schemaDefinition.rootType('query')!;
      for (let seed = 1; seed <= 150; seed++) {
        // Seeded per operation and case, so a failure can be replayed.
        const source = Random.for(`${text}#${seed}`);
        const next = () => source.int(0, 999_999) / 1_000_000;
        const input = { operation, variables, input: answerFor(operation.selectionSet, root, next, breakage), introspectionHandling: () => ({ introspected: true }) };
        expect(outcome(shapeResult, input), `${text} with seed ${seed}`).toEqual(outcome(apollo!, input));
        compared++;
      }
    }
    expect(compared).toBe(OPERATIONS.length * 150);
  });

  it('bubbles a null to the nearest nullable field, with one error at the first null', () => {
    const operation = operationFromDocument(schema, parse('{ products { id name seller { id } } }'), { validate: true });
    const { data, errors } = shapeResult({ operation, variables: {}, input: { products: [{ id: '1', name: 'Madu', seller: { id: 's' } }, { id: '2', name: null, seller: null }] }, introspectionHandling: () => null });
    expect(JSON.parse(JSON.stringify(data))).toEqual({ products: [{ id: '1', name: 'Madu', seller: { id: 's' } }, null] });
    expect(errors.map((error) => [error.message, error.path])).toEqual([['Cannot return null for non-nullable field Product.name.', ['products', 1, 'name']]]);
  });

  // One string V8 holds two bytes a character makes JSON.stringify write the whole answer that
  // way, three times slower to serialise and encode: such strings are written with those
  // characters escaped, and read back the same.
  it('writes strings with characters past U+00FF escaped, so the answer stays one byte a character, and reads back the same', () => {
    const operation = operationFromDocument(schema, parse('{ products { id name tags } }'), { validate: true });
    const names = ['Madu Mamba’ul ‘Ulum', 'café', 'مدرسة 🌙', 'lone \ud800 "quoted" \\'];
    const input = { products: names.map((name, index) => ({ id: String(index), name, tags: [name, 'plain'] })) };
    const { data, errors } = shapeResult({ operation, variables: {}, input, introspectionHandling: () => null });
    expect(errors).toEqual([]);
    const text = JSON.stringify(data);
    expect(text).toMatch(/^[\u0000-\u00ff]*$/);
    expect(text).toContain('Madu Mamba\\u2019ul \\u2018Ulum');
    expect(text).toContain('café');
    expect(JSON.parse(text)).toEqual(input);
  });

  // Escaped, text mostly of such characters would take twice its UTF-8 bytes and one callback a
  // character, and the answer would stay two bytes a character for its other strings anyway.
  it('leaves strings mostly of characters past U+00FF as they are', () => {
    const operation = operationFromDocument(schema, parse('{ products { id name } }'), { validate: true });
    const arabic = 'مدرسة الهداية للبنين '.repeat(30);
    const input = { products: [{ id: '1', name: arabic }, { id: '2', name: `Madu ${'’'.repeat(9)}` }, { id: '3', name: `${'x'.repeat(160)}${'’'.repeat(18)}` }] };
    const text = JSON.stringify(shapeResult({ operation, variables: {}, input, introspectionHandling: () => null }).data);
    expect(text).toContain(arabic);
    // Nine wide characters in fourteen: more than eight and a sixteenth, left as it is; eighteen
    // in 178, escaped.
    expect(text).toContain(`Madu ${'’'.repeat(9)}`);
    expect(text).toContain('\\u2019'.repeat(18));
    expect(JSON.parse(text)).toEqual(input);
  });

  // Answers are plain objects (faster to serialise), which inherit `toString`, `constructor` and
  // `__proto__`: a client's alias of such a name must still come back as a field, as Apollo's
  // answers it, not be taken for a value already there or become the object's prototype.
  it.each(['__proto__', 'toString', 'constructor', 'valueOf', 'hasOwnProperty'])("answers an alias named %s as a field, as Apollo's does", (alias) => {
    const operation = operationFromDocument(schema, parse(`{ ${alias}: count product(slug: "a") { id ${alias}: name seller { ${alias}: __typename } } }`), { validate: true });
    // As a subgraph's JSON arrives: JSON.parse makes each name an own property.
    const input = JSON.parse(`{"${alias}": 3, "product": {"id": "1", "${alias}": "Madu", "seller": {"__typename": "Seller"}}}`) as Record<string, unknown>;
    const shaping = { operation, variables: {}, input, introspectionHandling: () => null };
    const ours = shapeResult(shaping);
    expect(ours.errors).toEqual([]);
    expect(JSON.stringify(ours.data)).toBe(JSON.stringify(apollo!(shaping).data));
    expect(JSON.stringify(ours.data)).toBe(`{"${alias}":3,"product":{"id":"1","${alias}":"Madu","seller":{"${alias}":"Seller"}}}`);
    expect(Object.getPrototypeOf(ours.data)).toBe(Object.prototype);
  });
});
