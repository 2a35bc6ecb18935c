import { boundedText as text, bpomNumber, halalCertificateNumber, pirtNumber, regencyCode } from '@opop/identifiers';
import { z } from 'zod';


const rupiah = z
  .number()
  .int('must be whole rupiah')
  .min(0, 'must not be negative')
  .max(1_000_000_000, 'must be at most Rp 1.000.000.000');

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

export const curationNote = text(3, 1_000);

export const productFilterInput = z
  .object({
    category: text(1, 80).nullish(),
    regencyCodes: z.array(regencyCode).max(50, 'must list at most 50 regencies').nullish(),
    pesantrenId: z.uuid('must be a valid id').nullish(),
    sellerId: z.uuid('must be a valid id').nullish(),
    pillars: z.array(z.enum(['PESANTRENPRENEUR', 'SANTRIPRENEUR', 'SOSIOPRENEUR'])).nullish(),
    featured: z.boolean().nullish(),
    minPriceRupiah: rupiah.nullish(),
    maxPriceRupiah: rupiah.nullish(),
    inStock: z.boolean().nullish(),
  })
  .refine(
    (filter) => filter.minPriceRupiah == null || filter.maxPriceRupiah == null || filter.minPriceRupiah <= filter.maxPriceRupiah,
    { message: 'must not be below minPriceRupiah', path: ['maxPriceRupiah'] },
  );
export type ProductFilterInput = z.infer<typeof productFilterInput>;
