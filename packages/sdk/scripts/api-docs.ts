import {
  Kind,
  TypeInfo,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isObjectType,
  print,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';

/**
 * A graphql-codegen plugin writing `packages/sdk/API.md`: for every SDK operation, what the public
 * schema's descriptions say about its root field, its arguments and the types it returns. Run by
 * `npm run codegen`, so the reference is regenerated with the SDK and checked for drift with the
 * other generated files. Only the fields the SDK selects are listed: they are what a developer
 * receives.
 */

interface DocumentFile {
  location?: string;
  document?: DocumentNode;
}

/** The SDK names each convenience method after its operation: `PesantrenList` → `client.pesantrenList`. */
export const methodName = (operationName: string): string => operationName.charAt(0).toLowerCase() + operationName.slice(1);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** Schema descriptions are Markdown already; only what would break a table row or turn into HTML is escaped. */
const inline = (text: string | null | undefined): string =>
  (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').trim();
const block = (text: string | null | undefined): string => (text ?? '').replace(/</g, '&lt;').replace(/>/g, '&gt;').trim();

/**
 * graphql-codegen hands plugins a lexicographically sorted schema; the SDL's own order (`first`
 * before `after`, DRAFT before FEATURED) reads better and is kept on each definition's AST node.
 */
function inSchemaOrder<T extends { name: string }>(items: readonly T[], nodes: readonly { name: { value: string } }[] | undefined): T[] {
  const position = new Map((nodes ?? []).map((node, index) => [node.name.value, index]));
  return [...items].sort((a, b) => (position.get(a.name) ?? Infinity) - (position.get(b.name) ?? Infinity));
}
const argumentsOf = (field: GraphQLField<unknown, unknown>) => inSchemaOrder(field.args, field.astNode?.arguments);

export function renderApiDocs(schema: GraphQLSchema, files: readonly DocumentFile[]): string {
  const definitions = files.flatMap((file) => file.document?.definitions ?? []);
  const operations = definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = new Map(
    definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  operations.sort((a, b) => a.name!.value.localeCompare(b.name!.value));

  // What the operations select, per type, and every type reachable from their variables.
  const selected = new Map<string, Set<string>>();
  const documented = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  for (const definition of definitions) {
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field() {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (!parent || !field || parent === schema.getQueryType() || parent === schema.getMutationType()) return;
          if (!selected.has(parent.name)) selected.set(parent.name, new Set());
          selected.get(parent.name)!.add(field.name);
          documented.add(parent.name);
          const named = getNamedType(field.type);
          if (isEnumType(named)) documented.add(named.name);
        },
      }),
    );
  }
  const addInput = (type: GraphQLInputType) => {
    const named = getNamedType(type);
    if (documented.has(named.name)) return;
    if (isEnumType(named)) documented.add(named.name);
    if (isInputObjectType(named)) {
      documented.add(named.name);
      for (const field of Object.values(named.getFields())) addInput(field.type);
    }
  };
  const rootFieldOf = (operation: OperationDefinitionNode) => {
    const root = operation.operation === 'mutation' ? schema.getMutationType()! : schema.getQueryType()!;
    return operation.selectionSet.selections.flatMap((selection) =>
      selection.kind === Kind.FIELD ? [{ node: selection, field: root.getFields()[selection.name.value]!, root: root.name }] : [],
    );
  };
  for (const operation of operations) {
    for (const { field } of rootFieldOf(operation)) {
      for (const argument of field.args) addInput(argument.type);
      const named = getNamedType(field.type);
      if (isEnumType(named)) documented.add(named.name);
    }
  }

  const typeRef = (type: GraphQLOutputType | GraphQLInputType): string => {
    const named = getNamedType(type);
    return documented.has(named.name) ? `[\`${String(type)}\`](#${anchor(named.name)})` : `\`${String(type)}\``;
  };
  const value = (node: ValueNode | undefined) => (node ? `\`${print(node)}\`` : '');
  const defaultOf = (argument: Pick<GraphQLArgument, 'astNode'>) => value(argument.astNode?.defaultValue);

  /** The argument each variable is passed to, for its description. */
  const bindings = (operation: OperationDefinitionNode) => {
    const found = new Map<string, { coordinate: string; argument: GraphQLArgument }>();
    const seen = new Set<string>();
    // A fragment is walked while its spread is being visited, so each walk keeps its own TypeInfo.
    const walk = (node: OperationDefinitionNode | FragmentDefinitionNode): void => {
      const info = new TypeInfo(schema);
      visit(
        node,
        visitWithTypeInfo(info, {
          Argument(argumentNode) {
            const argument = info.getArgument();
            const parent = info.getParentType();
            const field = info.getFieldDef();
            if (argumentNode.value.kind === Kind.VARIABLE && argument && parent && field && !found.has(argumentNode.value.name.value)) {
              found.set(argumentNode.value.name.value, { coordinate: `${parent.name}.${field.name}(${argument.name})`, argument });
            }
          },
          FragmentSpread(spread) {
            const fragment = fragments.get(spread.name.value);
            if (fragment && !seen.has(fragment.name.value)) {
              seen.add(fragment.name.value);
              walk(fragment);
            }
          },
        }),
      );
    };
    walk(operation);
    return found;
  };

  /** The operation and the fragments it spreads, directly or not: what the SDK sends, pretty-printed. */
  const sentText = (operation: OperationDefinitionNode) => {
    const used: FragmentDefinitionNode[] = [];
    const collect = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
      visit(node, {
        FragmentSpread(spread) {
          const fragment = fragments.get(spread.name.value);
          if (fragment && !used.includes(fragment)) {
            used.push(fragment);
            collect(fragment);
          }
        },
      });
    collect(operation);
    return [operation, ...used].map((node) => print(node)).join('\n\n');
  };

  const out: string[] = [];
  out.push('<!-- Generated by `npm run codegen` from schema/api.graphql and schema/operations/sdk/. Do not edit. -->');
  out.push('', '# @opop/sdk API reference', '');
  out.push(
    'Every operation the SDK sends, with what the public schema (`schema/api.graphql`) says about it. Each is a typed',
    'document in `@opop/sdk` (`ProductDocument`, …) and a method of the client (`client.product(variables)`), which',
    'resolves to the value of the root field. The types list the fields the SDK selects; the schema has more, which',
    '`client.request` can ask for with a document of your own.',
    '',
    'See [README.md](README.md) for the client itself: API keys, retries, persisted operations and errors.',
    '',
    '## Operations',
    '',
    '| Method | Operation | Root field | Returns |',
    '|---|---|---|---|',
  );
  for (const operation of operations) {
    const name = operation.name!.value;
    const method = `client.${methodName(name)}`;
    for (const { field, root } of rootFieldOf(operation)) {
      out.push(`| [\`${method}\`](#${anchor(method)}) | ${operation.operation} \`${name}\` | \`${root}.${field.name}\` | ${typeRef(field.type)} |`);
    }
  }

  for (const operation of operations) {
    const name = operation.name!.value;
    const method = `client.${methodName(name)}`;
    out.push('', `### \`${method}\``, '');
    const bound = bindings(operation);
    for (const { node, field, root } of rootFieldOf(operation)) {
      const signature = field.args.length ? `(${argumentsOf(field).map((a) => `${a.name}: ${String(a.type)}`).join(', ')})` : '';
      out.push(`${operation.operation} \`${name}\` → \`${root}.${field.name}${signature}: ${String(field.type)}\``, '');
      if (field.description) out.push(block(field.description), '');
      if (field.args.length) {
        out.push('| Argument | Type | Default | In this operation | Description |', '|---|---|---|---|---|');
        for (const argument of argumentsOf(field)) {
          const given = node.arguments?.find((a) => a.name.value === argument.name)?.value;
          out.push(`| \`${argument.name}\` | ${typeRef(argument.type)} | ${defaultOf(argument)} | ${value(given)} | ${inline(argument.description)} |`);
        }
        out.push('');
      }
      out.push(`Returns ${typeRef(field.type)}${field.type.toString().endsWith('!') ? '' : ', or null'}.`, '');
    }
    const variables = operation.variableDefinitions ?? [];
    if (variables.length) {
      out.push('| Variable | Type | Default | Passed to | Description |', '|---|---|---|---|---|');
      for (const variable of variables) {
        const binding = bound.get(variable.variable.name.value);
        const type = print(variable.type);
        const named = getNamedType(schema.getType(type.replace(/[[\]!]/g, '')) as GraphQLNamedType);
        const shown = documented.has(named.name) ? `[\`${type}\`](#${anchor(named.name)})` : `\`${type}\``;
        out.push(
          `| \`$${variable.variable.name.value}\` | ${shown} | ${value(variable.defaultValue)} | ${binding ? `\`${binding.coordinate}\`` : ''} | ${inline(binding?.argument.description)} |`,
        );
      }
      out.push('');
    }
    out.push('<details><summary>The operation, with its fragments</summary>', '', '```graphql', sentText(operation), '```', '', '</details>');
  }

  const sections: [string, (type: GraphQLNamedType) => boolean][] = [
    ['Result types', isObjectType],
    ['Input types', isInputObjectType],
    ['Enums', isEnumType],
  ];
  for (const [title, belongs] of sections) {
    const types = [...documented]
      .map((name) => schema.getType(name)!)
      .filter(belongs)
      .sort((a, b) => a.name.localeCompare(b.name));
    if (!types.length) continue;
    out.push('', `## ${title}`);
    for (const type of types) {
      out.push('', `### \`${type.name}\``, '');
      if (type.description) out.push(block(type.description), '');
      if (isObjectType(type)) {
        const fields = inSchemaOrder(Object.values(type.getFields()), type.astNode?.fields).filter((f) => selected.get(type.name)?.has(f.name));
        out.push('| Field | Type | Description |', '|---|---|---|');
        for (const field of fields as GraphQLField<unknown, unknown>[]) {
          const args = field.args.length ? `(${argumentsOf(field).map((a) => a.name).join(', ')})` : '';
          out.push(`| \`${field.name}${args}\` | ${typeRef(field.type)} | ${inline(field.description)} |`);
        }
      } else if (isInputObjectType(type)) {
        out.push('| Field | Type | Default | Description |', '|---|---|---|---|');
        for (const field of inSchemaOrder(Object.values(type.getFields()), type.astNode?.fields)) {
          out.push(`| \`${field.name}\` | ${typeRef(field.type)} | ${defaultOf(field)} | ${inline(field.description)} |`);
        }
      } else if (isEnumType(type)) {
        out.push('| Value | Description |', '|---|---|');
        for (const enumValue of inSchemaOrder(type.getValues(), type.astNode?.values)) out.push(`| \`${enumValue.name}\` | ${inline(enumValue.description)} |`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

export const plugin = (schema: GraphQLSchema, documents: readonly DocumentFile[]): string => renderApiDocs(schema, documents);
