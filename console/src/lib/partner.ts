import type { Membership } from '../accounts/membership.entity.ts';

/** Pages import only types and small helpers: the service (and its libraries) reach them through Astro.locals. */

/** Partners' memberships: the role their keys carry, and the scopes a key of theirs may hold (no more than the person has). */
export function partnerKeyRole(membership: Membership): 'MEDIA_PARTNER' | 'ACADEMIC_PARTNER' | null {
  if (membership.kind === 'MEDIA_PARTNER') return 'MEDIA_PARTNER';
  if (membership.kind === 'ACADEMIC_PARTNER') return 'ACADEMIC_PARTNER';
  return null;
}

/** The key role a partner's keys carry, by its Pentahelix role: only media and academic partners hold keys. */
export const KEY_ROLE_OF_PARTNER: Partial<Record<string, 'MEDIA_PARTNER' | 'ACADEMIC_PARTNER'>> = { MEDIA: 'MEDIA_PARTNER', ACADEMIA: 'ACADEMIC_PARTNER' };

/** The scopes a key of each role may hold (the partners subgraph's SCOPES_BY_ROLE). */
export const SCOPES_OF_KEY_ROLE: Record<'MEDIA_PARTNER' | 'ACADEMIC_PARTNER', readonly string[]> = { MEDIA_PARTNER: ['widgets:events'], ACADEMIC_PARTNER: ['academics:aggregate', 'academics:records'] };

export const SCOPE_LABELS: Record<string, { id: string; en: string }> = {
  'widgets:events': { id: 'Mencatat tayangan dan klik widget', en: 'Record widget views and clicks' },
  'academics:aggregate': { id: 'Statistik santri (agregat, terlindungi)', en: 'Santri statistics (aggregate, protected)' },
  'academics:records': { id: 'Data santri per orang (dengan izin wali, diaudit)', en: 'Individual santri records (with guardian consent, audited)' },
};
