import { boundedText as text, indonesianMobile as whatsapp, nspp, regencyCode } from '@opop/identifiers';
import { z } from 'zod';
import { PILLARS } from './pesantren.entity.ts';

/** The year OPOP started; nobody joined before it. */
export const OPOP_LAUNCH_YEAR = 2019;


const memberSince = z
  .number()
  .int()
  .min(OPOP_LAUNCH_YEAR, `must be ${OPOP_LAUNCH_YEAR} or later: OPOP started in ${OPOP_LAUNCH_YEAR}`)
  .refine((year) => year <= new Date().getUTCFullYear(), 'cannot be in the future');

const pillars = z
  .array(z.enum(PILLARS))
  .min(1, 'must name at least one pillar')
  .max(PILLARS.length, `must name each of the ${PILLARS.length} pillars at most once`)
  .transform((values) => [...new Set(values)]);

const cooperative = z.object({ name: text(3, 160), legalNumber: text(3, 80) });

const award = z.object({
  year: z
    .number()
    .int()
    .min(OPOP_LAUNCH_YEAR, `must be ${OPOP_LAUNCH_YEAR} or later`)
    .refine((year) => year <= new Date().getUTCFullYear(), 'cannot be in the future'),
  category: z.enum(PILLARS),
  rank: z.number().int().min(1, 'must be 1, 2 or 3').max(3, 'must be 1, 2 or 3'),
});

export const registerPesantrenInput = z.object({
  nspp,
  name: text(3, 160),
  regencyCode,
  address: text(5, 300),
  pillars,
  cooperative: cooperative.nullish(),
  whatsapp: whatsapp.nullish(),
  memberSince,
});
export type RegisterPesantrenInput = z.infer<typeof registerPesantrenInput>;

/** Absent means unchanged; null clears the optional fields. */
export const updatePesantrenInput = z.object({
  nspp: nspp.optional(),
  name: text(3, 160).optional(),
  regencyCode: regencyCode.optional(),
  address: text(5, 300).optional(),
  pillars: pillars.optional(),
  cooperative: cooperative.nullable().optional(),
  whatsapp: whatsapp.nullable().optional(),
  memberSince: memberSince.optional(),
  awards: z.array(award).max(50, 'must list at most 50 awards').optional(),
});
export type UpdatePesantrenInput = z.infer<typeof updatePesantrenInput>;

/** Fields only a programme admin may change; the rest an operator may change for their own pesantren. */
export const ADMIN_ONLY_FIELDS = ['nspp', 'name', 'regencyCode', 'memberSince', 'awards'] as const satisfies readonly (keyof UpdatePesantrenInput)[];
