import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  type GraphQLError,
  type GraphQLFieldConfig,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { forbidden, unauthenticated, withoutHttpStatus } from './errors.ts';
import { ANONYMOUS, type Identity } from './identity.ts';

/**
 * Field-level access, declared in each subgraph's SDL with the Federation 2 authorization
 * directives and enforced here, in the subgraph, before a resolver runs:
 *
 * - `@authenticated`: any caller but an anonymous one;
 * - `@requiresScopes(scopes: [["academics:records"]])`: the caller's scopes hold one inner list;
 * - `@policy(policies: [["programme_admin"], ["pesantren_operator"]])`: a policy is a role name,
 *   and the caller's role satisfies one inner list.
 *
 * Outer lists are "any of", inner lists "all of", as in federation. Every directive on a field and
 * on its type (or an extension of the type) must hold. A field without any is public. The same
 * reading serves the enforcement and the published policy table, so the two cannot disagree.
 * Ownership (an operator only acts for their own pesantren) depends on data, so resolvers check it.
 */

export type AccessRule =
  | { kind: 'authenticated' }
  | { kind: 'requiresScopes'; anyOf: readonly (readonly string[])[] }
  | { kind: 'policy'; anyOf: readonly (readonly string[])[] };

/** `Type.field` → the rules that must all hold to read it (none for a public field). */
export type AccessRules = ReadonlyMap<string, readonly AccessRule[]>;

/** Directive names as a subgraph may spell them: imported through `@link`, or namespaced when not. */
const DIRECTIVES = {
  authenticated: ['authenticated', 'federation__authenticated'],
  requiresScopes: ['requiresScopes', 'federation__requiresScopes'],
  policy: ['policy', 'federation__policy'],
} as const;

function rulesOn(schema: GraphQLSchema, node: Parameters<typeof getDirective>[1]): AccessRule[] {
  const rules: AccessRule[] = [];
  for (const name of DIRECTIVES.authenticated) {
    if (getDirective(schema, node, name)?.length) rules.push({ kind: 'authenticated' });
  }
  for (const name of DIRECTIVES.requiresScopes) {
    for (const args of getDirective(schema, node, name) ?? []) rules.push({ kind: 'requiresScopes', anyOf: args['scopes'] as string[][] });
  }
  for (const name of DIRECTIVES.policy) {
    for (const args of getDirective(schema, node, name) ?? []) rules.push({ kind: 'policy', anyOf: args['policies'] as string[][] });
  }
  return rules;
}

/**
 * By tag rather than `isObjectType`: the schema may come from the other module format of graphql
 * (`@apollo/subgraph` loads it as CommonJS; test runners load ours as ESM), whose classes fail
 * graphql's cross-realm instanceof check.
 */
const isObjectType = (type: GraphQLNamedType): type is GraphQLObjectType => type[Symbol.toStringTag] === 'GraphQLObjectType';

/** Every object field of a subgraph schema with its rules, field- and type-level; empty when public. */
export function fieldAccessRules(schema: GraphQLSchema): AccessRules {
  const rules = new Map<string, readonly AccessRule[]>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const onType = rulesOn(schema, type);
    for (const field of Object.values(type.getFields())) rules.set(`${type.name}.${field.name}`, [...onType, ...rulesOn(schema, field)]);
  }
  return rules;
}

/** The access rules of a subgraph schema's annotated fields. */
export const readAccessRules = (schema: GraphQLSchema): AccessRules => new Map([...fieldAccessRules(schema)].filter(([, rules]) => rules.length > 0));

function holds(rule: AccessRule, identity: Identity): boolean {
  switch (rule.kind) {
    case 'authenticated':
      return identity.role !== 'anonymous';
    case 'requiresScopes':
      return rule.anyOf.some((all) => all.every((scope) => identity.scopes.includes(scope)));
    case 'policy':
      return rule.anyOf.some((all) => all.every((policy) => policy === identity.role));
  }
}

/** Whether the identity satisfies every rule (an empty list is a public field). */
export const isAllowed = (rules: readonly AccessRule[], identity: Identity): boolean => rules.every((rule) => holds(rule, identity));

const alternatives = (anyOf: readonly (readonly string[])[]) => anyOf.map((all) => all.join(' and ')).join(' or ');

/** The rules in words, for messages and the policy table: "role pesantren_operator or programme_admin; scope academics:records". */
export function describeRules(rules: readonly AccessRule[]): string {
  if (rules.length === 0) return 'public';
  return rules
    .map((rule) => {
      switch (rule.kind) {
        case 'authenticated':
          return 'authenticated';
        case 'requiresScopes':
          return `scope ${alternatives(rule.anyOf)}`;
        case 'policy':
          return `role ${alternatives(rule.anyOf)}`;
      }
    })
    .join('; ');
}

/**
 * The error a refused caller gets: anonymous callers are asked to sign in, others are told what
 * is missing. Without an HTTP status: the refusal is about one field, so the rest of the response
 * still arrives, and the router keeps the error's path.
 */
export function accessDenied(coordinate: string, rules: readonly AccessRule[], identity: Identity): GraphQLError {
  if (identity.role === 'anonymous') return withoutHttpStatus(unauthenticated(`Sign in to use ${coordinate}`));
  // Only what this caller lacks: a partner with the right role but not the scope is told of the scope.
  const unmet = rules.filter((rule) => !holds(rule, identity));
  return withoutHttpStatus(forbidden(`${coordinate} needs ${describeRules(unmet)}, which this caller (role ${identity.role}) does not have`));
}

const identityOf = (context: unknown): Identity => (context as { identity?: Identity } | null)?.identity ?? ANONYMOUS;

/**
 * Told of every refusal before the caller gets it, with the request as the field received it: for
 * fields whose every attempt must be audited. The refusal waits for it to finish.
 */
export type AccessDeniedHook = (coordinate: string, refusal: { args: Record<string, unknown>; context: unknown; info: GraphQLResolveInfo; error: GraphQLError }) => Promise<void>;

function guarded<TSource, TContext>(
  coordinate: string,
  rules: readonly AccessRule[],
  resolve: GraphQLFieldResolver<TSource, TContext>,
  onDenied: AccessDeniedHook | undefined,
): GraphQLFieldResolver<TSource, TContext> {
  return (source, args, context, info) => {
    const identity = identityOf(context);
    if (!isAllowed(rules, identity)) {
      const error = accessDenied(coordinate, rules, identity);
      if (!onDenied) throw error;
      return onDenied(coordinate, { args, context, info, error }).then(() => Promise.reject(error));
    }
    return resolve(source, args, context, info);
  };
}

/**
 * The subgraph schema with every annotated field guarded, default resolvers included. Entity
 * fields the router asks for through `_entities` go through the same resolvers, so they are
 * guarded too. A context without an identity is treated as anonymous.
 */
export function enforceAccess(schema: GraphQLSchema, onDenied?: AccessDeniedHook): GraphQLSchema {
  const rules = readAccessRules(schema);
  if (rules.size === 0) return schema;
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config: GraphQLFieldConfig<unknown, unknown>, fieldName: string, typeName: string) => {
      const coordinate = `${typeName}.${fieldName}`;
      const fieldRules = rules.get(coordinate);
      return fieldRules ? { ...config, resolve: guarded(coordinate, fieldRules, config.resolve ?? defaultFieldResolver, onDenied) } : config;
    },
  });
}

/** The authorization features of Federation 2, as the supergraph links them. */
const AUTHORIZATION_SPECS = /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes|policy)\/v\d+\.\d+"), for: SECURITY\)/g;

/**
 * The composed supergraph as `@apollo/gateway` can serve it. The gateway cannot enforce the
 * authorization directives and so refuses a supergraph that links them `for: SECURITY`; here the
 * subgraphs enforce them (see `enforceAccess`), so the links stay, as documentation, without the
 * purpose that asks the router to enforce them.
 */
export const supergraphWithSubgraphAuthorization = (supergraphSdl: string): string => supergraphSdl.replace(AUTHORIZATION_SPECS, '$1)');
