import { z } from 'zod';
import { normalizeIndonesianMobile } from './mobile.ts';
import { PERMIT_FORMATS } from './permits.ts';

/**
 * The identifiers of the programme, as shared/domain/README.md describes them. Only shapes are
 * checked: none of these numbers has a published checksum, so inventing one would reject real ones.
 */

/** Nomor Statistik Pondok Pesantren (Kemenag): 12 digits, e.g. 510035780004. */
export const nspp = z
  .string()
  .trim()
  .regex(/^\d{12}$/, 'must be the 12-digit NSPP issued by Kemenag, e.g. 510035780004');

/** BPS regency code: two digits of the province, two of the regency (3517 = Kabupaten Jombang). */
export const regencyCode = z.string().trim().regex(/^\d{4}$/, 'must be a 4-digit BPS regency code, e.g. 3517');

/** Halal certificate numbers from BPJPH (SIHALAL): ID followed by 17 digits. */
export const halalCertificateNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(PERMIT_FORMATS.halalCertificateNumber.pattern, 'must be a BPJPH halal certificate number: ID followed by 17 digits');

/** BPOM registration for processed food: MD followed by 12 digits (spaces tolerated on input). */
export const bpomNumber = z
  .string()
  .max(PERMIT_FORMATS.bpomNumber.maxLength, 'must be at most 30 characters')
  .transform(PERMIT_FORMATS.bpomNumber.normalise)
  .refine((value) => PERMIT_FORMATS.bpomNumber.pattern.test(value), 'must be a BPOM registration number: MD followed by 12 digits');

/** Home-industry food permit (P-IRT): 15 digits (dashes and spaces tolerated on input). */
export const pirtNumber = z
  .string()
  .max(PERMIT_FORMATS.pirtNumber.maxLength, 'must be at most 30 characters')
  .transform(PERMIT_FORMATS.pirtNumber.normalise)
  .refine((value) => PERMIT_FORMATS.pirtNumber.pattern.test(value), 'must be a P-IRT number of 15 digits');

export { isIndonesianMobile, normalizeIndonesianMobile } from './mobile.ts';
export { PERMIT_FORMATS, normalisedPermit, type PermitKind } from './permits.ts';
export { eastJavaDateInYears, eastJavaToday, eastJavaYear, isCalendarDate } from './dates.ts';

/** An Indonesian mobile number as people type it, stored in international form (62812…). */
export const indonesianMobile = z
  .string()
  .max(24, 'must be at most 24 characters')
  .transform(normalizeIndonesianMobile)
  .refine((value) => /^628\d{7,11}$/.test(value), 'must be an Indonesian mobile number such as 0812 3456 7890');

/** Trimmed free text within bounds, so oversized input is refused with a message naming the limit. */
export const boundedText = (min: number, max: number) =>
  z.string().trim().min(min, `must be at least ${min} characters`).max(max, `must be at most ${max} characters`);

export { EAST_JAVA_REGENCIES, regencyDisplayName, type Regency } from './regencies.ts';
