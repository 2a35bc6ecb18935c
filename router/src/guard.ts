import type { ApolloServerPlugin } from '@apollo/server';
import type { Identity } from '@opop/server-kit';
import { BREAK, GraphQLError, Kind, parse, visit, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { CostBudgets } from './config.ts';
import { RouterErrorCode, requestError } from './errors.ts';
import { checkLimits, ListSizes } from './limits.ts';
import { sha256Hex, type PersistedOperations } from './persisted.ts';

export interface GuardOptions {
  manifest: PersistedOperations;
  anonymousOperations: 'persisted' | 'any';
  introspection: boolean;
  maxDepth: number;
  maxAliases: number;
  costBudgets: CostBudgets;
  /** The supergraph served: the lists' declared maxima are read from it. */
  supergraphSdl: string;
}

/** The GraphQL parameters of one HTTP request, as sent (POST body or GET query string). */
export interface GraphQLParams {
  query: string | undefined;
  /** The operation to run when the document holds several. */
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  /** `extensions.persistedQuery.sha256Hash`, for APQ. */
  hash: string | undefined;
}

/** What the guard decided about a request, kept in its context for the Apollo plugin. */
export interface GuardVerdict {
  /** The document is one of the manifest's: reviewed with the client that sends it. */
  persisted: boolean;
  /** Limits were checked before Apollo saw the request; when not, the plugin checks them. */
  checked: boolean;
}

const UNCHECKED: GuardVerdict = { persisted: false, checked: false };

/** Partners (keys and partners' tokens) get more than anonymous callers; operators and admins the most. */
export function budgetOf(identity: Identity, budgets: CostBudgets): number {
  switch (identity.role) {
    case 'anonymous':
      return budgets.anonymous;
    case 'media_partner':
    case 'academic_partner':
      return budgets.partner;
    default:
      return budgets.operator;
  }
}

const persistedQueryNotFound = () =>
  // Apollo's own answer to an unknown hash, so APQ clients go on to send the document.
  new GraphQLError('PersistedQueryNotFound', {
    extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 200, headers: new Map([['cache-control', 'private, no-cache, must-revalidate']]) } },
  });

function usesIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * PostgreSQL text cannot hold U+0000, so a string carrying it fails in the database as an
 * internal error wherever a subgraph passes it on. No legitimate input contains it: refused here,
 * once for every subgraph, in variables and in string literals (`"\u0000"`) alike.
 */
const NUL = '\u0000';
function variablesHoldNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, inner]) => key.includes(NUL) || variablesHoldNul(inner, depth + 1));
}
function documentHoldsNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING](node) {
      if (node.value.includes(NUL)) {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}
const nulRefused = () => requestError('BAD_USER_INPUT', 'Text may not contain the NUL character (U+0000)');

function objectParam(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string') {
    try {
      return objectParam(JSON.parse(value));
    } catch {
      return undefined;
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The parameters of a POST body or GET query string; undefined for what is not one GraphQL
 * request (a batch, a string): Apollo refuses those itself.
 */
export function graphQLParams(method: string, body: unknown, search: unknown): GraphQLParams | undefined {
  const source = method === 'GET' ? objectParam(search) : objectParam(body);
  if (!source || Array.isArray(body)) return undefined;
  const persistedQuery = objectParam(objectParam(source['extensions'])?.['persistedQuery']);
  return {
    query: typeof source['query'] === 'string' && source['query'] !== '' ? source['query'] : undefined,
    operationName: typeof source['operationName'] === 'string' && source['operationName'] !== '' ? source['operationName'] : undefined,
    variables: objectParam(source['variables']),
    hash: typeof persistedQuery?.['sha256Hash'] === 'string' ? persistedQuery['sha256Hash'] : undefined,
  };
}

/**
 * Everything the router refuses before a subgraph is called:
 *
 * 1. Persisted operations, on the raw text before anything is parsed. Anonymous callers under
 *    `ANONYMOUS_OPERATIONS=persisted` may send a manifest operation as its document (only its
 *    hash is computed) or as an APQ hash alone (the plugin fills the document in from the
 *    manifest); anything else is PERSISTED_QUERY_REQUIRED. Keys and tokens may send their own.
 * 2. Introspection, when it is off (production).
 * 3. Depth, aliases and cost (limits.ts), on the parsed document and before Apollo validates it,
 *    so a fragment bomb never reaches validation. Manifest operations are held to depth and
 *    aliases but not to a cost budget: they are reviewed with the code that sends them and the
 *    subgraphs bound their list arguments (`first` ≤ 100), whereas the formula's 20 per unbounded
 *    list overestimates them (the storefront's pesantren pages count ~290,000 at 100 a page).
 *
 * `check` runs in the request's context function, the one place before validation where Apollo
 * turns a thrown error into a proper response (its plugin hooks before `didResolveOperation`
 * answer a throw with a 500). The plugin then fills in manifest documents, and checks in
 * `didResolveOperation` what `check` could not see: a hash only Apollo's APQ cache knows.
 */
export class OperationGuard {
  readonly #options: GuardOptions;
  #schema: GraphQLSchema | undefined;
  #sizes: ListSizes;
  /**
   * Published documents that passed every check that depends on the document alone (a published
   * query's cost is not limited), so each is checked once per schema, not on every request: the
   * storefront's search document cost ~0.4 ms of the router's time per request to walk again.
   */
  #clearedPublished = new WeakSet<DocumentNode>();
  /** Parsed documents by the hash of their text, so the router's own parse is paid once per document. */
  readonly #documents = new LRUCache<string, DocumentNode>({ maxSize: 8 * 1024 * 1024, sizeCalculation: (_document, key) => Math.max(1, key.length) });

  /** Throws UnboundedListsError for a supergraph with a list of unknown size: the router does not start. */
  constructor(options: GuardOptions) {
    this.#options = options;
    this.#sizes = ListSizes.fromSupergraph(options.supergraphSdl);
  }

  /** Throws the typed refusal; returns what the plugin needs to know. */
  check(params: GraphQLParams | undefined, identity: Identity): GuardVerdict {
    if (!params) return UNCHECKED;
    if (variablesHoldNul(params.variables)) throw nulRefused();
    const { manifest, anonymousOperations } = this.#options;
    const restricted = identity.role === 'anonymous' && anonymousOperations === 'persisted';
    let text = params.query;
    let persisted = false;
    if (text === undefined && params.hash !== undefined) {
      text = manifest.document(params.hash);
      if (text !== undefined) persisted = true;
      else if (restricted) throw persistedQueryNotFound();
      // Otherwise Apollo's APQ cache may know it (a key or token holder registered it).
      else return UNCHECKED;
    } else if (text !== undefined) {
      persisted = manifest.contains(text);
      if (!persisted && restricted) {
        throw requestError(
          RouterErrorCode.PERSISTED_QUERY_REQUIRED,
          'Anonymous callers may run only the published operations (schema/persisted-operations.json): send one of them, by document or by hash, or use an API key',
        );
      }
    }
    if (text === undefined || !this.#schema) return { persisted, checked: false };
    const document = this.#parse(text);
    // Apollo reports syntax errors itself, the same way for every request.
    if (!document) return { persisted, checked: false };
    resolveOperation(document, params.operationName);
    if (persisted && this.#clearedPublished.has(document)) return { persisted, checked: true };
    this.#enforce(document, params.variables, identity, persisted);
    if (persisted) this.#clearedPublished.add(document);
    return { persisted, checked: true };
  }

  /** Throws for a document nested too deeply to parse safely. */
  #parse(text: string): DocumentNode | undefined {
    const key = sha256Hex(text);
    const known = this.#documents.get(key);
    if (known) return known;
    // The parser recurses once per nesting level: thousands of levels overflow its stack.
    const nesting = nestingOf(text);
    if (nesting > MAX_NESTING) throw tooDeep(nesting, this.#options.maxDepth);
    try {
      const document = parse(text, { noLocation: true });
      this.#documents.set(key, document);
      return document;
    } catch {
      return undefined;
    }
  }

  #enforce(document: DocumentNode, variables: Readonly<Record<string, unknown>> | undefined, identity: Identity, persisted: boolean): void {
    if (documentHoldsNul(document)) throw nulRefused();
    if (!this.#options.introspection && usesIntrospection(document)) {
      throw requestError(RouterErrorCode.INTROSPECTION_DISABLED, 'Introspection is off here; the schema is published as schema/api.graphql');
    }
    checkLimits(this.#schema!, this.#sizes, document, variables, {
      maxDepth: this.#options.maxDepth,
      maxAliases: this.#options.maxAliases,
      maxCost: persisted ? Number.POSITIVE_INFINITY : budgetOf(identity, this.#options.costBudgets),
    });
  }

  plugin<TContext extends { identity: Identity; guard: GuardVerdict }>(): ApolloServerPlugin<TContext> {
    return {
      serverWillStart: async () => ({
        schemaDidLoadOrUpdate: ({ apiSchema, coreSupergraphSdl }) => {
          if (coreSupergraphSdl && coreSupergraphSdl !== this.#options.supergraphSdl) this.#sizes = ListSizes.fromSupergraph(coreSupergraphSdl);
          this.#schema = apiSchema;
          this.#clearedPublished = new WeakSet();
        },
      }),
      requestDidStart: async ({ request }) => {
        if (!request.query) {
          const hash = (request.extensions?.['persistedQuery'] as { sha256Hash?: unknown } | undefined)?.sha256Hash;
          const document = typeof hash === 'string' ? this.#options.manifest.document(hash) : undefined;
          if (document !== undefined) request.query = document;
        }
        return {
          didResolveOperation: async ({ contextValue, document, request: resolved }) => {
            if (contextValue.guard.checked) return;
            resolveOperation(document, resolved.operationName ?? undefined);
            if (variablesHoldNul(resolved.variables)) throw nulRefused();
            this.#enforce(document, resolved.variables, contextValue.identity, contextValue.guard.persisted);
          },
        };
      },
    };
  }
}

/** Nesting beyond this is refused before parsing; far above any depth the limits allow. */
const MAX_NESTING = 200;

/**
 * How deeply braces, brackets and parentheses nest in a document, outside strings and comments:
 * a bound on the depth the parser would recurse to, read in one pass without recursion.
 */
export function nestingOf(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '"') {
      const block = text.startsWith('"""', i);
      i += block ? 3 : 1;
      while (i < text.length && !(block ? text.startsWith('"""', i) : text[i] === '"' || text[i] === '\n')) i += text[i] === '\\' ? 2 : 1;
      if (block) i += 2;
    } else if (c === '{' || c === '[' || c === '(') {
      deepest = Math.max(deepest, ++depth);
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
    }
  }
  return deepest;
}

const tooDeep = (nesting: number, maxDepth: number) =>
  requestError(RouterErrorCode.QUERY_TOO_DEEP, `The document nests ${nesting} levels deep; operations may be at most ${maxDepth} fields deep`, { maxDepth });

/**
 * The operation a request runs, as graphql-js's execution would pick it, refused with a typed
 * error when there is none to run: the gateway's planner throws plain errors for these, which
 * reached clients as a 500.
 */
export function resolveOperation(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName === undefined ? (operations.length === 1 ? operations[0] : undefined) : operations.find((o) => o.name?.value === operationName);
  if (!operation) {
    const message =
      operationName !== undefined
        ? `The document has no operation named "${operationName}"`
        : operations.length === 0
          ? 'The document has no operation to run'
          : 'The document holds several operations: say which to run with operationName';
    throw requestError('OPERATION_RESOLUTION_FAILURE', message);
  }
  if (operation.operation === 'subscription') {
    throw requestError('GRAPHQL_VALIDATION_FAILED', 'This API answers queries and mutations; it has no subscriptions');
  }
  return operation;
}
