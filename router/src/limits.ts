import {
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { RouterErrorCode, requestError } from './errors.ts';

/**
 * How big an operation is, measured before anything runs.
 *
 * Cost, the formula clients can compute for themselves:
 *
 *     cost(selection set) = Σ cost(field)
 *     cost(field)         = 1 + size(field) × cost(the field's selection set)      (a leaf costs 1)
 *     size(field)         = 1, unless the field returns a list; for a list, the first of:
 *                             its `first`, `pageSize` or `limit` argument (literal or variable),
 *                             the same argument of the connection field just above it
 *                               (`products(first: 100) { nodes { … } }`: nodes has size 100),
 *                             that argument's default in the schema,
 *                             20
 *
 * so list sizes multiply: `pesantrenList(first: 10) { nodes { products(first: 10) { nodes { id } } } }`
 * costs 1 + (1 + 10 × (1 + (1 + 10 × 1))) = 122: pesantrenList, its 10 nodes, each with products
 * and its 10 nodes. Fragments count where they are spread, as if written
 * out; every branch of an abstract type counts (an upper bound). Introspection (`__schema`,
 * `__type`, `__typename`) is answered by the router itself and costs nothing, nor counts for depth.
 *
 * Depth is the longest chain of nested fields (`{ products { nodes { id } } }` is 3). Aliases are
 * counted as the operation would be written out with its fragments expanded, so one aliased
 * fragment spread a thousand times counts a thousand times.
 *
 * Why not graphql-depth-limit or graphql-query-complexity: both walk fragments anew at every
 * spread, so a fragment bomb (ten fragments each spreading the next twice) costs them 2^10 walks
 * before they can say no. Here each fragment is measured once per context and the result reused,
 * so the time is linear in the document's size whatever its expansion would be.
 */
export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
}

export const DEFAULT_LIST_SIZE = 20;
const SIZE_ARGUMENTS = ['first', 'pageSize', 'limit'];

interface Measure extends OperationMeasure {}

const ZERO: Measure = { depth: 0, aliases: 0, cost: 0 };

/**
 * Schema types read by their shape, not with graphql's `isListType` and friends: the schema comes
 * from the gateway, which may have loaded the other copy of graphql (CommonJS where this module
 * got the ES module, as under vitest), and graphql's instanceof checks refuse objects of the other.
 */
interface OutputType {
  ofType?: OutputType;
  toString(): string;
  getFields?: () => Record<string, FieldDefinition>;
  getTypes?: () => unknown;
}
interface FieldDefinition {
  type: OutputType;
  args: readonly { name: string; defaultValue?: unknown }[];
}
type Composite = OutputType & ({ getFields: () => Record<string, FieldDefinition> } | { getTypes: () => unknown });

const isWrapper = (type: OutputType): type is OutputType & { ofType: OutputType } => type.ofType !== undefined;
const withoutNonNull = (type: OutputType): OutputType => (isWrapper(type) && String(type).endsWith('!') ? type.ofType : type);
const isList = (type: OutputType): boolean => isWrapper(type) && !String(type).endsWith('!');
function namedType(type: OutputType): OutputType {
  let named = type;
  while (isWrapper(named)) named = named.ofType;
  return named;
}
const asComposite = (type: unknown): Composite | undefined =>
  type && (typeof (type as OutputType).getFields === 'function' || typeof (type as OutputType).getTypes === 'function') ? (type as Composite) : undefined;

/**
 * Measures one operation against the schema. The document need not be validated yet (this runs
 * before validation, so that validation itself never sees a bomb): unknown fields count as
 * leaves, unknown fragments as nothing, and a fragment cycle stops where it closes (validation
 * then refuses the document).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

  const variableValues: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (variables && name in variables) variableValues[name] = variables[name];
    else if (definition.defaultValue) variableValues[name] = valueFromASTUntyped(definition.defaultValue);
  }

  const memo = new Map<string, Measure>();
  const inProgress = new Set<string>();

  function sizeArgument(field: FieldNode, definition: FieldDefinition | undefined): number | undefined {
    for (const name of SIZE_ARGUMENTS) {
      const argument = field.arguments?.find((a) => a.name.value === name);
      if (argument) {
        const value = argument.value.kind === Kind.VARIABLE ? variableValues[argument.value.name.value] : literalInt(argument.value);
        if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, Math.floor(value));
      }
      const declared = definition?.args.find((a) => a.name === name)?.defaultValue;
      if (typeof declared === 'number') return Math.max(0, declared);
    }
    return undefined;
  }

  /**
   * `pendingSize` is the size a connection field passed down: it applies to the lists directly
   * inside it (its `nodes`, `edges`, `hits`), and no further.
   */
  function selectionSet(set: SelectionSetNode, parent: Composite | undefined, pendingSize: number | undefined): Measure {
    let depth = 0;
    let aliases = 0;
    let cost = 0;
    for (const selection of set.selections) {
      let measured: Measure;
      if (selection.kind === Kind.FIELD) measured = field(selection, parent, pendingSize);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        measured = selectionSet(selection.selectionSet, asComposite(condition), pendingSize);
      } else measured = fragment(selection.name.value, pendingSize);
      depth = Math.max(depth, measured.depth);
      aliases += measured.aliases;
      cost += measured.cost;
    }
    return { depth, aliases, cost };
  }

  function fragment(name: string, pendingSize: number | undefined): Measure {
    const key = `${name}\u0000${pendingSize ?? ''}`;
    const known = memo.get(key);
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition || inProgress.has(key)) return ZERO;
    inProgress.add(key);
    const condition = schema.getType(definition.typeCondition.name.value);
    const measured = selectionSet(definition.selectionSet, asComposite(condition), pendingSize);
    inProgress.delete(key);
    memo.set(key, measured);
    return measured;
  }

  function field(node: FieldNode, parent: Composite | undefined, pendingSize: number | undefined): Measure {
    const alias = node.alias ? 1 : 0;
    if (node.name.value.startsWith('__')) {
      // Introspection runs in the router; it is refused outright in production.
      return { depth: 0, aliases: alias, cost: 0 };
    }
    const definition = parent?.getFields ? parent.getFields()[node.name.value] : undefined;
    const type = definition ? withoutNonNull(definition.type) : undefined;
    const own = sizeArgument(node, definition);
    let multiplier = 1;
    let passedDown: number | undefined;
    if (type && isList(type)) multiplier = own ?? pendingSize ?? DEFAULT_LIST_SIZE;
    else if (own !== undefined) passedDown = own;
    if (!node.selectionSet) return { depth: 1, aliases: alias, cost: 1 };
    const children = selectionSet(node.selectionSet, definition ? asComposite(namedType(definition.type)) : undefined, passedDown);
    return { depth: 1 + children.depth, aliases: alias + children.aliases, cost: 1 + multiplier * children.cost };
  }

  return selectionSet(operation.selectionSet, asComposite(schema.getRootType(operation.operation)), undefined);
}

function literalInt(value: ValueNode): number | undefined {
  return value.kind === Kind.INT ? Number(value.value) : undefined;
}

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  /** The cost budget of the caller's role. */
  maxCost: number;
}

/**
 * Refuses the document when any of its operations is over a limit. Every operation is measured,
 * not only the one asked for, because validation reads the whole document.
 */
export function checkLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | undefined,
  limits: OperationLimits,
): OperationMeasure {
  let worst: OperationMeasure = { ...ZERO };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const measured = measureOperation(schema, document, definition, variables);
    const name = definition.name ? `"${definition.name.value}"` : 'The operation';
    if (measured.depth > limits.maxDepth) {
      throw limitError(RouterErrorCode.QUERY_TOO_DEEP, `${name} is ${measured.depth} fields deep; at most ${limits.maxDepth} are allowed`, {
        depth: measured.depth,
        maxDepth: limits.maxDepth,
      });
    }
    if (measured.aliases > limits.maxAliases) {
      throw limitError(RouterErrorCode.TOO_MANY_ALIASES, `${name} uses ${measured.aliases} aliases; at most ${limits.maxAliases} are allowed`, {
        aliases: measured.aliases,
        maxAliases: limits.maxAliases,
      });
    }
    if (measured.cost > limits.maxCost) {
      throw limitError(
        RouterErrorCode.QUERY_TOO_COMPLEX,
        `${name} costs ${formatCost(measured.cost)}; your budget is ${limits.maxCost} (ask for fewer items with first/pageSize, or fewer fields)`,
        { cost: Number.isFinite(measured.cost) ? measured.cost : Number.MAX_SAFE_INTEGER, maxCost: limits.maxCost },
      );
    }
    worst = { depth: Math.max(worst.depth, measured.depth), aliases: Math.max(worst.aliases, measured.aliases), cost: Math.max(worst.cost, measured.cost) };
  }
  return worst;
}

const formatCost = (cost: number) => (Number.isFinite(cost) && cost < 1e15 ? String(cost) : 'more than 10^15');

const limitError = (code: RouterErrorCode, message: string, details: Record<string, unknown>): GraphQLError => requestError(code, message, details);
