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

export const rupiah = (amount: number) => `Rp${new Intl.NumberFormat('id-ID').format(amount)}`;
