import { normalisedPermit, PERMIT_FORMATS, type PermitKind } from '@opop/identifiers/permits';
import type { Bilingual } from './i18n.ts';

/**
 * The checks of each typed field of the product form, in one place for the server (parseProductForm,
 * before anything reaches the catalogue) and the browser (scripts/live-check.ts, as the operator
 * types). Nothing here may import zod or the server: it is bundled into the page.
 */

/** What each format is, shown under its field; a mistyped number's error says what is wrong with it (permitProblem). */
export const FORMAT_HINTS = {
  priceRupiah: { id: 'Rupiah tanpa titik, mis. 25000.', en: 'Rupiah without dots, e.g. 25000.' },
  weightGrams: { id: 'Berat bersih dalam gram, mis. 250.', en: 'Net weight in grams, e.g. 250.' },
  halalCertificateNumber: { id: 'Nomor sertifikat halal BPJPH: ID lalu 17 angka, mis. ID35110000123450123.', en: 'BPJPH halal certificate: ID then 17 digits, e.g. ID35110000123450123.' },
  bpomNumber: { id: 'Izin edar BPOM: MD lalu 12 angka, mis. MD 224513001234.', en: 'BPOM registration: MD then 12 digits, e.g. MD 224513001234.' },
  pirtNumber: { id: 'P-IRT: 15 angka (tanda hubung boleh), mis. 2063515010123-25.', en: 'P-IRT: 15 digits (dashes allowed), e.g. 2063515010123-25.' },
  unit: { id: 'Satuan jual, mis. toples, bungkus, botol.', en: 'Selling unit, e.g. jar, pack, bottle.' },
} satisfies Record<string, Bilingual>;

export function wholeNumber(value: string | undefined, min: number, max: number): number | Bilingual {
  const text = (value ?? '').replace(/[.\s]/g, '');
  // A minus sign is a whole number too, only too small: say so, not "no dots or commas".
  if (/^-\d+$/.test(text)) return { id: `Paling sedikit ${min}.`, en: `At least ${min}.` };
  if (!/^\d+$/.test(text)) return { id: 'Tulis angka bulat, tanpa titik atau koma.', en: 'Write a whole number, without dots or commas.' };
  const number = Number(text);
  if (number < min) return { id: `Paling sedikit ${min}.`, en: `At least ${min}.` };
  if (number > max) return { id: `Paling banyak ${max.toLocaleString('id-ID')}.`, en: `At most ${max.toLocaleString('en-GB')}.` };
  return number;
}

export function length(value: string | null, min: number, max: number, required: boolean): Bilingual | null {
  if (value === null) return required ? { id: 'Wajib diisi.', en: 'Required.' } : null;
  if (value.length < min) return { id: `Minimal ${min} karakter.`, en: `At least ${min} characters.` };
  if (value.length > max) return { id: `Paling panjang ${max} karakter.`, en: `At most ${max} characters.` };
  return null;
}

const optional = (value: string | undefined) => (value && value.trim() ? value.trim() : null);

type Check = (value: string) => Bilingual | null;
const text = (min: number, max: number, required: boolean): Check => (value) => length(optional(value), min, max, required);
const number = (min: number, max: number): Check => (value) => {
  const parsed = wholeNumber(value, min, max);
  return typeof parsed === 'number' ? null : parsed;
};
/** Each permit number's prefix and digit count, to say what is wrong with a number (the hint above the field already shows the format). */
const PERMIT_PARTS: Record<PermitKind, { prefix: string; digits: number }> = {
  halalCertificateNumber: { prefix: 'ID', digits: 17 },
  bpomNumber: { prefix: 'MD', digits: 12 },
  pirtNumber: { prefix: '', digits: 15 },
};

/** What is wrong with a permit number that does not have its format, in words the operator can act on. */
export function permitProblem(kind: PermitKind, value: string): Bilingual {
  const { prefix, digits } = PERMIT_PARTS[kind];
  const normalised = PERMIT_FORMATS[kind].normalise(value);
  if (PERMIT_FORMATS[kind].maxLength !== undefined && value.length > PERMIT_FORMATS[kind].maxLength) {
    return { id: `Terlalu panjang: paling banyak ${PERMIT_FORMATS[kind].maxLength} karakter.`, en: `Too long: at most ${PERMIT_FORMATS[kind].maxLength} characters.` };
  }
  if (prefix && !normalised.startsWith(prefix)) return { id: `Harus diawali ${prefix}.`, en: `Must start with ${prefix}.` };
  const rest = normalised.slice(prefix.length);
  if (/\D/.test(rest)) {
    const after = prefix ? { id: ` setelah ${prefix}`, en: ` after ${prefix}` } : { id: '', en: '' };
    return { id: `Hanya angka${after.id}; ada huruf atau tanda lain.`, en: `Digits only${after.en}; there is a letter or another sign.` };
  }
  const counted = prefix ? { id: `angka setelah ${prefix}`, en: `digits after ${prefix}` } : { id: 'angka', en: 'digits' };
  return { id: `Ada ${rest.length} ${counted.id}; seharusnya ${digits}.`, en: `${rest.length} ${counted.en}; it should be ${digits}.` };
}

const permit = (kind: PermitKind): Check => (value) => {
  const typed = optional(value);
  return typed === null || normalisedPermit(kind, typed) !== null ? null : permitProblem(kind, typed);
};

/** Each typed field's check; a field left out (selects, checkboxes) is checked on the server only. */
export const FIELD_CHECKS = {
  nameIndonesian: text(3, 160, true),
  nameEnglish: text(3, 160, false),
  descriptionIndonesian: text(10, 5_000, true),
  descriptionEnglish: text(10, 5_000, false),
  unit: text(1, 30, true),
  sniCertificateNumber: text(3, 64, false),
  priceRupiah: number(1, 1_000_000_000),
  stock: number(0, 1_000_000),
  weightGrams: number(1, 1_000_000),
  halalCertificateNumber: permit('halalCertificateNumber'),
  bpomNumber: permit('bpomNumber'),
  pirtNumber: permit('pirtNumber'),
} satisfies Record<string, Check>;

export type CheckedField = keyof typeof FIELD_CHECKS;

export const isCheckedField = (name: string): name is CheckedField => Object.hasOwn(FIELD_CHECKS, name);
