import { readFileSync } from 'node:fs';
import { Kind, buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { defaultProtection } from '../src/config.ts';
import { checkLimits, measureOperation } from '../src/limits.ts';
import { API_SCHEMA_PATH } from '../src/subgraphs.ts';
import { fragmentBomb } from './support.ts';

/** The measurements are pure functions of the public schema and the document. */
const schema = buildSchema(readFileSync(API_SCHEMA_PATH, 'utf8'));
const manifest = JSON.parse(readFileSync(new URL('../../schema/persisted-operations.json', import.meta.url), 'utf8')) as Record<string, string>;

function measure(text: string, variables?: Record<string, unknown>) {
  const document = parse(text);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return measureOperation(schema, document, operation, variables);
}

const defaults = defaultProtection('production');
const limits = { maxDepth: defaults.maxDepth, maxAliases: defaults.maxAliases, maxCost: defaults.costBudgets.anonymous };
const refusal = (text: string, variables?: Record<string, unknown>, maxCost = limits.maxCost) => {
  try {
    checkLimits(schema, parse(text), variables, { ...limits, maxCost });
    return undefined;
  } catch (error) {
    return (error as { extensions: Record<string, unknown> }).extensions;
  }
};

describe('the cost formula', () => {
  it('multiplies list sizes, taking first/pageSize/limit, then the connection above, then the schema default, then 20', () => {
    // The example in limits.ts.
    expect(measure('{ pesantrenList(first: 10) { nodes { products(first: 10) { nodes { id } } } } }').cost).toBe(1 + (1 + 10 * (1 + (1 + 10 * 1))));
    // The schema's default (first: Int = 20 on products, 5 on coverage) when the argument is left out.
    expect(measure('{ products { nodes { coverage { slug } } } }').cost).toBe(1 + (1 + 20 * (1 + 5 * 1)));
    // searchProducts pages with pageSize; its hits list takes it.
    expect(measure('{ searchProducts(query: "kopi", pageSize: 5) { total hits { product { id } } } }').cost).toBe(1 + (1 + (1 + 5 * (1 + 1))));
    // A list without a size argument counts 20; lists of scalars are leaves.
    expect(measure('{ regencies { code } }').cost).toBe(1 + 20 * 1);
    expect(measure('{ pesantren(slug: "x") { pillars } }').cost).toBe(2);
  });

  it('reads sizes from variables and their defaults', () => {
    const text = 'query Q($n: Int = 7) { products(first: $n) { nodes { id } } }';
    expect(measure(text).cost).toBe(1 + 1 + 7);
    expect(measure(text, { n: 50 }).cost).toBe(1 + 1 + 50);
  });

  it('counts fragments where they are spread and introspection not at all', () => {
    const inline = measure('{ products(first: 3) { nodes { id name { indonesian } } } }');
    const spread = measure('{ products(first: 3) { ...C } } fragment C on ProductConnection { nodes { ...P } } fragment P on Product { id name { indonesian } }');
    expect(spread).toEqual(inline);
    expect(measure('{ __typename __schema { types { name fields { name } } } }')).toEqual({ depth: 0, aliases: 0, cost: 0 });
  });

  it('counts aliases as written out, so one aliased fragment spread many times counts many times', () => {
    const fragment = 'fragment A on Query { a: __typename b: __typename }';
    expect(measure(`{ ...A } ${fragment}`).aliases).toBe(2);
    expect(measure(`{ x: regencies { ...B } y: regencies { ...B } } fragment B on Regency { c: code d: code }`).aliases).toBe(2 + 2 * 2);
  });

  it('measures a fragment bomb in linear time, however large it would be written out', () => {
    const started = performance.now();
    const measured = measure(fragmentBomb(60));
    expect(performance.now() - started).toBeLessThan(50);
    expect(measured.cost).toBeGreaterThan(1e15);
    // pesantrenList nodes, then products nodes seller pesantren per fragment, then name.
    expect(measured.depth).toBe(2 + 4 * 59 + 1);
  });

  it('stops where a fragment cycle closes (validation then refuses the document)', () => {
    const measured = measure('{ pesantrenList { nodes { ...A } } } fragment A on Pesantren { id products { nodes { pesantren { ...B } } } } fragment B on Pesantren { ...A }');
    expect(measured.depth).toBeGreaterThan(0);
    expect(Number.isFinite(measured.cost)).toBe(true);
  });

  it('tolerates unknown fields and fragments, as it runs before validation', () => {
    expect(measure('{ noSuchField { more { fields } } ...Missing }')).toEqual({ depth: 3, aliases: 0, cost: 3 });
  });
});

describe('the limits', () => {
  it('refuse a deep operation, an alias bomb and an expensive one with their own codes and numbers', () => {
    expect(refusal('{ products { nodes { pesantren { products { nodes { pesantren { products { nodes { pesantren { products { nodes { id } } } } } } } } } } } }')).toMatchObject({
      code: 'QUERY_TOO_DEEP',
      depth: 12,
      maxDepth: 10,
    });
    const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: regencies { code }`).join(' ');
    expect(refusal(`{ ${aliases} }`)).toMatchObject({ code: 'TOO_MANY_ALIASES', aliases: 25, maxAliases: 20 });
    expect(refusal('{ pesantrenList(first: 100) { nodes { products(first: 100) { nodes { id } } } } }')).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      cost: 1 + (1 + 100 * (1 + (1 + 100))),
      maxCost: limits.maxCost,
    });
  });

  it('look at every operation of the document, not only the one asked for', () => {
    expect(refusal('query Small { regencies { code } } query Big { pesantrenList(first: 100) { nodes { products(first: 100) { nodes { id } } } } }')).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
    });
  });

  it('leave room for every published operation, and for the README examples within the anonymous budget', () => {
    for (const [hash, text] of Object.entries(manifest)) {
      const measured = measure(text);
      expect(measured.depth, hash).toBeLessThanOrEqual(limits.maxDepth);
      expect(measured.aliases, hash).toBeLessThanOrEqual(limits.maxAliases);
    }
    const readme = `{ pesantren(slug: "pondok-pesantren-sidogiri") { name nspp regency { displayName } cooperative { name }
       products(first: 4) { totalCount nodes { name { indonesian } priceRupiah featured } }
       academics { santriCount programmes { kind santriCount } labs { name activities { title { indonesian } on } } }
       partnerships { title { indonesian } aspect partner { name role } }
       coverage(first: 3) { title { indonesian } outlet { name } publishedAt } }
     innovation { funnel { views interests agreements replications } } }`;
    expect(refusal(readme)).toBeUndefined();
  });

  it('give anonymous callers the smallest budget, partners more and operators the most', () => {
    const { anonymous, partner, operator } = defaults.costBudgets;
    expect(anonymous).toBeLessThan(partner);
    expect(partner).toBeLessThan(operator);
  });
});
