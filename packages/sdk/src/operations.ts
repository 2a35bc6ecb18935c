import type { Document, RequestOptions, VariablesArgs } from './client.ts';
import * as documents from './generated/operations.ts';

/** A generated document and the root field its method resolves to. */
export interface Operation<Result, Variables, Field extends keyof Result> {
  readonly document: Document<Result, Variables>;
  readonly field: Field;
}

const operation = <Result, Variables, Field extends keyof Result>(
  document: Document<Result, Variables>,
  field: Field,
): Operation<Result, Variables, Field> => ({ document, field });

/**
 * The client's convenience methods, one per operation in `schema/operations/sdk/`, named after
 * the operation (`PesantrenList` → `pesantrenList`). Each resolves to its root field's value, so
 * `await client.product({ slug })` is the product (or null), not `{ product }`.
 */
export const OPERATIONS = {
  product: operation(documents.ProductDocument, 'product'),
  products: operation(documents.ProductsDocument, 'products'),
  categories: operation(documents.CategoriesDocument, 'categories'),
  searchProducts: operation(documents.SearchProductsDocument, 'searchProducts'),
  requestOrder: operation(documents.RequestOrderDocument, 'requestOrder'),
  recordProductView: operation(documents.RecordProductViewDocument, 'recordProductView'),
  pesantren: operation(documents.PesantrenDocument, 'pesantren'),
  pesantrenList: operation(documents.PesantrenListDocument, 'pesantrenList'),
  regencies: operation(documents.RegenciesDocument, 'regencies'),
  articles: operation(documents.ArticlesDocument, 'articles'),
  partners: operation(documents.PartnersDocument, 'partners'),
  partner: operation(documents.PartnerDocument, 'partner'),
  innovation: operation(documents.InnovationDocument, 'innovation'),
  recordInnovationView: operation(documents.RecordInnovationViewDocument, 'recordInnovationView'),
  expressInterest: operation(documents.ExpressInterestDocument, 'expressInterest'),
  enrolmentStats: operation(documents.EnrolmentStatsDocument, 'enrolmentStats'),
};

export type OperationName = keyof typeof OPERATIONS;

type MethodOf<Op> = Op extends Operation<infer Result, infer Variables, infer Field>
  ? (...args: VariablesArgs<Variables, RequestOptions>) => Promise<Result[Field]>
  : never;

export type OperationMethods = { readonly [Name in OperationName]: MethodOf<(typeof OPERATIONS)[Name]> };
