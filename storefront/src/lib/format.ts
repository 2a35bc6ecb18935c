import type { Locale } from './i18n.ts';

/** Rupiah as Indonesians write it, in both languages: `Rp 25.000` (no decimals, dots for thousands). */
export function rupiah(amount: number): string {
  return `Rp ${Math.round(amount).toLocaleString('id-ID')}`;
}

export function formatDate(iso: string, locale: Locale): string {
  return new Date(iso).toLocaleDateString(locale === 'id' ? 'id-ID' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' });
}

/**
 * A product's sales unit in the page's language: the English from the catalogue's glossary
 * (plural after a count other than one), or the seller's Indonesian word when it has none.
 */
export function unitLabel(product: { unit: string; unitName: { english?: string | null; englishPlural?: string | null } }, locale: Locale, count = 1): string {
  if (locale === 'id') return product.unit;
  return (count === 1 ? product.unitName.english : (product.unitName.englishPlural ?? product.unitName.english)) ?? product.unit;
}

export const formatNumber = (value: number, locale: Locale) => value.toLocaleString(locale === 'id' ? 'id-ID' : 'en-GB');

export function weight(grams: number, locale: Locale): string {
  return grams >= 1000 ? `${formatNumber(grams / 1000, locale)} kg` : `${formatNumber(grams, locale)} g`;
}
