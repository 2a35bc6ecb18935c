import { isBankAccountNumber } from '@opop/identifiers/bank';
import { isIndonesianMobile } from '@opop/identifiers/mobile';
import { parseQris } from '@opop/identifiers/qris';
import type { Bilingual } from './i18n.ts';

/**
 * The API's checks of the profile and payment fields, made here first so a refusal reads in the
 * person's language: the API answers in English (`input.whatsapp: must be …`), which the forms
 * showed as it was. The API still checks everything; these only say it sooner and in Indonesian.
 * An empty field is left to the API, where it means "clear this".
 */
const filled = (value: string | undefined) => (value ?? '').trim();

/** A required text of `min` to `max` characters, trimmed, as the API's `text(min, max)` checks it. */
export const lengthProblem = (min: number, max: number) => (value: string | undefined): Bilingual | null => {
  const text = filled(value);
  if (text.length < min) return { id: `Minimal ${min} karakter.`, en: `At least ${min} characters.` };
  if (text.length > max) return { id: `Paling panjang ${max} karakter.`, en: `At most ${max} characters.` };
  return null;
};

export function whatsappProblem(value: string | undefined): Bilingual | null {
  const text = filled(value);
  if (!text || isIndonesianMobile(text)) return null;
  return { id: 'Harus nomor HP Indonesia, mis. 0812 3456 7890.', en: 'Must be an Indonesian mobile number, e.g. 0812 3456 7890.' };
}

export function accountNumberProblem(value: string | undefined): Bilingual | null {
  const text = filled(value);
  if (!text || isBankAccountNumber(text)) return null;
  return { id: 'Nomor rekening: 6 sampai 20 angka (spasi, titik dan tanda hubung diabaikan).', en: 'Account number: 6 to 20 digits (spaces, dots and dashes are ignored).' };
}

export function qrisProblem(value: string | undefined): Bilingual | null {
  const text = filled(value);
  if (!text) return null;
  const result = parseQris(text);
  return result.ok ? null : { id: `Teks QRIS ${result.reasonIndonesian}.`, en: `The QRIS text ${result.reason}.` };
}

/** The problems of the fields named, by field; empty when every one passes. */
export function fieldProblems(form: Record<string, string>, checks: Record<string, (value: string | undefined) => Bilingual | null>): Record<string, Bilingual> {
  return Object.fromEntries(Object.entries(checks).flatMap(([field, check]) => {
    const problem = check(form[field]);
    return problem ? [[field, problem]] : [];
  }));
}

/** The banner over a form whose fields were refused, here or by the API. */
export const FIELDS_REFUSED: Bilingual = { id: 'Ada isian yang perlu diperbaiki; lihat tanda di bawah.', en: 'Some fields need fixing; see the marks below.' };
