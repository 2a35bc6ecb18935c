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

/**
 * A stored number (62812…) as Indonesians write it: 0812-3456-7890, in groups of four after the
 * 08xx prefix. Anything that is not a stored mobile number is given back as it is.
 */
export function displayIndonesianMobile(stored: string): string {
  if (!/^628\d{7,11}$/.test(stored)) return stored;
  const local = `0${stored.slice(2)}`;
  return [local.slice(0, 4), ...(local.slice(4).match(/.{1,4}/g) ?? [])].join('-');
}
