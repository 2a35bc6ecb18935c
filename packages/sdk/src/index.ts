export { createClient } from './client.ts';
export type { Client, ClientOptions, Document, GraphQLResponse, RateLimitStatus, RequestOptions, RetryOptions, VariablesArgs } from './client.ts';
export { GraphQLRequestError, NetworkError } from './errors.ts';
export type {
  ErrorCode,
  ErrorExtensions,
  ErrorExtensionsByCode,
  GraphQLErrorDetail,
  InputIssue,
  KnownErrorCode,
  NetworkErrorDetails,
  ShortProduct,
  RepricedProduct,
} from './errors.ts';
export { sha256Hex } from './hash.ts';
export { OPERATIONS } from './operations.ts';
export type { Operation, OperationMethods, OperationName } from './operations.ts';
export * from './generated/operations.ts';
