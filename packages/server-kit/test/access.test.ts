import { createRequire } from 'node:module';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { gql } from 'graphql-tag';
import { describe, expect, it } from 'vitest';
import { describeRules, enforceAccess, isAllowed, readAccessRules, supergraphWithSubgraphAuthorization } from '../src/access.ts';
import { ANONYMOUS, type Identity } from '../src/identity.ts';

const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])

  type Query {
    open: String
    admins: String @policy(policies: [["programme_admin"]])
    managers: String @policy(policies: [["pesantren_operator"], ["programme_admin"]])
    records: String @requiresScopes(scopes: [["academics:records"]]) @policy(policies: [["academic_partner"]])
    signedIn: String @authenticated
    order: Order
    ledger: Ledger
  }

  "Default resolvers only: the values come from the parent object."
  type Order @key(fields: "id") {
    id: ID!
    number: String!
    buyerName: String! @policy(policies: [["pesantren_operator"], ["programme_admin"]])
  }

  type Ledger @policy(policies: [["programme_admin"]]) {
    total: Int!
  }

  extend type Ledger {
    audited: Boolean! @requiresScopes(scopes: [["academics:aggregate"]])
  }
`;

const resolved: string[] = [];
const resolvers = {
  Query: {
    open: () => 'open',
    admins: () => {
      resolved.push('admins');
      return 'admins';
    },
    managers: () => 'managers',
    records: () => 'records',
    signedIn: () => 'signed in',
    order: () => ({ id: 'o1', number: 'OPOP-1', buyerName: 'Siti' }),
    ledger: () => ({ total: 3, audited: true }),
  },
  Order: { __resolveReference: (reference: { id: string }) => ({ id: reference.id, number: 'OPOP-1', buyerName: 'Siti' }) },
};

// Executed by the copy of graphql that built the schema (@apollo/subgraph loads it as CommonJS):
// the test runner would give this file the ES module copy, whose checks refuse the other's types.
const { graphql } = createRequire(import.meta.url)('graphql') as typeof import('graphql');
const schema = enforceAccess(buildSubgraphSchema([{ typeDefs, resolvers }]));
const who = (role: Identity['role'], scopes: string[] = []): Identity => ({ role, subject: role === 'anonymous' ? null : `test-${role}`, pesantrenId: null, scopes });

async function ask(source: string, identity: Identity, variableValues?: Record<string, unknown>) {
  const result = await graphql({ schema, source, contextValue: { identity }, ...(variableValues ? { variableValues } : {}) });
  return { data: result.data, errors: (result.errors ?? []).map((error) => ({ path: error.path?.join('.'), code: error.extensions['code'], http: error.extensions['http'] })) };
}

describe('reading the access directives', () => {
  it('reads field- and type-level rules, type extensions included', () => {
    const rules = readAccessRules(schema);
    expect(describeRules(rules.get('Query.managers')!)).toBe('role pesantren_operator or programme_admin');
    expect(describeRules(rules.get('Query.records')!)).toBe('scope academics:records; role academic_partner');
    expect(describeRules(rules.get('Query.signedIn')!)).toBe('authenticated');
    expect(describeRules(rules.get('Ledger.total')!)).toBe('role programme_admin');
    expect(describeRules(rules.get('Ledger.audited')!)).toBe('role programme_admin; scope academics:aggregate');
    expect(rules.has('Query.open')).toBe(false);
    expect(rules.has('Order.number')).toBe(false);
  });

  it('holds every directive, any of the outer list and all of an inner one', () => {
    const rules = readAccessRules(schema).get('Query.records')!;
    expect(isAllowed(rules, who('academic_partner', ['academics:records']))).toBe(true);
    expect(isAllowed(rules, who('academic_partner'))).toBe(false);
    expect(isAllowed(rules, who('programme_admin', ['academics:records']))).toBe(false);
    expect(isAllowed(readAccessRules(schema).get('Query.managers')!, who('pesantren_operator'))).toBe(true);
    expect(isAllowed(readAccessRules(schema).get('Query.signedIn')!, who('media_partner'))).toBe(true);
    expect(isAllowed(readAccessRules(schema).get('Query.signedIn')!, ANONYMOUS)).toBe(false);
  });
});

describe('enforcing them', () => {
  it('asks anonymous callers to sign in and tells others they may not, before the resolver runs', async () => {
    resolved.length = 0;
    expect(await ask('{ admins }', ANONYMOUS)).toEqual({ data: { admins: null }, errors: [{ path: 'admins', code: 'UNAUTHENTICATED', http: undefined }] });
    expect((await ask('{ admins }', who('pesantren_operator'))).errors).toEqual([{ path: 'admins', code: 'FORBIDDEN', http: undefined }]);
    expect(resolved).toEqual([]);
    expect(await ask('{ admins open }', who('programme_admin'))).toEqual({ data: { admins: 'admins', open: 'open' }, errors: [] });
    expect(resolved).toEqual(['admins']);
  });

  it('guards fields with default resolvers and keeps the rest of the answer', async () => {
    expect(await ask('{ order { number buyerName } open }', ANONYMOUS)).toEqual({
      data: { order: null, open: 'open' },
      errors: [{ path: 'order.buyerName', code: 'UNAUTHENTICATED', http: undefined }],
    });
    expect((await ask('{ order { number buyerName } }', who('pesantren_operator'))).data).toEqual({ order: { number: 'OPOP-1', buyerName: 'Siti' } });
  });

  it('guards entity fields asked for through _entities', async () => {
    const query = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Order { number buyerName } } }';
    const representations = [{ __typename: 'Order', id: 'o1' }];
    expect((await ask(query, who('media_partner'), { representations })).errors).toEqual([{ path: '_entities.0.buyerName', code: 'FORBIDDEN', http: undefined }]);
    expect((await ask(query, who('programme_admin'), { representations })).data).toEqual({ _entities: [{ number: 'OPOP-1', buyerName: 'Siti' }] });
  });

  it('applies a type-level rule to every field of the type, with the field-level rules on top', async () => {
    expect((await ask('{ ledger { total } }', who('pesantren_operator'))).errors).toEqual([{ path: 'ledger.total', code: 'FORBIDDEN', http: undefined }]);
    expect((await ask('{ ledger { total } }', who('programme_admin'))).data).toEqual({ ledger: { total: 3 } });
    expect((await ask('{ ledger { audited } }', who('programme_admin'))).errors).toEqual([{ path: 'ledger.audited', code: 'FORBIDDEN', http: undefined }]);
    expect((await ask('{ ledger { audited } }', who('programme_admin', ['academics:aggregate']))).data).toEqual({ ledger: { audited: true } });
  });

  it('treats a context without an identity as anonymous', async () => {
    const result = await graphql({ schema, source: '{ managers }', contextValue: {} });
    expect(result.errors?.[0]?.extensions['code']).toBe('UNAUTHENTICATED');
  });
});

describe('the supergraph for the gateway', () => {
  it('keeps the authorization links but not their claim on the router', () => {
    const sdl = [
      'schema',
      '  @link(url: "https://specs.apollo.dev/link/v1.0")',
      '  @link(url: "https://specs.apollo.dev/join/v0.4", for: EXECUTION)',
      '  @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
      '  @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)',
      '  @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)',
      '  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)',
    ].join('\n');
    expect(supergraphWithSubgraphAuthorization(sdl)).toBe(
      [
        'schema',
        '  @link(url: "https://specs.apollo.dev/link/v1.0")',
        '  @link(url: "https://specs.apollo.dev/join/v0.4", for: EXECUTION)',
        '  @link(url: "https://specs.apollo.dev/policy/v0.1")',
        '  @link(url: "https://specs.apollo.dev/requiresScopes/v0.1")',
        '  @link(url: "https://specs.apollo.dev/authenticated/v0.1")',
        '  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)',
      ].join('\n'),
    );
  });
});
