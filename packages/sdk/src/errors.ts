/**
 * The stable `extensions.code` values the OPOP API answers with. Any other string may appear too
 * (the API may add codes), so code that branches on them keeps a default case.
 */
export type KnownErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'OUT_OF_STOCK'
  | 'PRICE_CHANGED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'BAD_REQUEST'
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'PERSISTED_QUERY_NOT_SUPPORTED';
// `string & {}` keeps editors suggesting the known codes while accepting new ones.
export type ErrorCode = KnownErrorCode | (string & {});

/** One problem of a field's input, as `BAD_USER_INPUT` lists them. */
export interface InputIssue {
  /** The path of the input field, e.g. `input.items.0.quantity`. */
  field: string;
  message: string;
}

/** A product `requestOrder` could not reserve; nothing of the cart was ordered. */
export interface ShortProduct {
  productId: string;
  name: string;
  requested: number;
  available: number;
  field: string;
}

/**
 * A product whose price, unit or weight is no longer the `expectedUnitPriceRupiah`,
 * `expectedUnit` or `expectedWeightGrams` sent; nothing of the cart was ordered.
 */
export interface RepricedProduct {
  productId: string;
  name: string;
  /** As sent; null when the line sent none. */
  expectedUnitPriceRupiah: number | null;
  /** Its price now. */
  priceRupiah: number;
  /** As sent; null when the line sent none. */
  expectedUnit: string | null;
  /** Its sales unit now. */
  unit: string;
  /** As sent; null when the line sent none. */
  expectedWeightGrams: number | null;
  /** The weight of one unit now, in grams. */
  weightGrams: number;
  /** The input field that no longer holds: the price's when the price changed, else the unit's, else the weight's. */
  field: string;
}

/**
 * What the API adds to an error's extensions for the codes that carry details. These are not in
 * the schema (GraphQL has no types for error extensions), so they are stated here, as the API
 * sends them.
 */
export interface ErrorExtensionsByCode {
  BAD_USER_INPUT: { field?: string; issues?: InputIssue[] };
  CONFLICT: { field?: string };
  OUT_OF_STOCK: { products: ShortProduct[] };
  PRICE_CHANGED: { products: RepricedProduct[] };
  SERVICE_UNAVAILABLE: { serviceName?: string };
}

export type ErrorExtensions<Code extends ErrorCode = ErrorCode> = { code: Code } & (Code extends keyof ErrorExtensionsByCode
  ? ErrorExtensionsByCode[Code]
  : { [key: string]: unknown });

/** A GraphQL error as it arrives in a response's `errors`. */
export interface GraphQLErrorDetail<Code extends ErrorCode = ErrorCode> {
  message: string;
  locations?: readonly { line: number; column: number }[];
  /** The field the error belongs to; its value in `data` is null. */
  path?: readonly (string | number)[];
  extensions?: ErrorExtensions<Code> & { [key: string]: unknown };
}

/**
 * The API answered, with errors. `data` holds what could still be resolved (null when nothing
 * could): when one service behind the router is down, the rest of the answer is still there.
 */
export class GraphQLRequestError<Data = unknown> extends Error {
  override name = 'GraphQLRequestError';
  readonly errors: readonly GraphQLErrorDetail[];
  readonly data: Data | null;
  /** The HTTP status of the response. */
  readonly status: number;
  readonly operationName: string | undefined;

  constructor(errors: readonly GraphQLErrorDetail[], data: Data | null, status: number, operationName: string | undefined) {
    super(`${operationName ?? 'GraphQL operation'} failed: ${errors.map((error) => error.message).join('; ')}`);
    this.errors = errors;
    this.data = data;
    this.status = status;
    this.operationName = operationName;
  }

  /** The code of the first error. */
  get code(): ErrorCode | undefined {
    return this.errors[0]?.extensions?.code;
  }

  get codes(): ErrorCode[] {
    return this.errors.flatMap((error) => (error.extensions?.code ? [error.extensions.code] : []));
  }

  /** The first error with this code, its extensions typed for it: `error.find('OUT_OF_STOCK')?.extensions.products`. */
  find<Code extends ErrorCode>(code: Code): (GraphQLErrorDetail<Code> & { extensions: ErrorExtensions<Code> }) | undefined {
    return this.errors.find((error) => error.extensions?.code === code) as (GraphQLErrorDetail<Code> & { extensions: ErrorExtensions<Code> }) | undefined;
  }

  /** True when some of the answer arrived: some fields failed, not the whole operation. */
  get partial(): boolean {
    return this.data !== null && this.data !== undefined;
  }
}

export interface NetworkErrorDetails {
  cause?: unknown;
  /** Set when the server answered, but not with GraphQL (a proxy's 502 page, say). */
  status?: number;
  /** The attempt did not finish within the client's timeout. */
  timedOut?: boolean;
  /** What the server's Retry-After header asked for, in milliseconds. */
  retryAfterMs?: number;
}

/**
 * No GraphQL answer: the endpoint could not be reached, did not answer in time, or answered with
 * something that is not a GraphQL response. A request cancelled through its AbortSignal rejects
 * with the signal's reason instead, as fetch does.
 */
export class NetworkError extends Error {
  override name = 'NetworkError';
  readonly status: number | undefined;
  readonly timedOut: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, details: NetworkErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.timedOut = details.timedOut ?? false;
    this.retryAfterMs = details.retryAfterMs;
  }
}
