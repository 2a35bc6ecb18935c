import { bpomNumber, halalCertificateNumber, pirtNumber } from '@opop/identifiers';
import type { Bilingual } from './i18n.ts';
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

export const FORMAT_HINTS: Partial<Record<ProductField, Bilingual>> = {
  halalCertificateNumber: { id: 'Nomor sertifikat halal BPJPH: ID lalu 17 angka, mis. ID35110000123450123.', en: 'BPJPH halal certificate: ID then 17 digits, e.g. ID35110000123450123.' },
  bpomNumber: { id: 'Izin edar BPOM: MD lalu 12 angka, mis. MD 224513001234.', en: 'BPOM registration: MD then 12 digits, e.g. MD 224513001234.' },
  pirtNumber: { id: 'P-IRT: 15 angka (tanda hubung boleh), mis. 2063515010123-25.', en: 'P-IRT: 15 digits (dashes allowed), e.g. 2063515010123-25.' },
  priceRupiah: { id: 'Rupiah utuh, tanpa titik, mis. 25000.', en: 'Whole rupiah, no dots, e.g. 25000.' },
  weightGrams: { id: 'Berat kirim dalam gram, mis. 250.', en: 'Shipping weight in grams, e.g. 250.' },
  unit: { id: 'Satuan jual, mis. toples, bungkus, botol.', en: 'Selling unit, e.g. jar, pack, bottle.' },
};

const optional = (value: string | undefined) => (value && value.trim() ? value.trim() : null);

function wholeNumber(value: string | undefined, min: number, max: number): number | Bilingual {
  const text = (value ?? '').replace(/[.\s]/g, '');
  if (!/^\d+$/.test(text)) return { id: 'Tulis angka bulat, tanpa titik atau koma.', en: 'Write a whole number, without dots or commas.' };
  const number = Number(text);
  if (number < min) return { id: `Paling sedikit ${min}.`, en: `At least ${min}.` };
  if (number > max) return { id: `Paling banyak ${max.toLocaleString('id-ID')}.`, en: `At most ${max.toLocaleString('en-GB')}.` };
  return number;
}

function length(value: string | null, min: number, max: number, required: boolean): Bilingual | null {
  if (value === null) return required ? { id: 'Wajib diisi.', en: 'Required.' } : null;
  if (value.length < min) return { id: `Minimal ${min} karakter.`, en: `At least ${min} characters.` };
  if (value.length > max) return { id: `Paling panjang ${max} karakter.`, en: `At most ${max} characters.` };
  return null;
}

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
  check('nameIndonesian', length(text('nameIndonesian'), 3, 160, true));
  check('nameEnglish', length(input.nameEnglish, 3, 160, false));
  check('descriptionIndonesian', length(text('descriptionIndonesian'), 10, 5_000, true));
  check('descriptionEnglish', length(input.descriptionEnglish, 10, 5_000, false));
  check('unit', length(text('unit'), 1, 30, true));
  check('sniCertificateNumber', length(input.sniCertificateNumber, 3, 64, false));
  for (const [field, min, max] of [['priceRupiah', 0, 1_000_000_000], ['stock', 0, 1_000_000], ['weightGrams', 1, 1_000_000]] as const) {
    const parsed = wholeNumber(form[field], min, max);
    if (typeof parsed === 'number') input[field] = parsed;
    else errors[field] = parsed;
  }
  const permits = [
    ['halalCertificateNumber', halalCertificateNumber],
    ['bpomNumber', bpomNumber],
    ['pirtNumber', pirtNumber],
  ] as const;
  for (const [field, schema] of permits) {
    const value = text(field);
    if (value === null) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) input[field] = parsed.data;
    else errors[field] = FORMAT_HINTS[field]!;
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
