import { formatWeight } from '@opop/identifiers/units';
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

export const weight = (grams: number, locale: Locale): string => formatWeight(grams, locale);

/** " (250 g)" after a unit, for a line that knows the weight of one; nothing for one that does not. */
export const weightAfter = (grams: number | null | undefined, locale: Locale): string => (grams ? ` (${weight(grams, locale)})` : '');
