import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ROLES, describeRules, fieldAccessRules, isAllowed, type AccessRule, type Identity } from '@opop/server-kit';
import { buildSchema, getNamedType, isAbstractType, isObjectType, type GraphQLNamedType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { gql } from 'graphql-tag';
import { composeSupergraph, SUBGRAPHS, sdlPath } from '@opop/router';

/**
 * The one policy table: which role may read which field of the public API, generated from the
 * access directives in the subgraphs' SDL (the same reading `enforceAccess` enforces).
 * `npm run access-policy` writes docs/access-policy.md; `--check` fails when it is stale.
 */

export const POLICY_PATH = new URL('../docs/access-policy.md', import.meta.url);

export type TableRole = (typeof ROLES)[number];
/** `yes` without any scope, `scope` only with the scopes the rules name, `no` never. */
export type Access = 'yes' | 'scope' | 'no';

export interface FieldPolicy {
  /** `Type.field` */
  coordinate: string;
  type: string;
  field: string;
  /** The field's own rules, field- and type-level; empty when public. */
  rules: readonly AccessRule[];
  /** What each role may do, counting what it takes to reach the field's type. */
  access: Record<TableRole, Access>;
  /** The annotated fields the type is reached through, when they narrow who may read this field. */
  through: readonly string[];
  /** No field leads to the type from Query or Mutation, so nobody can read this field. */
  orphan: boolean;
}

export interface AccessPolicy {
  /** The public API schema, as composed. */
  apiSchema: GraphQLSchema;
  /** Every field of every object type of the public API, Query and Mutation first. */
  fields: FieldPolicy[];
  /** Annotated fields that are hidden from the public API (`@inaccessible`), for the record. */
  hidden: { coordinate: string; rules: readonly AccessRule[] }[];
  /** Every scope some rule names. */
  scopes: string[];
}

const LEVEL: Record<Access, number> = { no: 0, scope: 1, yes: 2 };
const ACCESS: readonly Access[] = ['no', 'scope', 'yes'];
const ROOTS = ['Query', 'Mutation'];

const sameRules = (a: readonly AccessRule[], b: readonly AccessRule[]) => JSON.stringify(a) === JSON.stringify(b);

/** Each subgraph's rules, merged; a field two subgraphs resolve must carry the same rules in both. */
async function subgraphRules(): Promise<Map<string, readonly AccessRule[]>> {
  const merged = new Map<string, { rules: readonly AccessRule[]; from: string }>();
  for (const { name } of SUBGRAPHS) {
    const schema = buildSubgraphSchema([{ typeDefs: gql(await readFile(sdlPath(name), 'utf8')) }]);
    for (const [coordinate, own] of fieldAccessRules(schema)) {
      const seen = merged.get(coordinate);
      // The router may send a shared field to either subgraph: a rule only one of them enforces is a hole.
      if (seen && !sameRules(seen.rules, own)) {
        throw new Error(`${coordinate} has different access rules in ${seen.from} (${describeRules(seen.rules)}) and ${name} (${describeRules(own)})`);
      }
      merged.set(coordinate, { rules: own, from: name });
    }
  }
  return new Map([...merged].filter(([, { rules }]) => rules.length > 0).map(([coordinate, { rules }]) => [coordinate, rules]));
}

const identity = (role: TableRole, scopes: readonly string[]): Identity => ({ role, subject: role === 'anonymous' ? null : `policy-${role}`, pesantrenId: null, scopes });

function ownAccess(rules: readonly AccessRule[], role: TableRole, scopes: readonly string[]): Access {
  if (isAllowed(rules, identity(role, []))) return 'yes';
  // Scopes come with a token or an API key, which an anonymous caller never has.
  return role !== 'anonymous' && isAllowed(rules, identity(role, scopes)) ? 'scope' : 'no';
}

const objectTypes = (schema: GraphQLSchema, type: GraphQLNamedType): GraphQLObjectType[] =>
  isObjectType(type) ? [type] : isAbstractType(type) ? [...schema.getPossibleTypes(type)] : [];

/** Reads the rules from the subgraphs' SDL and works out, per role, what each public field takes. */
export async function accessPolicy(): Promise<AccessPolicy> {
  const { apiSchemaSdl } = await composeSupergraph();
  const apiSchema = buildSchema(apiSchemaSdl);
  const rules = await subgraphRules();
  const scopes = [...new Set([...rules.values()].flat().flatMap((rule) => (rule.kind === 'requiresScopes' ? rule.anyOf.flat() : [])))].sort();

  const types = Object.values(apiSchema.getTypeMap()).filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'));
  types.sort((a, b) => {
    const rank = (name: string) => (ROOTS.includes(name) ? ROOTS.indexOf(name) : ROOTS.length);
    return rank(a.name) - rank(b.name) || a.name.localeCompare(b.name);
  });

  const own = (coordinate: string, role: TableRole) => LEVEL[ownAccess(rules.get(coordinate) ?? [], role, scopes)];
  // How far each role gets to a type: the best path from Query or Mutation, a path being as open as its narrowest field.
  const reach = new Map<string, Record<TableRole, number>>();
  const reachOf = (name: string) => reach.get(name) ?? Object.fromEntries(ROLES.map((role) => [role, 0])) as Record<TableRole, number>;
  for (const root of ROOTS) if (apiSchema.getType(root)) reach.set(root, Object.fromEntries(ROLES.map((role) => [role, LEVEL.yes])) as Record<TableRole, number>);
  for (let changed = true; changed; ) {
    changed = false;
    for (const type of types) {
      const from = reach.get(type.name);
      if (!from) continue;
      for (const field of Object.values(type.getFields())) {
        for (const target of objectTypes(apiSchema, getNamedType(field.type))) {
          const current = reachOf(target.name);
          const next = { ...current };
          for (const role of ROLES) next[role] = Math.max(current[role], Math.min(from[role], own(`${type.name}.${field.name}`, role)));
          if (ROLES.some((role) => next[role] !== current[role])) {
            reach.set(target.name, next);
            changed = true;
          }
        }
      }
    }
  }

  // The annotated fields a type is entered through; a public path from a root leaves none to name.
  const entries = new Map<string, string[]>();
  for (const type of types) {
    for (const field of Object.values(type.getFields())) {
      for (const target of objectTypes(apiSchema, getNamedType(field.type))) {
        entries.set(target.name, [...(entries.get(target.name) ?? []), `${type.name}.${field.name}`]);
      }
    }
  }
  function gates(typeName: string, seen = new Set<string>()): string[] {
    if (ROOTS.includes(typeName) || seen.has(typeName)) return [];
    seen.add(typeName);
    return [...new Set((entries.get(typeName) ?? []).flatMap((coordinate) => (rules.has(coordinate) ? [coordinate] : gates(coordinate.split('.')[0]!, seen))))].sort();
  }

  const fields: FieldPolicy[] = types.flatMap((type) =>
    Object.values(type.getFields()).map((field) => {
      const coordinate = `${type.name}.${field.name}`;
      const reached = reachOf(type.name);
      const access = Object.fromEntries(ROLES.map((role) => [role, ACCESS[Math.min(reached[role], own(coordinate, role))]!])) as Record<TableRole, Access>;
      const narrowed = ROLES.some((role) => access[role] !== ACCESS[own(coordinate, role)]);
      const orphan = !reach.has(type.name);
      return { coordinate, type: type.name, field: field.name, rules: rules.get(coordinate) ?? [], access, through: narrowed && !orphan ? gates(type.name) : [], orphan };
    }),
  );
  const published = new Set(fields.map((field) => field.coordinate));
  const hidden = [...rules].filter(([coordinate]) => !published.has(coordinate)).map(([coordinate, hiddenRules]) => ({ coordinate, rules: hiddenRules }));
  hidden.sort((a, b) => a.coordinate.localeCompare(b.coordinate));
  return { apiSchema, fields, hidden, scopes };
}

const CELL: Record<Access, string> = { yes: 'yes', scope: 'with scope', no: '–' };
const code = (text: string) => `\`${text}\``;

function ruleCell(field: FieldPolicy): string {
  const rule = field.rules.length ? describeRules(field.rules) : 'public';
  if (field.orphan) return `${rule}; no field leads to ${code(field.type)}`;
  return field.through.length ? `${rule}; reached through ${field.through.map(code).join(', ')}` : rule;
}

export function accessPolicyMarkdown(policy: AccessPolicy): string {
  const total = policy.fields.length;
  const count = (role: TableRole, access: Access) => policy.fields.filter((field) => field.access[role] === access).length;
  const lines = [
    '# Access policy',
    '',
    '<!-- Generated by `npm run access-policy` from the access directives in subgraphs/*/schema.graphql. Do not edit: change the SDL and run it again. -->',
    '',
    'Which role may read which field of the public API (`schema/api.graphql`). A test fails when this',
    'table is stale (`test/access-policy.test.ts`), and another walks it: it runs, through the router,',
    'an operation reaching every field as every role and checks the answer against this table',
    '(`router/test/access-policy.e2e.test.ts`).',
    '',
    '## The model',
    '',
    '- **Roles.** Every caller has one: `anonymous` (shoppers, the widgets), `media_partner`,',
    '  `academic_partner`, `pesantren_operator` (acts for one pesantren) and `programme_admin` (the',
    "  provincial office). The router alone may act as `service`, for lookups hidden from the public",
    '  API; no access token carries it.',
    `- **Scopes** are narrower than roles and are granted per token or API key: ${policy.scopes.length ? policy.scopes.map(code).join(', ') : 'none yet'}.`,
    '  A cell reads "with scope" when the role may read the field only with the scope its rule (or the',
    '  rule of the field it is reached through) names.',
    '- **Declared in the SDL.** Each subgraph marks fields (or whole types) with the Federation 2',
    '  directives `@authenticated`, `@requiresScopes(scopes: [["academics:records"]])` and',
    '  `@policy(policies: [["pesantren_operator"], ["programme_admin"]])`, where a policy is a role name.',
    '  Outer lists mean "any of", inner lists "all of"; every directive on a field and on its type must',
    '  hold. A field without one is public.',
    '- **Enforced in the subgraph.** `enforceAccess` (packages/server-kit/src/access.ts) wraps every',
    '  annotated field, default resolvers and entity fields reached through `_entities` included, and',
    '  refuses a caller before the resolver runs: `UNAUTHENTICATED` when anonymous, `FORBIDDEN`',
    '  otherwise. The field is null with that error; the rest of the answer still arrives.',
    '- **Ownership in resolvers.** What depends on data stays in the resolvers: an operator manages',
    "  only their own pesantren's sellers, products (drafts and curation history included), order",
    '  requests, programmes and santri; shoppers see only listed products. The table says which roles',
    '  may ask; the resolver still checks whose record it is.',
    '- **Trust boundary at the router.** The router verifies access tokens and API keys and forwards',
    '  every caller, anonymous ones too, as a short-lived identity signed with a secret only it and the',
    '  subgraphs hold (`x-opop-identity`). A subgraph refuses a request whose identity is missing or',
    '  does not verify (local development may serve unsigned requests as anonymous), then enforces',
    '  these rules itself: the router does not (`@apollo/gateway` cannot), and the supergraph carries',
    '  the directives as documentation only. Calling a subgraph directly gains nothing.',
    '- **Reading the table.** A field is readable when its own rule allows the role and its type can be',
    "  reached from `Query` or `Mutation` through fields the role may read: a public field of a type",
    '  only reached through a restricted field is restricted too, and says which fields it is reached',
    '  through; one no field leads to cannot be read at all. Input types and enums carry no rules. A',
    '  mutation a role may call can still refuse the call for its input or for whose record it is.',
    '',
    '## Summary',
    '',
    `${total} fields.`,
    '',
    '| Role | Readable | With scope | Refused |',
    '|---|---|---|---|',
    ...ROLES.map((role) => `| ${code(role)} | ${count(role, 'yes')} | ${count(role, 'scope')} | ${count(role, 'no')} |`),
    '',
    '## Fields',
  ];
  for (const [type, fields] of Map.groupBy(policy.fields, (field) => field.type)) {
    lines.push('', `### ${type}`, '', `| Field | ${ROLES.map(code).join(' | ')} | Rule |`, `|---|${ROLES.map(() => '---|').join('')}---|`);
    for (const field of fields) lines.push(`| ${code(field.coordinate)} | ${ROLES.map((role) => CELL[field.access[role]]).join(' | ')} | ${ruleCell(field)} |`);
  }
  if (policy.hidden.length) {
    lines.push('', '## Hidden from the public API', '', 'Annotated fields the router may use but clients cannot ask for (`@inaccessible`).', '', '| Field | Rule |', '|---|---|');
    for (const field of policy.hidden) lines.push(`| ${code(field.coordinate)} | ${describeRules(field.rules)} |`);
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.main) {
  const markdown = accessPolicyMarkdown(await accessPolicy());
  const path = fileURLToPath(POLICY_PATH);
  const committed = await readFile(path, 'utf8').catch(() => '');
  if (process.argv.includes('--check')) {
    if (committed !== markdown) {
      console.error(`${path} is stale: run \`npm run access-policy\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${path} is up to date.`);
  } else {
    await writeFile(path, markdown);
    console.log(committed === markdown ? `${path} was already up to date.` : `wrote ${path}`);
  }
}
