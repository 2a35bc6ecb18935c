/**
 * Indonesian mobile numbers without zod, so a browser island can check them exactly as the API
 * does without shipping a validation library.
 */

/** Turns 0812-3456-7890, +62 812 3456 7890 or 62812… into 62812…, the form wa.me links need. */
export function normalizeIndonesianMobile(value: string): string {
  return value.replace(/[\s\-().]/g, '').replace(/^\+/, '').replace(/^0/, '62');
}

/** Whether `value`, as people type it, is an Indonesian mobile number (at most 24 characters). */
export const isIndonesianMobile = (value: string): boolean => value.length <= 24 && /^628\d{7,11}$/.test(normalizeIndonesianMobile(value));
