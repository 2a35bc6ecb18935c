import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { isDeepStrictEqual } from 'node:util';
import type { FastifyRequest } from 'fastify';
import { createRequire } from 'node:module';
import type {
  DirectiveNode,
  DocumentNode,
  ExecutionResult,
  FieldNode,
  FormattedExecutionResult,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLFormattedError,
  GraphQLObjectType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';

// graphql-js recognises its schema and types with instanceof. @apollo/subgraph builds the schema
// with graphql's CommonJS build, which is what 'graphql' is under Node; a bundling resolver (the
// test runner's) may give this module the ES build instead, whose execute would refuse the schema
// as "from another module or realm". Taking graphql as Node requires it keeps the two one.
const {
  execute,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  typeFromAST,
} = createRequire(import.meta.url)('graphql') as typeof import('graphql');
import { LRUCache } from 'lru-cache';
import { cleaned } from './arguments.ts';
import { answersOnlyForTheCaller, type Identity } from './identity.ts';
import type { Logger } from './logger.ts';

/**
 * Known queries, answered without Apollo Server's request pipeline (issue 21).
 *
 * Per request, Apollo Server's pipeline (content negotiation, query hashing, a dozen plugin hooks,
 * a cache-control hook around every field) cost a subgraph about as much CPU as our own schema,
 * resolvers and SQL together: measured side by side, the catalogue answered a one-row read in
 * ~0.18 ms of CPU through Apollo and ~0.11 ms through graphql-js alone. This lane keeps Apollo
 * for everything it decides (parsing, validation, introspection rules, operation choice,
 * variable errors, mutations, GET, the landing page) and only takes over the repeat of a query:
 *
 * - **Admission.** A query document enters the lane after Apollo has answered it once: Apollo
 *   parsed and validated it, and this module's plugin computed, from Apollo's own execution
 *   result, the answer the lane would have sent — status, `Cache-Control` and body — and found it
 *   identical to Apollo's. A document whose lane answer differs is never admitted, and the
 *   difference is logged as an error (and kept in `laneMismatches` for tests).
 * - **Serving.** A later POST of an admitted document (JSON in, JSON out, no extensions) runs
 *   graphql-js `execute` on the same schema and context, and answers as Apollo would: errors
 *   formatted by the same formatter, status from their `extensions.http`, the cache policy of
 *   Apollo's cache-control plugin (see `cachePolicyOf`), and a signed-in caller's answer never
 *   cacheable. Anything else — a variable Apollo would refuse, a request shape it would judge —
 *   goes to Apollo, before anything executes.
 *
 * What is ours here is the admission check and the cache-policy walk; Apollo offers no API to
 * run a validated document through its plugins without its HTTP pipeline.
 */
export class KnownQueryLane<TContext extends BaseContext> {
  readonly #schema: GraphQLSchema;
  readonly #logger: Logger;
  readonly #formatError: ErrorFormatter;
  readonly #formatErrorQuietly: ErrorFormatter;
  readonly #admitted: LRUCache<string, DocumentNode>;
  readonly #context: (request: FastifyRequest) => Promise<TContext>;
  #served = 0;

  constructor(options: KnownQueryLaneOptions<TContext>) {
    this.#schema = options.schema;
    this.#logger = options.logger;
    this.#formatError = options.formatError;
    this.#formatErrorQuietly = options.formatErrorQuietly ?? options.formatError;
    this.#context = options.context;
    // Bounded by the documents' text as well as their number, as Apollo's own document store is by size.
    this.#admitted = new LRUCache({ max: options.maxDocuments ?? 2_000, maxSize: options.maxDocumentChars ?? 2 * 1024 * 1024, sizeCalculation: (_document, source) => Math.max(1, source.length) });
  }

  /** Requests this lane answered (Apollo answered the rest). */
  get served(): number {
    return this.#served;
  }

  /**
   * The answer to the request when it is the POST of an admitted query (its `content-type` is
   * application/json); undefined, having run nothing, when Apollo should answer it.
   */
  async answer(request: FastifyRequest): Promise<LaneAnswer | undefined> {
    if (request.method !== 'POST' || !acceptsJson(request.headers.accept) || !isJsonContentType(request.headers['content-type'])) return undefined;
    const body = request.body as Record<string, unknown> | null | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body['query'] !== 'string' || body['extensions'] !== undefined) return undefined;
    const document = this.#admitted.get(body['query']);
    if (!document) return undefined;
    const operationName = body['operationName'];
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return undefined;
    const variables = body['variables'];
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
    const operation = getOperationAST(document, operationName ?? undefined);
    if (!operation || operation.operation !== 'query') return undefined;
    // Variables as execution reads them (defaults filled, a single value where a list is
    // declared made a list); ones Apollo would refuse with 400 go to Apollo before anything runs.
    const coerced = getVariableValues(this.#schema, operation.variableDefinitions ?? [], (variables ?? {}) as Record<string, unknown>);
    if (coerced.errors) return undefined;

    let contextValue: TContext;
    try {
      contextValue = await this.#context(request);
    } catch {
      // A refused context (no identity signed by the router) is Apollo's to answer and to word.
      return undefined;
    }
    const variableValues = (variables ?? {}) as Record<string, unknown>;
    const result = (await execute({ schema: this.#schema, document, contextValue, variableValues, operationName: operationName ?? null })) as ExecutionResult;
    // graphql-js refused before running anything (the checks above should leave nothing such): Apollo answers.
    if (result.data === undefined) return undefined;
    const answer = this.#answerOf(result, contextValue, document, operation, coerced.coerced, this.#formatError);
    this.#served++;
    return answer;
  }

  /** The Apollo plugin that admits documents: install it after Apollo's cache-control plugin. */
  plugin(): ApolloServerPlugin<TContext> {
    return {
      requestDidStart: async () => ({
        willSendResponse: async (requestContext) => this.#consider(requestContext),
      }),
    };
  }

  #consider(requestContext: GraphQLRequestContextWillSendResponse<TContext>): void {
    try {
      this.#admit(requestContext);
    } catch (error) {
      // The check must never change Apollo's answer: a document it cannot judge stays with Apollo.
      this.#logger.error({ err: error, operationName: requestContext.operation?.name?.value ?? null }, 'the known-query lane could not check a document; it stays with Apollo Server');
    }
  }

  #admit(requestContext: GraphQLRequestContextWillSendResponse<TContext>): void {
    const { document, operation, source, response, request } = requestContext;
    if (!document || !source || operation?.operation !== 'query' || response.body.kind !== 'single') return;
    if (this.#admitted.has(source)) return;
    const sent = response.body.singleResult;
    // Refused before execution (variables): nothing to compare.
    if (sent.data === undefined) return;
    const expected = {
      status: response.http.status ?? 200,
      headers: Object.fromEntries([...response.http.headers].map(([name, value]) => [name.toLowerCase(), value]).sort()),
      body: `${JSON.stringify({ errors: sent.errors, data: sent.data, extensions: sent.extensions })}\n`,
    };
    // Apollo's raw errors, as its formatter saw them (it rewraps variable errors, which never reach here).
    const raw: ExecutionResult = { data: sent.data as Record<string, unknown> | null, ...(requestContext.errors ? { errors: requestContext.errors } : {}) };
    const coerced = getVariableValues(this.#schema, operation.variableDefinitions ?? [], (request.variables ?? {}) as Record<string, unknown>);
    if (coerced.errors) return;
    const ours = this.#answerOf(raw, requestContext.contextValue, document, operation, coerced.coerced, this.#formatErrorQuietly);
    const actual = { status: ours.status, headers: Object.fromEntries([...ours.headers].sort()), body: ours.body };
    if (isDeepStrictEqual(actual, expected)) {
      this.#admitted.set(source, document);
      return;
    }
    const mismatch = { operationName: operation.name?.value ?? null, expected, actual };
    laneMismatches.push(mismatch);
    this.#logger.error(mismatch, 'a known-query lane answer differs from Apollo Server’s; the document stays with Apollo');
  }

  #answerOf(
    result: ExecutionResult,
    contextValue: TContext,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    formatError: ErrorFormatter,
  ): LaneAnswer {
    let status = 200;
    const headers = new Map<string, string>();
    let errors: GraphQLFormattedError[] | undefined;
    if (result.errors?.length) {
      errors = result.errors.map((error) => {
        try {
          // As Apollo's normalizeAndFormatErrors: a default code, and an `extensions.http` of the
          // right shape moved from the error to the response (its status, its headers).
          const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions['code'] ?? 'INTERNAL_SERVER_ERROR' };
          const http = extensions['http'];
          if (isPartialHttpHead(http)) {
            if (http.status) status = http.status;
            for (const [name, value] of http.headers ?? []) headers.set(name.toLowerCase(), value);
            delete extensions['http'];
          }
          return formatError({ ...error.toJSON(), extensions }, error);
        } catch {
          return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
        }
      });
    }
    // An answer with errors is never cacheable; Apollo's plugin leaves alone only a Cache-Control
    // an error set that it cannot parse.
    const errorsHeader = headers.get('cache-control');
    const keptFromErrors = errors && errorsHeader !== undefined && errorsHeader !== 'no-store' && !/^max-age=\d+, (?:public|private)$/.test(errorsHeader);
    if (!keptFromErrors) {
      let policy: CachePolicy | undefined;
      if (!errors && !answersOnlyForTheCaller((contextValue as { identity?: Identity }).identity)) {
        try {
          policy = cachePolicyOf(this.#schema, document, operation, variables, result.data ?? null);
        } catch (error) {
          // Already executed, so too late for Apollo: the strictest policy instead of a guess.
          this.#logger.error({ err: error, operationName: operation.name?.value ?? null }, 'the known-query lane could not work out a cache policy; answering no-store');
        }
      }
      headers.set('cache-control', policy && policy.maxAge !== undefined && policy.maxAge > 0 ? `max-age=${policy.maxAge}, ${(policy.scope ?? 'PUBLIC').toLowerCase()}` : 'no-store');
    }
    const body: FormattedExecutionResult = { errors, data: result.data };
    return { status, headers, body: `${JSON.stringify(body)}\n` };
  }
}

export interface LaneAnswer {
  status: number;
  /** Lower-case names: `cache-control`, and any an error's `extensions.http` adds. */
  headers: Map<string, string>;
  body: string;
}

function isPartialHttpHead(value: unknown): value is { status?: number; headers?: Map<string, string> } {
  if (!value || typeof value !== 'object') return false;
  const head = value as { status?: unknown; headers?: unknown };
  return (!('status' in head) || typeof head.status === 'number') && (!('headers' in head) || head.headers instanceof Map);
}

export type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface KnownQueryLaneOptions<TContext> {
  schema: GraphQLSchema;
  logger: Logger;
  /** The server's error formatter (Apollo's `formatError`). */
  formatError: ErrorFormatter;
  /** The same formatter without its logging, for the admission check's second look at an error. */
  formatErrorQuietly?: ErrorFormatter;
  context: (request: FastifyRequest) => Promise<TContext>;
  maxDocuments?: number;
  /** The admitted documents' text, in characters, at most. */
  maxDocumentChars?: number;
}

/** Admission checks that found the lane's answer different from Apollo's, in this process (tests assert there are none). */
export const laneMismatches: { operationName: string | null; expected: unknown; actual: unknown }[] = [];

function acceptsJson(accept: string | undefined): boolean {
  // Apollo picks application/json unless the client prefers graphql-response+json or multipart;
  // anything unusual is left to its negotiation.
  return accept === undefined || accept === '*/*' || accept === 'application/json' || accept === 'application/json, */*';
}

function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType);
}

interface CacheHint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
  inheritMaxAge?: true;
}

interface CachePolicy {
  maxAge: number | undefined;
  scope: 'PUBLIC' | 'PRIVATE' | undefined;
}

function restrict(policy: CachePolicy, hint: CacheHint): void {
  if (hint.maxAge !== undefined && (policy.maxAge === undefined || hint.maxAge < policy.maxAge)) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined && policy.scope !== 'PRIVATE') policy.scope = hint.scope;
}

function replace(policy: CachePolicy, hint: CacheHint): void {
  if (hint.maxAge !== undefined) policy.maxAge = hint.maxAge;
  if (hint.scope !== undefined) policy.scope = hint.scope;
}

const typeHints = new WeakMap<GraphQLCompositeType, CacheHint>();
const fieldHints = new WeakMap<GraphQLField<unknown, unknown>, CacheHint>();

/** A `@cacheControl` directive's hint, read from the SDL as Apollo's plugin reads it. */
function hintOf(directives: readonly DirectiveNode[] | undefined): CacheHint | undefined {
  const directive = directives?.find((candidate) => candidate.name.value === 'cacheControl');
  if (!directive?.arguments) return undefined;
  const argument = (name: string) => directive.arguments!.find((candidate) => candidate.name.value === name)?.value;
  const scopeValue = argument('scope');
  const scope = scopeValue?.kind === Kind.ENUM && (scopeValue.value === 'PUBLIC' || scopeValue.value === 'PRIVATE') ? scopeValue.value : undefined;
  const inherit = argument('inheritMaxAge');
  if (inherit?.kind === Kind.BOOLEAN && inherit.value) return { inheritMaxAge: true, ...(scope ? { scope } : {}) };
  const maxAge = argument('maxAge');
  return { ...(maxAge?.kind === Kind.INT ? { maxAge: parseInt(maxAge.value, 10) } : {}), ...(scope ? { scope } : {}) };
}

function typeHint(type: GraphQLCompositeType): CacheHint {
  let hint = typeHints.get(type);
  if (!hint) {
    hint = hintOf(type.astNode?.directives) ?? type.extensionASTNodes.map((node) => hintOf(node.directives)).find(Boolean) ?? {};
    typeHints.set(type, hint);
  }
  return hint;
}

function fieldHint(field: GraphQLField<unknown, unknown>): CacheHint {
  let hint = fieldHints.get(field);
  if (!hint) {
    hint = hintOf(field.astNode?.directives) ?? {};
    fieldHints.set(field, hint);
  }
  return hint;
}

/**
 * The cache policy Apollo's cache-control plugin computes for an answer, from the answer itself:
 * every field that resolved is in the data (an unresolved one — skipped, or under a null — is
 * not), so walking the data with the operation applies the plugin's rules to exactly the fields
 * it saw. Per field: the returned composite type's hint, replaced by the field's own (or
 * inherited, `inheritMaxAge`), and the default maxAge of 0 for root fields and for composite
 * fields without a hint; `_entities` also takes the hint of each representation's type, as
 * @apollo/subgraph's resolver does. The request's policy is the strictest of them all.
 */
export function cachePolicyOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  data: Record<string, unknown> | null,
): CachePolicy {
  const overall: CachePolicy = { maxAge: undefined, scope: undefined };
  const root = schema.getRootType(operation.operation);
  if (!root || !data) return overall;
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));

  const included = (node: { directives?: readonly DirectiveNode[] }) => {
    if (!node.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
  };
  const applies = (typeCondition: { name: { value: string } } | undefined, type: GraphQLObjectType) => {
    if (!typeCondition) return true;
    const conditionType = typeFromAST(schema, { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: typeCondition.name.value } });
    if (!conditionType) return false;
    if (conditionType === type) return true;
    return isAbstractType(conditionType) && schema.isSubType(conditionType, type);
  };
  const collect = (type: GraphQLObjectType, selectionSet: SelectionSetNode, into = new Map<string, FieldNode[]>(), visited = new Set<string>()) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const nodes = into.get(key);
        if (nodes) nodes.push(selection);
        else into.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition, type)) collect(type, selection.selectionSet, into, visited);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (visited.has(name) || !fragment || !applies(fragment.typeCondition, type)) continue;
        visited.add(name);
        collect(type, fragment.selectionSet, into, visited);
      }
    }
    return into;
  };

  /** What the walk applies for one field of an object: its policy, and how to walk into its value. */
  interface FieldStep {
    key: string;
    fieldNodes: FieldNode[];
    policy: CachePolicy;
    /** The named type it returns, when composite: its value is walked. */
    returned: GraphQLCompositeType | undefined;
    representationTypes: (GraphQLCompositeType | undefined)[] | undefined;
  }
  const stepsOf = (type: GraphQLObjectType, nodes: readonly FieldNode[] | undefined, selectionSet: SelectionSetNode | undefined, isRoot: boolean): FieldStep[] => {
    const fields = new Map<string, FieldNode[]>();
    if (selectionSet) collect(type, selectionSet, fields);
    for (const node of nodes ?? []) if (node.selectionSet) collect(type, node.selectionSet, fields);
    const steps: FieldStep[] = [];
    for (const [key, fieldNodes] of fields) {
      const name = fieldNodes[0]!.name.value;
      const field = type.getFields()[name];
      // Meta fields (__typename, __schema, __type) are not the type's: they run no resolver Apollo wraps, so it hints none.
      if (!field) continue;
      const policy: CachePolicy = { maxAge: undefined, scope: undefined };
      const returned = getNamedType(field.type);
      const composite = isCompositeType(returned);
      let inherits = false;
      if (composite) {
        const hint = typeHint(returned);
        replace(policy, hint);
        inherits = Boolean(hint.inheritMaxAge);
      }
      const own = fieldHint(field);
      if (own.inheritMaxAge && policy.maxAge === undefined) {
        inherits = true;
        if (own.scope) replace(policy, { scope: own.scope });
      } else {
        replace(policy, own);
      }
      const representationTypes = isRoot && name === '_entities' ? entityTypesOf(field, fieldNodes[0]!) : undefined;
      // A representation whose type this walk cannot name: the strictest policy, never a looser one.
      for (const entityType of representationTypes ?? []) restrict(policy, entityType ? typeHint(entityType) : { maxAge: 0 });
      if (policy.maxAge === undefined && ((composite && !inherits) || isRoot)) restrict(policy, { maxAge: 0 });
      steps.push({ key, fieldNodes, policy, returned: composite ? returned : undefined, representationTypes });
    }
    return steps;
  };
  // Every item of a list is selected by the same field nodes: their steps are worked out once per
  // runtime type, not once per item (a page of 57 engagements with six pesantren each collected
  // the same fragments 400 times).
  const stepsByNodes = new Map<readonly FieldNode[], Map<GraphQLObjectType, FieldStep[]>>();
  const walkObject = (type: GraphQLObjectType, nodes: readonly FieldNode[] | undefined, selectionSet: SelectionSetNode | undefined, value: Record<string, unknown>, isRoot: boolean) => {
    let steps: FieldStep[] | undefined;
    if (nodes && !isRoot) {
      let byType = stepsByNodes.get(nodes);
      if (!byType) stepsByNodes.set(nodes, (byType = new Map()));
      steps = byType.get(type);
      if (!steps) byType.set(type, (steps = stepsOf(type, nodes, selectionSet, isRoot)));
    } else {
      steps = stepsOf(type, nodes, selectionSet, isRoot);
    }
    for (const step of steps) {
      if (!(step.key in value)) continue;
      restrict(overall, step.policy);
      if (step.returned) walkValue(step.returned, step.fieldNodes, value[step.key], step.representationTypes);
    }
  };

  const walkValue = (type: GraphQLCompositeType, nodes: readonly FieldNode[], value: unknown, runtimeTypes?: readonly (GraphQLCompositeType | undefined)[], index?: number): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walkValue(type, nodes, item, runtimeTypes, i));
      return;
    }
    const object = value as Record<string, unknown>;
    if (isObjectType(type)) return walkObject(type, nodes, undefined, object, false);
    // An abstract type: the runtime type named by the answer's __typename, or by the entity's
    // representation; failing both, every possible type (stricter than Apollo, never looser).
    const typename = typenameOf(nodes, object) ?? (index !== undefined ? runtimeTypes?.[index]?.name : undefined);
    const named = typename ? schema.getType(typename) : undefined;
    const candidates = named && isObjectType(named) ? [named] : schema.getPossibleTypes(type);
    for (const candidate of candidates) walkObject(candidate, nodes, undefined, object, false);
  };

  const typenameOf = (nodes: readonly FieldNode[], object: Record<string, unknown>): string | undefined => {
    for (const node of nodes) {
      for (const selection of node.selectionSet?.selections ?? []) {
        if (selection.kind === Kind.FIELD && selection.name.value === '__typename') {
          const typename = object[selection.alias?.value ?? '__typename'];
          if (typeof typename === 'string') return typename;
        }
      }
    }
    return undefined;
  };

  const entityTypesOf = (field: GraphQLField<unknown, unknown>, node: FieldNode): (GraphQLCompositeType | undefined)[] => {
    let representations: unknown;
    try {
      representations = getArgumentValues(field, node, variables)['representations'];
    } catch (error) {
      if (error instanceof GraphQLError) return [undefined];
      throw error;
    }
    // As the resolver receives them: variables coerced (a single value made a list) and every
    // string without bidirectional controls (normaliseArguments), so "Person\u200E" is Person.
    if (!Array.isArray(representations)) return [undefined];
    return (cleaned(representations) as unknown[]).map((representation) => {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      const type = typeof typename === 'string' ? schema.getType(typename) : undefined;
      return type && isCompositeType(type) ? type : undefined;
    });
  };

  walkObject(root, undefined, operation.selectionSet, data, true);
  return overall;
}

