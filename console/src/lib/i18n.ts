import { formatWeight } from '@opop/identifiers/units';

/** Bahasa Indonesia first; English for those who switch (the `opop_lang` cookie). */
export type Lang = 'id' | 'en';

export interface Bilingual {
  id: string;
  en: string;
}

export const tr = (lang: Lang, text: Bilingual): string => text[lang];

export const ROLE_LABELS: Record<string, Bilingual> = {
  PESANTREN_OPERATOR: { id: 'Operator pesantren', en: 'Pesantren operator' },
  PROGRAMME_OFFICE: { id: 'Kantor program', en: 'Programme office' },
  MEDIA_PARTNER: { id: 'Mitra media', en: 'Media partner' },
  ACADEMIC_PARTNER: { id: 'Mitra akademik', en: 'Academic partner' },
};

/** What a membership's or invitation's scopes grant, in words (an unknown scope is shown as it is). */
export const SCOPE_LABELS: Record<string, Bilingual> = {
  'academics:records': { id: 'akses data santri per orang', en: 'individual santri records' },
  'academics:aggregate': { id: 'statistik santri', en: 'santri statistics' },
};

/** A list of scopes in words, for the people and invitations lists. */
export const scopesInWords = (lang: Lang, scopes: readonly string[]): string => scopes.map((scope) => (SCOPE_LABELS[scope] ? tr(lang, SCOPE_LABELS[scope]) : scope)).join(', ');

export const AUDIT_LABELS: Record<string, Bilingual> = {
  SIGN_IN: { id: 'Masuk', en: 'Signed in' },
  SIGN_IN_FAILED: { id: 'Gagal masuk', en: 'Failed sign-in' },
  SIGN_IN_LOCKED: { id: 'Masuk dikunci sementara', en: 'Sign-in locked' },
  SIGN_OUT: { id: 'Keluar', en: 'Signed out' },
  SIGN_OUT_EVERYWHERE: { id: 'Keluar dari semua perangkat', en: 'Signed out everywhere' },
  SESSION_REVOKED: { id: 'Sesi diakhiri', en: 'Session ended' },
  INVITATION_CREATED: { id: 'Undangan dibuat', en: 'Invitation created' },
  INVITATION_ACCEPTED: { id: 'Undangan diterima', en: 'Invitation accepted' },
  INVITATION_REVOKED: { id: 'Undangan dibatalkan', en: 'Invitation revoked' },
  MEMBERSHIP_GRANTED: { id: 'Peran diberikan', en: 'Role granted' },
  MEMBERSHIP_REVOKED: { id: 'Peran dicabut', en: 'Role revoked' },
  ACCOUNT_CREATED: { id: 'Akun dibuat', en: 'Account created' },
  ACCOUNT_DEACTIVATED: { id: 'Akun dinonaktifkan', en: 'Account deactivated' },
  ACCOUNT_REACTIVATED: { id: 'Akun diaktifkan lagi', en: 'Account reactivated' },
  PASSWORD_RESET_LINK_CREATED: { id: 'Tautan ganti sandi dibuat', en: 'Password link created' },
  PASSWORD_RESET: { id: 'Sandi diganti lewat tautan', en: 'Password reset by link' },
  PASSWORD_CHANGED: { id: 'Sandi diganti', en: 'Password changed' },
  TWO_FACTOR_ENABLED: { id: 'Verifikasi dua langkah aktif', en: 'Two-factor turned on' },
  TWO_FACTOR_DISABLED: { id: 'Verifikasi dua langkah mati', en: 'Two-factor turned off' },
};

export function formatDateTime(lang: Lang, date: Date): string {
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta' }).format(date) + ' WIB';
}

/**
 * A calendar date as the API sends it (`2026-12-10`), written as `formatDateTime` writes its
 * dates ("10 Des 2026"): pages showed ISO dates beside those (found by a walkthrough). Anything
 * that is not such a date is shown as it is.
 */
export function formatDate(lang: Lang, date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const day = new Date(`${date}T00:00:00Z`);
  // Not a day of the calendar (2026-02-30): shown as it is rather than as another day.
  return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date ? date : new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(day);
}

/**
 * A sales unit after a count, in the page's language: in English the catalogue's English word
 * (plural after a number other than one) where its glossary knows the unit; otherwise the unit as
 * the seller typed it, marked Indonesian on an English page (`lang`).
 */
export function unitAfter(lang: Lang, count: number, unit: string, unitName: { english: string | null; englishPlural: string | null }): { text: string; lang: 'id' | undefined } {
  if (lang === 'en' && unitName.english) return { text: count === 1 ? unitName.english : (unitName.englishPlural ?? unitName.english), lang: undefined };
  return { text: unit, lang: lang === 'en' ? 'id' : undefined };
}

export const rupiah = (amount: number) => `Rp${new Intl.NumberFormat('id-ID').format(amount)}`;

/** A pack's weight as the storefront and the seller's WhatsApp message write it: "250 g", "1,25 kg" (in English "1.25 kg"). */
export const weight = (lang: Lang, grams: number) => formatWeight(grams, lang);
