import { readFileSync } from 'node:fs';
import { Kind, buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CompositionError, composeSupergraph } from '../src/compose.ts';
import { defaultProtection } from '../src/config.ts';
import { checkLimits, ListSizes, measureOperation, UnboundedListsError } from '../src/limits.ts';
import { fragmentBomb } from './support.ts';

/**
 * The measurements are pure functions of the public schema, the lists' maxima the subgraphs
 * declare, and the document: composed here from the subgraphs' SDL as it is now.
 */
const { supergraphSdl, apiSchemaSdl } = await composeSupergraph();
const schema = buildSchema(apiSchemaSdl);
const sizes = ListSizes.fromSupergraph(supergraphSdl);
const manifest = JSON.parse(readFileSync(new URL('../../schema/persisted-operations.json', import.meta.url), 'utf8')) as Record<string, string>;

function measure(text: string, variables?: Record<string, unknown>) {
  const document = parse(text);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return measureOperation(schema, sizes, document, operation, variables);
}

const defaults = defaultProtection('production');
const limits = { maxDepth: defaults.maxDepth, maxAliases: defaults.maxAliases, maxCost: defaults.costBudgets.anonymous };
const refusal = (text: string, variables?: Record<string, unknown>, maxCost = limits.maxCost) => {
  try {
    checkLimits(schema, sizes, parse(text), variables, { ...limits, maxCost });
    return undefined;
  } catch (error) {
    return (error as { extensions: Record<string, unknown> }).extensions;
  }
};

describe('the cost formula', () => {
  it('multiplies list sizes, taking the @listSize of the connection above, then the slicing argument or its default, then the assumed size', () => {
    // The example in limits.ts.
    expect(measure('{ pesantrenList(first: 10) { nodes { products(first: 10) { nodes { id } } } } }').cost).toBe(1 + (1 + 10 * (1 + (1 + 10 * 1))));
    // The schema's default (first: Int = 20 on products, 5 on coverage) when the argument is left out.
    expect(measure('{ products { nodes { coverage { slug } } } }').cost).toBe(1 + (1 + 20 * (1 + 5 * 1)));
    // searchProducts pages with pageSize; its hits list takes it.
    expect(measure('{ searchProducts(query: "kopi", pageSize: 5) { total hits { product { id } } } }').cost).toBe(1 + (1 + (1 + 5 * (1 + 1))));
    // A list without a slicing argument counts its declared maximum (38 regencies, 8 images); a list
    // of scalars or enums counts one per item (3 pillars).
    expect(measure('{ regencies { code } }').cost).toBe(1 + 38 * 1);
    expect(measure('{ product(slug: "x") { images { url } } }').cost).toBe(1 + (1 + 8 * 1));
    expect(measure('{ pesantren(slug: "x") { name pillars } }').cost).toBe(1 + (1 + 3));
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
      // Every list they ask for has a declared maximum (they are not held to a budget, see guard.ts).
      expect(Number.isFinite(measured.cost), hash).toBe(true);
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

/** The supergraph with the `@listSize` of the field on the line containing `marker` taken out. */
function withoutListSize(sdl: string, marker: string): string {
  const lines = sdl.split('\n');
  const at = lines.findIndex((line) => line.includes(marker) && line.includes('@listSize('));
  expect(at, marker).toBeGreaterThanOrEqual(0);
  lines[at] = lines[at]!.replace(/ @listSize\([^)]*\)/, '');
  return lines.join('\n');
}

const unboundedIn = (sdl: string) => {
  try {
    ListSizes.fromSupergraph(sdl);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(UnboundedListsError);
    return [...(error as UnboundedListsError).fields];
  }
};

describe('lists are costed by their declared maximum (issue 16)', () => {
  it('refuses a supergraph with a list that declares no maximum, naming it', () => {
    expect(unboundedIn(supergraphSdl)).toEqual([]);
    expect(unboundedIn(withoutListSize(supergraphSdl, 'regencies(provinceCode: String)'))).toEqual(['Query.regencies']);
    // Lists of scalars too: each item is a value of the answer.
    expect(unboundedIn(withoutListSize(supergraphSdl, 'ignoredWords:'))).toEqual(['ProductSearchResult.ignoredWords']);
    // A connection field that does not size its lists leaves them unbounded.
    expect(unboundedIn(withoutListSize(supergraphSdl, 'pesantrenList('))).toEqual(['PesantrenConnection.edges', 'PesantrenConnection.nodes']);
    // A slicing argument without a default bounds nothing when it is left out.
    expect(unboundedIn(withoutListSize(supergraphSdl, 'coverage(first: Int = 5)').replace('coverage(first: Int = 5)', 'coverage(first: Int)'))).toContain('Pesantren.coverage');
  });

  it('fails composition when a subgraph adds a list without a maximum, so the field cannot forget it', async () => {
    const readSdl = async (name: string) => {
      const sdl = readFileSync(new URL(`../../subgraphs/${name}/schema.graphql`, import.meta.url), 'utf8');
      return name === 'media' ? `${sdl}\nextend type Query {\n  "Every article ever written."\n  allArticles: [Article!]!\n}\n` : sdl;
    };
    await expect(composeSupergraph(readSdl)).rejects.toThrow(CompositionError);
    await expect(composeSupergraph(readSdl)).rejects.toThrow(/Query\.allArticles/);
  });

  // The partner query of the issue: 2,485 statistics cells, each with its pesantren's products
  // (10,474 of them, 1.0 MB). Cells have no size argument, so they counted 20: it cost 1,823.
  const issue = `{ enrolmentStats(groupBy: [PESANTREN, PROGRAMME, GENDER, AGE_BAND]) { total cells { count key { programme gender ageBand
      pesantren { id name products(first: 20) { totalCount nodes { id name { indonesian } priceRupiah } } } } } } }`;
  const { partner, operator } = defaults.costBudgets;

  it("costs the issue's partner query by the cells' declared maximum and refuses it with QUERY_TOO_COMPLEX", () => {
    // 5,000 cells (MAX_ENROLMENT_CELLS), each: count 1 + key (1 + programme, gender, ageBand 3 + pesantren
    // (1 + id, name 2 + products (1 + totalCount 1 + nodes (1 + 20 × (id 1 + name 2 + priceRupiah 1)))))).
    const cell = 1 + (1 + 3 + (1 + 2 + (1 + 1 + (1 + 20 * (1 + 2 + 1)))));
    expect(measure(issue).cost).toBe(1 + (1 + (1 + 5_000 * cell)));
    expect(refusal(issue, undefined, partner)).toMatchObject({ code: 'QUERY_TOO_COMPLEX', cost: 455_003, maxCost: partner });
    expect(refusal(issue, undefined, operator)).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
  });

  it('lets a partner ask for a table of counts, whose answer is small whatever its shape', () => {
    const table = '{ enrolmentStats(groupBy: [REGENCY, PROGRAMME]) { total threshold cells { count key { regency { code } programme } } } }';
    expect(measure(table).cost).toBe(1 + (1 + 1 + (1 + 5_000 * (1 + (1 + (1 + 1) + 1)))));
    expect(refusal(table, undefined, partner)).toBeUndefined();
    // The same table with each pesantren's name, product count and regency is still within it.
    const named = '{ enrolmentStats(groupBy: [PESANTREN]) { cells { count key { pesantren { name regency { code } products(first: 1) { totalCount } } } } } }';
    expect(refusal(named, undefined, partner)).toBeUndefined();
    expect(refusal(table)).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
  });
});
