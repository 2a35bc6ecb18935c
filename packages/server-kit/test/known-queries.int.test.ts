import { HeaderMap } from '@apollo/server';
import { defineEntity, p } from '@mikro-orm/core';
import { gql } from 'graphql-tag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badUserInput, unauthenticated } from '../src/errors.ts';
import { laneMismatches } from '../src/known-queries.ts';
import { createSubgraphService, type SubgraphRequestContext, type SubgraphService } from '../src/subgraph.ts';
import { adminIdentity, identityHeaders, testEngines, testSubgraphConfig } from '../src/testing.ts';
import { ANONYMOUS } from '../src/identity.ts';

/**
 * The known-query lane (known-queries.ts) answers the repeat of a query without Apollo Server's
 * pipeline; its promise is that nobody can tell: the same status, Cache-Control and body as
 * Apollo's for the same request. Checked here against Apollo itself, on a schema made of the
 * cases its cache-control plugin treats differently (type and field hints, inheritMaxAge, PRIVATE
 * scope, composites without a hint, null parents, entities of several types, errors with and
 * without an HTTP status), and on random operations over that schema.
 */
const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  enum CacheControlScope {
    PUBLIC
    PRIVATE
  }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION

  type Query {
    hello: String
    shop(id: ID!): Shop
    shops: [Shop!]! @cacheControl(maxAge: 200)
    hinted: Detail @cacheControl(maxAge: 90)
    inherited: Thing
    failing: String
    unauthorized: String
    internal: String
  }
  type Mutation {
    touch: String
  }
  type Shop @key(fields: "id") @cacheControl(maxAge: 300) {
    id: ID!
    name: String
    items: [Item!]!
    owner: Person
    thing: Thing
    note: Detail @cacheControl(inheritMaxAge: true)
    brief: String @cacheControl(maxAge: 10)
    openNote: Detail @cacheControl(maxAge: 50, scope: PUBLIC)
  }
  type Item @cacheControl(maxAge: 120) {
    id: ID!
    price: Int
    detail: Detail
  }
  type Detail {
    text: String
  }
  type Thing @cacheControl(inheritMaxAge: true) {
    value: String
    item: Item
  }
  type Person @key(fields: "id") @cacheControl(maxAge: 45, scope: PRIVATE) {
    id: ID!
    name: String
  }
  type Quiet @key(fields: "id") {
    id: ID!
    word: String
  }
`;

const shops: Record<string, { id: string; name: string }> = { s1: { id: 's1', name: 'Toko Santri' }, s2: { id: 's2', name: 'Koperasi Pondok' } };
const item = (id: string) => ({ id, price: 1000 });
const resolvers = {
  Query: {
    hello: () => 'halo',
    shop: (_: unknown, { id }: { id: string }) => shops[id] ?? null,
    shops: () => Object.values(shops),
    hinted: () => ({ text: 'x' }),
    inherited: () => ({ value: 'v' }),
    failing: () => {
      throw badUserInput('must be a word', 'input.word');
    },
    unauthorized: () => {
      throw unauthenticated('sign in first');
    },
    internal: () => {
      throw new Error('connection string postgres://secret@db leaked');
    },
  },
  Mutation: { touch: () => 'touched' },
  Shop: {
    __resolveReference: (reference: { id: string }) => shops[reference.id] ?? null,
    items: (shop: { id: string }) => (shop.id === 's1' ? [item('i1'), item('i2')] : []),
    owner: (shop: { id: string }) => (shop.id === 's1' ? { id: 'p1', name: 'Ustadz' } : null),
    thing: () => ({ value: 'thing' }),
    note: () => ({ text: 'note' }),
    brief: () => 'brief',
    openNote: () => ({ text: 'open' }),
  },
  Item: { detail: () => ({ text: 'detail' }) },
  Thing: { item: () => item('i9') },
  Person: { __resolveReference: (reference: { id: string }) => ({ id: reference.id, name: 'Ustadz' }) },
  Quiet: { __resolveReference: (reference: { id: string }) => ({ id: reference.id, word: 'sst' }) },
};

// The service needs an entity to open its database; nothing here reads it.
const UnusedSchema = defineEntity({ name: 'Unused', tableName: 'unused', properties: { id: p.integer().primary() } });
class Unused extends UnusedSchema.class {}
UnusedSchema.setClass(Unused);

type Answer = { status: number; cacheControl: string | null; contentType: string | null; body: string };

const [engine] = testEngines();

describe('the known-query lane answers as Apollo Server does', () => {
  let service: SubgraphService<SubgraphRequestContext>;
  let url: string;
  const mismatchesBefore = laneMismatches.length;

  beforeAll(async () => {
    service = await createSubgraphService<SubgraphRequestContext>({
      module: { name: 'lane', typeDefs, resolvers: resolvers as never },
      config: testSubgraphConfig('lane', engine!),
      entities: [Unused],
      migrations: [],
      runtime: async () => ({ createContext: (base) => base }),
    });
    url = await service.server.listen('127.0.0.1', 0);
  });
  afterAll(async () => {
    await service?.server.close();
  });

  const lane = () => service.server.knownQueries!;
  const headersOf = async (signedIn: boolean) => identityHeaders(signedIn ? adminIdentity() : ANONYMOUS);

  /** Over HTTP, as the router asks: through the lane once the document is admitted. */
  const overHttp = async (query: string, variables: Record<string, unknown> = {}, signedIn = false, operationName?: string): Promise<Answer> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await headersOf(signedIn)) },
      body: JSON.stringify({ query, variables, ...(operationName ? { operationName } : {}) }),
    });
    return { status: response.status, cacheControl: response.headers.get('cache-control'), contentType: response.headers.get('content-type'), body: await response.text() };
  };

  /** Apollo Server's own answer to the same request, without the lane. */
  const fromApollo = async (query: string, variables: Record<string, unknown> = {}, signedIn = false, operationName?: string): Promise<Answer> => {
    const headers = new HeaderMap([['content-type', 'application/json'], ...Object.entries(await headersOf(signedIn))]);
    const contextValue = await service.contextFor(Object.fromEntries(headers));
    const response = await service.server.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query, variables, ...(operationName ? { operationName } : {}) } },
      context: async () => contextValue,
    });
    if (response.body.kind !== 'complete') throw new Error('expected one answer');
    return { status: response.status ?? 200, cacheControl: response.headers.get('cache-control') ?? null, contentType: response.headers.get('content-type') ?? null, body: response.body.string };
  };

  /** Asks twice over HTTP (Apollo answers the first, the lane the second) and once Apollo directly: all three must match. */
  const sameAnswers = async (query: string, variables: Record<string, unknown> = {}, signedIn = false, operationName?: string) => {
    const first = await overHttp(query, variables, signedIn, operationName);
    const served = lane().served;
    const second = await overHttp(query, variables, signedIn, operationName);
    const viaLane = lane().served > served;
    const apollo = await fromApollo(query, variables, signedIn, operationName);
    expect(second, query).toEqual(apollo);
    expect(first, query).toEqual(apollo);
    return { answer: second, viaLane };
  };

  /** Once the document is admitted: the lane's answer to new inputs against Apollo's own. */
  const laneMatchesApollo = async (query: string, variables: Record<string, unknown> = {}, signedIn = false) => {
    const served = lane().served;
    const viaLane = await overHttp(query, variables, signedIn);
    expect(lane().served, `${query} ${JSON.stringify(variables)} was not answered by the lane`).toBe(served + 1);
    expect(viaLane, `${query} ${JSON.stringify(variables)}`).toEqual(await fromApollo(query, variables, signedIn));
    return viaLane;
  };

  it.each([
    ['a root scalar without a hint (uncacheable)', '{ hello }', 'no-store'],
    ['an entity type’s hint', '{ shop(id: "s1") { id name } }', 'max-age=300, public'],
    ['the smallest hint in a list', '{ shop(id: "s1") { items { id price } } }', 'max-age=120, public'],
    ['a composite without a hint (uncacheable)', '{ shop(id: "s1") { items { detail { text } } } }', 'no-store'],
    ['a null parent: its children never resolved', '{ shop(id: "nope") { items { detail { text } } } }', 'max-age=300, public'],
    ['an empty list: no item resolved, but the list field counts its type’s hint', '{ shop(id: "s2") { items { detail { text } } } }', 'max-age=120, public'],
    ['a PRIVATE scope', '{ shop(id: "s1") { owner { name } } }', 'max-age=45, private'],
    ['a PRIVATE scope that a later PUBLIC hint does not undo', '{ shop(id: "s1") { owner { name } openNote { text } } }', 'max-age=45, private'],
    ['a type that inherits', '{ shop(id: "s1") { thing { value } } }', 'max-age=300, public'],
    ['below an inheriting type', '{ shop(id: "s1") { thing { item { id } } } }', 'max-age=120, public'],
    ['a field that inherits', '{ shop(id: "s1") { note { text } } }', 'max-age=300, public'],
    ['a scalar field’s own hint', '{ shop(id: "s1") { brief } }', 'max-age=10, public'],
    ['a root field’s hint over a type without one', '{ hinted { text } }', 'max-age=90, public'],
    ['a root field returning an inheriting type (uncacheable)', '{ inherited { value } }', 'no-store'],
    ['aliases of one field', '{ a: shop(id: "s1") { id } b: shop(id: "nope") { id } }', 'max-age=300, public'],
    ['fragments', 'query { shop(id: "s1") { ...F } } fragment F on Shop { items { id } owner { id } }', 'max-age=45, private'],
    ['only __typename', '{ __typename }', 'no-store'],
    ['a list field’s hint', '{ shops { id } }', 'max-age=200, public'],
  ])('%s', async (_name, query, cacheControl) => {
    const { answer, viaLane } = await sameAnswers(query);
    expect(viaLane).toBe(true);
    expect(answer.status).toBe(200);
    expect(answer.cacheControl).toBe(cacheControl);
  });

  it('follows @skip and @include by their variables', async () => {
    const query = 'query($skip: Boolean!, $include: Boolean!) { shop(id: "s1") { name @skip(if: $skip) owner @include(if: $include) { id } items @skip(if: $skip) { id } } }';
    expect((await sameAnswers(query, { skip: false, include: true })).answer.cacheControl).toBe('max-age=45, private');
    expect((await sameAnswers(query, { skip: true, include: false })).answer.cacheControl).toBe('max-age=300, public');
    expect((await sameAnswers(query, { skip: false, include: false })).answer.cacheControl).toBe('max-age=120, public');
  });

  it('takes the hint of each entity’s type, as the router’s entity fetches need', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Shop { id name } ... on Person { name } ... on Quiet { word } } }';
    expect((await sameAnswers(query, { r: [{ __typename: 'Shop', id: 's1' }] })).answer.cacheControl).toBe('max-age=300, public');
    expect((await sameAnswers(query, { r: [{ __typename: 'Shop', id: 's1' }, { __typename: 'Person', id: 'p1' }] })).answer.cacheControl).toBe('max-age=45, private');
    expect((await sameAnswers(query, { r: [{ __typename: 'Shop', id: 'nope' }] })).answer.cacheControl).toBe('max-age=300, public');
    expect((await sameAnswers(query, { r: [{ __typename: 'Quiet', id: 'q1' }] })).answer.cacheControl).toBe('no-store');
    // Without __typename in the selection, as the router's plans usually ask.
    const bare = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Shop { items { price } } } }';
    expect((await sameAnswers(bare, { r: [{ __typename: 'Shop', id: 's1' }, { __typename: 'Shop', id: 's2' }] })).answer.cacheControl).toBe('max-age=120, public');
    // A type the schema does not have: the resolver's error, worded and coded as Apollo words it.
    const unknown = await sameAnswers(query, { r: [{ __typename: 'Nothing', id: 'x' }] });
    expect(unknown.answer.cacheControl).toBe('no-store');
    expect(JSON.parse(unknown.answer.body).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('fills a variable’s default before reading @skip and @include, on admission and in the lane', async () => {
    const query = 'query($o: Boolean = false) { shop(id: "s1") { id owner @include(if: $o) { id } } }';
    // Without the variable: its default, as execution reads it (this answered 500 before).
    const { answer, viaLane } = await sameAnswers(query, {});
    expect(viaLane).toBe(true);
    expect(answer.status).toBe(200);
    expect(answer.cacheControl).toBe('max-age=300, public');
    expect((await laneMatchesApollo(query, { o: true })).cacheControl).toBe('max-age=45, private');
    expect((await laneMatchesApollo(query, {})).cacheControl).toBe('max-age=300, public');
  });

  it('reads @skip and @include on fragment spreads and inline fragments', async () => {
    const query =
      'query($a: Boolean!, $b: Boolean!) { shop(id: "s1") { id ...Owner @include(if: $a) ... on Shop @skip(if: $b) { items { id } } } } fragment Owner on Shop { owner { id } }';
    await sameAnswers(query, { a: false, b: true });
    expect((await laneMatchesApollo(query, { a: true, b: true })).cacheControl).toBe('max-age=45, private');
    expect((await laneMatchesApollo(query, { a: false, b: false })).cacheControl).toBe('max-age=120, public');
    expect((await laneMatchesApollo(query, { a: false, b: true })).cacheControl).toBe('max-age=300, public');
  });

  it('reads entity representations as the resolver does: invisible characters taken out, a single one made a list', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Shop { id name } ... on Person { name } } }';
    await sameAnswers(query, { r: [{ __typename: 'Shop', id: 's1' }] });
    // A left-to-right mark in the type's name: the resolver's arguments are cleaned of it, so this is a Person, private.
    expect((await laneMatchesApollo(query, { r: [{ __typename: 'Shop', id: 's1' }, { __typename: 'Person\u200E', id: 'p1' }] })).cacheControl).toBe('max-age=45, private');
    expect((await laneMatchesApollo(query, { r: { __typename: 'Person', id: 'p1' } })).cacheControl).toBe('max-age=45, private');
    expect((await laneMatchesApollo(query, { r: [] })).cacheControl).toBe('no-store');
  });

  it('words errors as Apollo does: codes, a status from the error, internal details masked', async () => {
    const failing = await sameAnswers('{ failing hello }');
    expect(failing.viaLane).toBe(true);
    expect(failing.answer.cacheControl).toBe('no-store');
    expect(JSON.parse(failing.answer.body)).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'input.word' } }], data: { failing: null, hello: 'halo' } });
    const unauthorized = await sameAnswers('{ unauthorized }');
    expect(unauthorized.viaLane).toBe(true);
    expect(unauthorized.answer.status).toBe(401);
    const internal = await sameAnswers('{ internal }');
    expect(internal.viaLane).toBe(true);
    expect(internal.answer.body).not.toContain('secret');
    expect(JSON.parse(internal.answer.body).errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('never lets a signed-in caller’s answer be cached', async () => {
    const { answer, viaLane } = await sameAnswers('{ shop(id: "s1") { id name } }', {}, true);
    expect(viaLane).toBe(true);
    expect(answer.cacheControl).toBe('no-store');
  });

  it('picks the operation a request names', async () => {
    const query = 'query One { shop(id: "s1") { id } } query Two { shop(id: "s1") { owner { id } } }';
    expect((await sameAnswers(query, {}, false, 'One')).answer.cacheControl).toBe('max-age=300, public');
    expect((await sameAnswers(query, {}, false, 'Two')).answer.cacheControl).toBe('max-age=45, private');
  });

  it('leaves to Apollo what it must judge: bad variables, an unknown operation name, mutations, GET, a request without an identity', async () => {
    const query = 'query($id: ID!) { shop(id: $id) { id } }';
    await sameAnswers(query, { id: 's1' });
    const served = lane().served;
    const missing = await sameAnswers(query, {});
    expect(missing.answer.status).toBe(400);
    const wrongType = await sameAnswers(query, { id: { not: 'an id' } });
    expect(wrongType.answer.status).toBe(400);
    const unknownName = await sameAnswers(query, { id: 's1' }, false, 'Nope');
    expect(unknownName.answer.status).toBe(400);
    const mutation = await sameAnswers('mutation { touch }');
    expect(JSON.parse(mutation.answer.body).data.touch).toBe('touched');
    expect(lane().served).toBe(served);

    const get = await fetch(`${url}?query=${encodeURIComponent('{ hello }')}`, { headers: { 'apollo-require-preflight': 'true', ...(await headersOf(false)) } });
    expect(get.status).toBe(200);
    const anonymousCaller = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello }' }) });
    expect(anonymousCaller.status).toBe(401);
    expect(lane().served).toBe(served);
  });

  it('answers random operations over the schema as Apollo does (fragments, aliases, @skip, entities)', async () => {
    // A fixed-seed generator, not tuned to pass: each operation is built from the schema's fields
    // ($flag is always used, at the root, so no operation is refused for an unused variable).
    let seed = 20261206;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const selections: Record<string, string[]> = {
      Shop: ['id', 'name', 'brief', 'items', 'owner', 'thing', 'note', 'openNote'],
      Item: ['id', 'price', 'detail'],
      Thing: ['value', 'item'],
      Person: ['id', 'name'],
      Detail: ['text'],
    };
    const fieldType: Record<string, string> = { items: 'Item', owner: 'Person', thing: 'Thing', note: 'Detail', openNote: 'Detail', detail: 'Detail', item: 'Item' };
    let aliases = 0;
    const selectionOf = (type: string, depth: number): string => {
      const fields = selections[type]!.filter(() => random() < 0.5);
      if (fields.length === 0) fields.push(selections[type]![0]!);
      const parts = fields
        .map((field) => {
          // Each alias its own name: two fields under one name must agree, or the document is invalid.
          const alias = random() < 0.2 ? `x${aliases++}: ` : '';
          const skip = random() < 0.15 ? ' @skip(if: $flag)' : random() < 0.1 ? ' @include(if: $flag)' : '';
          const child = fieldType[field];
          if (!child) return `${alias}${field}${skip}`;
          if (depth > 2) return '';
          const inner = selectionOf(child, depth + 1);
          return random() < 0.2 ? `${alias}${field}${skip} { ... on ${child} { ${inner} } }` : `${alias}${field}${skip} { ${inner} }`;
        })
        .filter(Boolean);
      // Each type's first field is a scalar: a selection is never empty.
      return (parts.length > 0 ? parts : [selections[type]![0]!]).join(' ');
    };
    let compared = 0;
    const cacheControls = new Set<string | null>();
    for (let i = 0; i < 40; i++) {
      const flag = random() < 0.5;
      const root = pick(['shop', 'shop', 'shops', 'entities']);
      const query =
        root === 'entities'
          ? `query($flag: Boolean!, $r: [_Any!]!) { __typename @include(if: $flag) _entities(representations: $r) { ... on Shop { ${selectionOf('Shop', 1)} } ... on Person { ${selectionOf('Person', 1)} } } }`
          : root === 'shops'
            ? `query($flag: Boolean!) { __typename @include(if: $flag) shops { ${selectionOf('Shop', 1)} } }`
            : `query($flag: Boolean!, $id: ID!) { __typename @include(if: $flag) shop(id: $id) { ${selectionOf('Shop', 1)} } }`;
      const variables =
        root === 'entities'
          ? { flag, r: [pick([{ __typename: 'Shop', id: 's1' }, { __typename: 'Shop', id: 's2' }, { __typename: 'Person', id: 'p1' }])] }
          : { flag, id: pick(['s1', 's2', 'nope']) };
      const { answer, viaLane } = await sameAnswers(query, variables, random() < 0.1);
      // Every generated operation is valid, so each was admitted and its repeat came from the lane.
      expect(viaLane, query).toBe(true);
      cacheControls.add(answer.cacheControl);
      compared++;
      // The admitted document with inputs its admission did not see: other variables, the other caller.
      for (let j = 0; j < 2; j++) {
        const other =
          root === 'entities'
            ? { flag: random() < 0.5, r: [pick([{ __typename: 'Shop', id: 's1' }, { __typename: 'Shop', id: 'nope' }, { __typename: 'Person', id: 'p1' }]), pick([{ __typename: 'Shop', id: 's2' }, { __typename: 'Person', id: 'p2' }])] }
            : { flag: random() < 0.5, id: pick(['s1', 's2', 'nope']) };
        cacheControls.add((await laneMatchesApollo(query, other, random() < 0.2)).cacheControl);
        compared++;
      }
    }
    expect(compared).toBe(120);
    // Not vacuous: the operations reached answers of several policies.
    expect(cacheControls.size).toBeGreaterThanOrEqual(4);
  });

  it('found no answer of its own that differed from Apollo’s while admitting documents', () => {
    expect(laneMismatches.slice(mismatchesBefore)).toEqual([]);
  });
});
