import { boundedText as text, bpomNumber, halalCertificateNumber, pirtNumber, regencyCode } from '@opop/identifiers';
import { z } from 'zod';
import { CURATION_STATUSES } from './product.entity.ts';


/** A price bound in a filter: from 0 ("from Rp 0" is a natural lower bound). */
const rupiahBound = z.number().int('must be whole rupiah').min(0, 'must not be negative').max(1_000_000_000, 'must be at most Rp 1.000.000.000');
// A product's price: at least Rp 1, as a listing at Rp 0 reads as a mistake to shoppers (a new user saved one).
const rupiah = rupiahBound.min(1, 'must be at least 1');

const productFields = {
  category: text(1, 80),
  nameIndonesian: text(3, 160),
  nameEnglish: text(3, 160).nullish(),
  descriptionIndonesian: text(10, 5_000),
  descriptionEnglish: text(10, 5_000).nullish(),
  priceRupiah: rupiah,
  stock: z.number().int().min(0, 'must not be negative').max(1_000_000, 'must be at most 1,000,000'),
  unit: text(1, 30),
  weightGrams: z.number().int().min(1, 'must be at least 1 gram').max(1_000_000, 'must be at most 1,000 kg'),
  halalCertificateNumber: halalCertificateNumber.nullish(),
  halalSelfDeclared: z.boolean(),
  bpomNumber: bpomNumber.nullish(),
  pirtNumber: pirtNumber.nullish(),
  sniCertificateNumber: text(3, 64).nullish(),
};

export const createProductInput = z.object({
  sellerId: z.string(),
  ...productFields,
  halalSelfDeclared: productFields.halalSelfDeclared.nullish().transform((value) => value ?? false),
});
export type CreateProductInput = z.infer<typeof createProductInput>;

/** Absent means unchanged; null clears an optional field. Required fields cannot be cleared. */
export const updateProductInput = z.object({
  category: productFields.category.optional(),
  nameIndonesian: productFields.nameIndonesian.optional(),
  nameEnglish: productFields.nameEnglish,
  descriptionIndonesian: productFields.descriptionIndonesian.optional(),
  descriptionEnglish: productFields.descriptionEnglish,
  priceRupiah: productFields.priceRupiah.optional(),
  stock: productFields.stock.optional(),
  unit: productFields.unit.optional(),
  weightGrams: productFields.weightGrams.optional(),
  halalCertificateNumber: productFields.halalCertificateNumber,
  halalSelfDeclared: productFields.halalSelfDeclared.optional(),
  bpomNumber: productFields.bpomNumber,
  pirtNumber: productFields.pirtNumber,
  sniCertificateNumber: productFields.sniCertificateNumber,
});
export type UpdateProductInput = z.infer<typeof updateProductInput>;

/** Changing any of these (or the photos) on a featured product needs a new review; price and stock do not. */
export const CURATED_FIELDS = [
  'category',
  'nameIndonesian',
  'nameEnglish',
  'descriptionIndonesian',
  'descriptionEnglish',
  'halalCertificateNumber',
  'halalSelfDeclared',
  'bpomNumber',
  'pirtNumber',
  'sniCertificateNumber',
] as const satisfies readonly (keyof UpdateProductInput)[];

/** Each curated field as the curation history names it to the operator and the office (in Indonesian, as its notes are). */
export const CURATED_FIELD_NAMES: Record<(typeof CURATED_FIELDS)[number], string> = {
  category: 'kategori',
  nameIndonesian: 'nama (Indonesia)',
  nameEnglish: 'nama (Inggris)',
  descriptionIndonesian: 'deskripsi (Indonesia)',
  descriptionEnglish: 'deskripsi (Inggris)',
  halalCertificateNumber: 'nomor sertifikat halal',
  halalSelfDeclared: 'pernyataan halal mandiri',
  bpomNumber: 'nomor BPOM',
  pirtNumber: 'nomor P-IRT',
  sniCertificateNumber: 'nomor sertifikat SNI',
};

export const curationNote = text(3, 1_000);

const PILLARS = ['PESANTRENPRENEUR', 'SANTRIPRENEUR', 'SOSIOPRENEUR'] as const;
const filterFields = {
  category: text(1, 80).nullish(),
  regencyCodes: z.array(regencyCode).max(50, 'must list at most 50 regencies').nullish(),
  pesantrenId: z.uuid('must be a valid id').nullish(),
  pillars: z.array(z.enum(PILLARS)).max(PILLARS.length, `must list at most ${PILLARS.length} pillars`).nullish(),
};

export const productFilterInput = z
  .object({
    category: filterFields.category,
    regencyCodes: filterFields.regencyCodes,
    pesantrenId: filterFields.pesantrenId,
    sellerId: z.uuid('must be a valid id').nullish(),
    pillars: filterFields.pillars,
    featured: z.boolean().nullish(),
    minPriceRupiah: rupiahBound.nullish(),
    maxPriceRupiah: rupiahBound.nullish(),
    inStock: z.boolean().nullish(),
  })
  .refine(
    (filter) => filter.minPriceRupiah == null || filter.maxPriceRupiah == null || filter.minPriceRupiah <= filter.maxPriceRupiah,
    { message: 'must not be below minPriceRupiah', path: ['maxPriceRupiah'] },
  );
export type ProductFilterInput = z.infer<typeof productFilterInput>;

/** The words a name search looks for: at most MAX_SEARCH_WORDS, each matched anywhere in either name. */
export const MAX_SEARCH_WORDS = 8;
/** How far back `waitingLongerThanDays` may reach: ten years. */
export const MAX_WAITING_DAYS = 3_650;

/**
 * What operators and programme admins narrow their product lists to (the curation queue). Text
 * search is plain, case-insensitive matching of each word in the Indonesian or English name
 * (ILIKE), not the shoppers' typo-tolerant search: managers look for products they know.
 */
export const managedProductFilterInput = z.object({
  curationStatuses: z.array(z.enum(CURATION_STATUSES)).max(CURATION_STATUSES.length, `must list at most ${CURATION_STATUSES.length} statuses`).nullish(),
  ...filterFields,
  search: z
    .string()
    .max(100, 'must be at most 100 characters')
    .transform((text) => text.normalize('NFKC').toLowerCase().split(/\s+/u).filter(Boolean))
    .refine((words) => words.length <= MAX_SEARCH_WORDS, `must be at most ${MAX_SEARCH_WORDS} words`)
    .nullish(),
  waitingLongerThanDays: z
    .number()
    .int('must be a whole number of days')
    .min(0, 'must not be negative')
    .max(MAX_WAITING_DAYS, `must be at most ${MAX_WAITING_DAYS} days`)
    .nullish(),
});
export type ManagedProductFilterInput = z.infer<typeof managedProductFilterInput>;
