import type { Bilingual } from './i18n.ts';

export const PILLARS: Record<string, Bilingual> = {
  PESANTRENPRENEUR: { id: 'Pesantrenpreneur (usaha pesantren/koperasi)', en: 'Pesantrenpreneur (the pesantren’s or cooperative’s business)' },
  SANTRIPRENEUR: { id: 'Santripreneur (usaha santri)', en: 'Santripreneur (santri’s business)' },
  SOSIOPRENEUR: { id: 'Sosiopreneur (usaha alumni/masyarakat)', en: 'Sosiopreneur (alumni’s or community business)' },
};

/** The pillars ticked in a form, in the schema's order. */
export const pillarsOf = (form: Record<string, string>) => Object.keys(PILLARS).filter((pillar) => form[`pillar:${pillar}`] === 'on') as ('PESANTRENPRENEUR' | 'SANTRIPRENEUR' | 'SOSIOPRENEUR')[];
