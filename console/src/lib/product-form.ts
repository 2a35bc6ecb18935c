import { normalisedPermit } from '@opop/identifiers/permits';
import type { Bilingual } from './i18n.ts';
import { FIELD_CHECKS, FORMAT_HINTS, wholeNumber } from './product-checks.ts';
import { refusedFields } from './router-request.ts';

/**
 * The product form, read and checked in the console before anything reaches the catalogue, with
 * messages that say what the format is, in both languages. The catalogue checks again (it is the
 * owner); its answers are mapped back onto the fields (fieldsOfIssues).
 */
export const PRODUCT_FIELDS = [
  'sellerId', 'category', 'nameIndonesian', 'nameEnglish', 'descriptionIndonesian', 'descriptionEnglish', 'priceRupiah', 'stock', 'unit', 'weightGrams',
  'halalCertificateNumber', 'halalSelfDeclared', 'bpomNumber', 'pirtNumber', 'sniCertificateNumber',
] as const;
export type ProductField = (typeof PRODUCT_FIELDS)[number];

export interface ProductInput {
  sellerId?: string;
  category: string;
  nameIndonesian: string;
  nameEnglish: string | null;
  descriptionIndonesian: string;
  descriptionEnglish: string | null;
  priceRupiah: number;
  stock: number;
  unit: string;
  weightGrams: number;
  halalCertificateNumber: string | null;
  halalSelfDeclared: boolean;
  bpomNumber: string | null;
  pirtNumber: string | null;
  sniCertificateNumber: string | null;
}

export { FORMAT_HINTS };

const optional = (value: string | undefined) => (value && value.trim() ? value.trim() : null);

/** The form as the catalogue's input, or the problems per field. */
export function parseProductForm(form: Record<string, string>, options: { withSeller: boolean }): { input: ProductInput; errors: Partial<Record<ProductField, Bilingual>> } {
  const errors: Partial<Record<ProductField, Bilingual>> = {};
  const check = (field: ProductField, problem: Bilingual | null) => {
    if (problem) errors[field] = problem;
  };
  const text = (field: ProductField) => optional(form[field]);
  const input: ProductInput = {
    category: form['category'] ?? '',
    nameIndonesian: text('nameIndonesian') ?? '',
    nameEnglish: text('nameEnglish'),
    descriptionIndonesian: text('descriptionIndonesian') ?? '',
    descriptionEnglish: text('descriptionEnglish'),
    priceRupiah: 0,
    stock: 0,
    unit: text('unit') ?? '',
    weightGrams: 0,
    halalCertificateNumber: null,
    halalSelfDeclared: form['halalSelfDeclared'] === 'on',
    bpomNumber: null,
    pirtNumber: null,
    sniCertificateNumber: text('sniCertificateNumber'),
  };
  if (options.withSeller) {
    input.sellerId = form['sellerId'] ?? '';
    if (!input.sellerId) errors.sellerId = { id: 'Pilih penjual.', en: 'Choose a seller.' };
  }
  if (!input.category) errors.category = { id: 'Pilih kategori.', en: 'Choose a category.' };
  for (const field of ['nameIndonesian', 'nameEnglish', 'descriptionIndonesian', 'descriptionEnglish', 'unit', 'sniCertificateNumber'] as const) {
    check(field, FIELD_CHECKS[field](form[field] ?? ''));
  }
  for (const field of ['priceRupiah', 'stock', 'weightGrams'] as const) {
    const problem = FIELD_CHECKS[field](form[field] ?? '');
    if (problem) errors[field] = problem;
    else input[field] = wholeNumber(form[field], 0, Number.MAX_SAFE_INTEGER) as number;
  }
  for (const field of ['halalCertificateNumber', 'bpomNumber', 'pirtNumber'] as const) {
    const value = text(field);
    if (value === null) continue;
    const problem = FIELD_CHECKS[field](value);
    if (problem) errors[field] = problem;
    else input[field] = normalisedPermit(field, value);
  }
  return { input, errors };
}

/** The catalogue's per-field problems (`input.priceRupiah`), shown under their fields. */
export function fieldsOfIssues(issues: readonly { field: string; message: string }[]): Partial<Record<ProductField, Bilingual>> {
  return Object.fromEntries(Object.entries(refusedFields(issues)).filter(([field]) => (PRODUCT_FIELDS as readonly string[]).includes(field)));
}

export const CURATION_LABELS: Record<string, Bilingual> = {
  DRAFT: { id: 'Draf', en: 'Draft' },
  SUBMITTED: { id: 'Diajukan', en: 'Submitted' },
  IN_REVIEW: { id: 'Ditinjau', en: 'In review' },
  NEEDS_REVISION: { id: 'Perlu revisi', en: 'Needs revision' },
  FEATURED: { id: 'Unggulan', en: 'Featured' },
};
