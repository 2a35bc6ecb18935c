import { checkNarrowReads, readCovering, WHOLE_ROW, type ColumnRead } from '@opop/server-kit';
import type { Product as ProductFields } from '../../generated/graphql.ts';
import type { ProductRecord } from './product.entity.ts';

type ProductField = Exclude<keyof ProductFields, '__typename'>;
/** The record's properties that are columns of the product table. */
export type ProductProperty = keyof ProductRecord & string;

/**
 * What every read of a product takes, whatever was selected: its keys, its seller (with the
 * seller's pesantren, joined in the same statement) and its curation status, which decide who
 * may see it (`visibleTo`).
 */
export const READ_ALWAYS = ['id', 'slug', 'seller', 'curationStatus'] as const satisfies readonly ProductProperty[];

/**
 * What the resolvers of each Product field, in every module of this subgraph, read of the
 * product's record beyond READ_ALWAYS. Typed against the schema's Product type, so a new field
 * does not compile until it says what it reads. The catalogue suite resolves every field from a
 * read narrowed to this and from the whole row, and expects the same answer.
 */
export const PRODUCT_FIELD_READS: Record<ProductField, readonly ProductProperty[]> = {
  id: [],
  slug: [],
  name: ['nameIndonesian', 'nameEnglish'],
  description: ['descriptionIndonesian', 'descriptionEnglish'],
  priceRupiah: ['priceRupiah'],
  stock: ['stock'],
  inStock: ['stock'],
  unit: ['unit'],
  unitName: ['unit'],
  weightGrams: ['weightGrams'],
  images: ['images'],
  photos: [],
  halalCertificateNumber: ['halalCertificateNumber'],
  halalSelfDeclared: ['halalSelfDeclared'],
  bpomNumber: ['bpomNumber'],
  pirtNumber: ['pirtNumber'],
  sniCertificateNumber: ['sniCertificateNumber'],
  category: ['category'],
  seller: [],
  pesantren: [],
  curationStatus: [],
  featured: [],
  statusSince: ['statusSince'],
  curationHistory: [],
  isDemo: ['isDemo'],
  createdAt: ['createdAt'],
  updatedAt: ['updatedAt'],
};

/** A set of columns a product read selects (server-kit's narrow-reads.ts); `properties: null` is the whole row. */
export type ProductRead = ColumnRead<ProductProperty>;
export { WHOLE_ROW };

/**
 * The column sets a `product(id|slug)` read chooses from, smallest first, each holding the one
 * before it (a fixed few: server-kit's narrow-reads.ts says why).
 *
 * Why narrow at all: the whole row is 25 columns (two descriptions, a JSON photo list, three
 * timestamps). Measured under the router bench's single query, reading it cost the catalogue
 * ~0.1 ms of CPU per request more than reading price and stock (pg parsing the row description
 * and each value, the record's conversions), and PostgreSQL more too (issue 21).
 */
export const PRODUCT_READS: readonly ProductRead[] = [
  // Live stock and price (the storefront's islands, the SDK's stock query).
  { name: 'price and stock', properties: ['priceRupiah', 'stock'] },
  // Cards, grids and pickers: what a product looks like in a list, without its long texts.
  {
    name: 'card',
    properties: ['priceRupiah', 'stock', 'nameIndonesian', 'nameEnglish', 'unit', 'images', 'category', 'isDemo', 'halalSelfDeclared', 'halalCertificateNumber', 'weightGrams'],
  },
];

checkNarrowReads('product', PRODUCT_READS);

/**
 * The smallest column set that covers every selected field; the whole row when a field is not
 * one of the Product type's (a name this code does not know reads everything, to be safe).
 */
export function productReadFor(selected: Iterable<string>): ProductRead {
  return readCovering(selected, PRODUCT_FIELD_READS, PRODUCT_READS);
}
