import {
  GraphQLError,
  Kind,
  parse,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldDefinitionNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type TypeNode,
  type ValueNode,
} from 'graphql';
import { RouterErrorCode, requestError } from './errors.ts';

/**
 * How big an operation is, measured before anything runs.
 *
 * Cost, the formula clients can compute for themselves:
 *
 *     cost(selection set) = Σ cost(field)
 *     cost(field)         = 1 + size(field) × cost(the field's selection set)
 *     cost(leaf)          = size(leaf): 1 for a scalar or enum, one per item for a list of them
 *     size(field)         = 1, unless the field returns a list; for a list, the maximum its
 *                           subgraph declares with `@listSize` (Apollo's demand-control
 *                           directive, carried into the supergraph by composition), the first of:
 *                             the size of the field just above, when that field names this one in
 *                               its `sizedFields` (`products(first: 100) { nodes { … } }`: nodes has size 100),
 *                             the largest of its `slicingArguments` given (literal or variable), or
 *                               their defaults in the schema,
 *                             its `assumedSize`
 *
 * so list sizes multiply: `pesantrenList(first: 10) { nodes { products(first: 10) { nodes { id } } } }`
 * costs 1 + (1 + 10 × (1 + (1 + 10 × 1))) = 122: pesantrenList, its 10 nodes, each with products
 * and its 10 nodes. A list without a declared maximum cannot exist: `ListSizes.fromSupergraph`
 * refuses such a supergraph, so composition fails and the router does not start. Fragments count where they are spread,
 * as if written out; every branch of an abstract type counts (an upper bound). Introspection
 * (`__schema`, `__type`, `__typename`) is answered by the router itself and costs nothing, nor
 * counts for depth.
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

/** What a field's `@listSize` declares (https://specs.apollo.dev/cost/v0.1). */
export interface ListSize {
  assumedSize: number | undefined;
  slicingArguments: readonly string[];
  /** Lists of the returned type that the slicing arguments (or assumedSize) size: a connection's `nodes` and `edges`. */
  sizedFields: readonly string[];
}

/** The supergraph has lists whose size nothing declares: their cost would be a guess. */
export class UnboundedListsError extends Error {
  override name = 'UnboundedListsError';
  readonly fields: readonly string[];
  constructor(fields: readonly string[]) {
    super(
      `These lists declare no maximum: ${fields.join(', ')}. Give each, in its subgraph's schema.graphql, ` +
        '@listSize(assumedSize: N) with N the most items the code can return, or @listSize(slicingArguments: ["first"]) ' +
        'when an argument bounds it; a connection field sizes its lists with sizedFields: ["edges", "nodes"].',
    );
    this.fields = fields;
  }
}

/**
 * The declared maximum of every list field of the supergraph, keyed by `Type.field`, read from
 * the `@listSize` directives composition keeps in the supergraph SDL (the API schema drops them).
 */
export class ListSizes {
  readonly #byField: ReadonlyMap<string, ListSize>;

  private constructor(byField: ReadonlyMap<string, ListSize>) {
    this.#byField = byField;
  }

  of(typeName: string, fieldName: string): ListSize | undefined {
    return this.#byField.get(`${typeName}.${fieldName}`);
  }

  /** Throws UnboundedListsError unless every list field of an object or interface has a maximum. */
  static fromSupergraph(supergraphSdl: string): ListSizes {
    const document = parse(supergraphSdl, { noLocation: true });
    const fields: { parent: string; field: FieldDefinitionNode }[] = [];
    for (const definition of document.definitions) {
      if (
        definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
        definition.kind === Kind.OBJECT_TYPE_EXTENSION ||
        definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
        definition.kind === Kind.INTERFACE_TYPE_EXTENSION
      ) {
        for (const field of definition.fields ?? []) fields.push({ parent: definition.name.value, field });
      }
    }
    const byField = new Map<string, ListSize>();
    /** For each type, the fields returning it: each may size some of its lists. */
    const returning = new Map<string, ListSize[]>();
    for (const { parent, field } of fields) {
      const declared = listSizeOf(field);
      if (declared) byField.set(`${parent}.${field.name.value}`, declared);
      const type = typeShape(field.type);
      returning.set(type.named, [...(returning.get(type.named) ?? []), declared ?? NONE]);
    }
    const unbounded: string[] = [];
    for (const { parent, field } of fields) {
      const type = typeShape(field.type);
      if (!type.list) continue;
      const own = byField.get(`${parent}.${field.name.value}`);
      const ownBound = own !== undefined && (own.assumedSize !== undefined || (own.slicingArguments.length > 0 && own.slicingArguments.every((name) => hasDefault(field, name))));
      const parents = returning.get(parent) ?? [];
      const sizedAbove = parents.length > 0 && parents.every((above) => above.sizedFields.includes(field.name.value) && (above.assumedSize !== undefined || above.slicingArguments.length > 0));
      if (!ownBound && !sizedAbove) unbounded.push(`${parent}.${field.name.value}`);
    }
    if (unbounded.length > 0) throw new UnboundedListsError(unbounded);
    return new ListSizes(byField);
  }
}

const NONE: ListSize = { assumedSize: undefined, slicingArguments: [], sizedFields: [] };

function listSizeOf(field: FieldDefinitionNode): ListSize | undefined {
  const directive = field.directives?.find((d) => d.name.value === 'listSize');
  if (!directive) return undefined;
  const argument = (name: string) => {
    const value = directive.arguments?.find((a) => a.name.value === name)?.value;
    return value ? valueFromASTUntyped(value) : undefined;
  };
  const assumedSize = argument('assumedSize');
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  return {
    assumedSize: typeof assumedSize === 'number' ? assumedSize : undefined,
    slicingArguments: strings(argument('slicingArguments')),
    sizedFields: strings(argument('sizedFields')),
  };
}

function typeShape(type: TypeNode): { list: boolean; named: string } {
  const nullable = type.kind === Kind.NON_NULL_TYPE ? type.type : type;
  let named: TypeNode = nullable;
  while (named.kind !== Kind.NAMED_TYPE) named = named.type;
  return { list: nullable.kind === Kind.LIST_TYPE, named: named.name.value };
}

const hasDefault = (field: FieldDefinitionNode, argument: string) => field.arguments?.some((a) => a.name.value === argument && a.defaultValue !== undefined) ?? false;

/** A size a field passes down to the lists it names in `sizedFields`, directly inside it. */
interface Pending {
  size: number;
  fields: readonly string[];
}

interface Measure extends OperationMeasure {}

const ZERO: Measure = { depth: 0, aliases: 0, cost: 0 };

/**
 * Schema types read by their shape, not with graphql's `isListType` and friends: the schema comes
 * from the gateway, which may have loaded the other copy of graphql (CommonJS where this module
 * got the ES module, as under vitest), and graphql's instanceof checks refuse objects of the other.
 */
interface OutputType {
  name?: string;
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
 * Measures one operation against the schema and the lists' declared maxima. The document need
 * not be validated yet (this runs before validation, so that validation itself never sees a bomb):
 * unknown fields count as leaves, unknown fragments as nothing, and a fragment cycle stops where
 * it closes (validation then refuses the document).
 */
export function measureOperation(
  schema: GraphQLSchema,
  sizes: ListSizes,
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

  /** The largest slicing argument given, else the largest default; undefined when none has a value. */
  function sliced(field: FieldNode, definition: FieldDefinition | undefined, declared: ListSize): number | undefined {
    let given: number | undefined;
    let defaults: number | undefined;
    for (const name of declared.slicingArguments) {
      const argument = field.arguments?.find((a) => a.name.value === name);
      const value = argument ? (argument.value.kind === Kind.VARIABLE ? variableValues[argument.value.name.value] : literalInt(argument.value)) : undefined;
      if (typeof value === 'number' && Number.isFinite(value)) given = Math.max(given ?? 0, Math.floor(value));
      const fallback = definition?.args.find((a) => a.name === name)?.defaultValue;
      if (typeof fallback === 'number') defaults = Math.max(defaults ?? 0, fallback);
    }
    const size = given ?? defaults;
    return size === undefined ? undefined : Math.max(0, size);
  }

  function selectionSet(set: SelectionSetNode, parent: Composite | undefined, pending: Pending | undefined): Measure {
    let depth = 0;
    let aliases = 0;
    let cost = 0;
    for (const selection of set.selections) {
      let measured: Measure;
      if (selection.kind === Kind.FIELD) measured = field(selection, parent, pending);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        measured = selectionSet(selection.selectionSet, asComposite(condition), pending);
      } else measured = fragment(selection.name.value, pending);
      depth = Math.max(depth, measured.depth);
      aliases += measured.aliases;
      cost += measured.cost;
    }
    return { depth, aliases, cost };
  }

  function fragment(name: string, pending: Pending | undefined): Measure {
    const key = pending ? `${name}\u0000${pending.size}\u0000${pending.fields.join(',')}` : name;
    const known = memo.get(key);
    if (known) return known;
    const definition = fragments.get(name);
    if (!definition || inProgress.has(key)) return ZERO;
    inProgress.add(key);
    const condition = schema.getType(definition.typeCondition.name.value);
    const measured = selectionSet(definition.selectionSet, asComposite(condition), pending);
    inProgress.delete(key);
    memo.set(key, measured);
    return measured;
  }

  function field(node: FieldNode, parent: Composite | undefined, pending: Pending | undefined): Measure {
    const alias = node.alias ? 1 : 0;
    const name = node.name.value;
    if (name.startsWith('__')) {
      // Introspection runs in the router; it is refused outright in production.
      return { depth: 0, aliases: alias, cost: 0 };
    }
    const definition = parent?.getFields ? parent.getFields()[name] : undefined;
    const type = definition ? withoutNonNull(definition.type) : undefined;
    const declared = parent?.name !== undefined ? sizes.of(parent.name, name) : undefined;
    const own = declared ? (sliced(node, definition, declared) ?? declared.assumedSize) : undefined;
    let multiplier = 1;
    let passedDown: Pending | undefined;
    if (type && isList(type)) {
      // A list the supergraph left unsized cannot get here (ListSizes refuses it):
      // should one, it costs as much as it could, never a guess.
      multiplier = (pending?.fields.includes(name) ? pending.size : undefined) ?? own ?? Number.POSITIVE_INFINITY;
    } else if (own !== undefined && declared!.sizedFields.length > 0) passedDown = { size: own, fields: declared!.sizedFields };
    if (!node.selectionSet) return { depth: 1, aliases: alias, cost: multiplier };
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
  sizes: ListSizes,
  document: DocumentNode,
  variables: Readonly<Record<string, unknown>> | undefined,
  limits: OperationLimits,
): OperationMeasure {
  let worst: OperationMeasure = { ...ZERO };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const measured = measureOperation(schema, sizes, document, definition, variables);
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
