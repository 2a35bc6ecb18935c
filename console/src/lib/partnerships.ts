import { eastJavaDateInYears, eastJavaToday, isCalendarDate } from '@opop/identifiers/dates';
import type { FacilitationAspect, RegionKind } from '../generated/operations.ts';
import type { Bilingual } from './i18n.ts';

/**
 * The office's partnership forms, read and checked before anything reaches the partners subgraph,
 * with the subgraph's own rules (innovation.input.ts, partner.input.ts) and messages that say the
 * format. The subgraph checks again; its refusals are put back on the fields.
 */
export const REGION_KINDS: Record<RegionKind, Bilingual> = {
  PROVINCE: { id: 'Provinsi', en: 'Province' },
  REGENCY: { id: 'Kabupaten', en: 'Regency' },
  CITY: { id: 'Kota', en: 'City' },
};

export const ASPECTS: Record<FacilitationAspect, Bilingual> = {
  INSTITUTION: { id: 'Kelembagaan', en: 'Institution' },
  HUMAN_RESOURCES: { id: 'SDM', en: 'Human resources' },
  PRODUCT: { id: 'Produk', en: 'Product' },
  MARKETING: { id: 'Pemasaran', en: 'Marketing' },
  FINANCING: { id: 'Pembiayaan', en: 'Financing' },
};

export const DATE_HINT: Bilingual = { id: 'Format TTTT-BB-HH, mis. 2024-07-15; sejak 2019 (awal OPOP).', en: 'Format YYYY-MM-DD, e.g. 2024-07-15; 2019 (when OPOP began) or later.' };
export const BPS_HINT: Bilingual = { id: 'Opsional: 2 angka untuk provinsi (35 = Jawa Timur), 4 untuk kabupaten atau kota (3517 = Jombang).', en: 'Optional: 2 digits for a province (35 = East Java), 4 for a regency or city (3517 = Jombang).' };
const PLANNING_YEARS_AHEAD = 5;

type Problems = Record<string, Bilingual>;
const text = (value: string | undefined) => (value ?? '').trim();

function date(value: string | undefined, latest: string): string | Bilingual {
  const raw = text(value);
  if (!isCalendarDate(raw)) return { id: `Tanggal tidak terbaca. ${DATE_HINT.id}`, en: `Not a date. ${DATE_HINT.en}` };
  if (raw < '2019-01-01') return { id: `Terlalu lama. ${DATE_HINT.id}`, en: `Too early. ${DATE_HINT.en}` };
  if (raw > latest) return { id: `Paling lambat ${latest}.`, en: `At the latest ${latest}.` };
  return raw;
}

function length(field: string, value: string, min: number, max: number, problems: Problems): void {
  if (value.length < min) problems[field] = { id: `Minimal ${min} karakter.`, en: `At least ${min} characters.` };
  else if (value.length > max) problems[field] = { id: `Paling panjang ${max} karakter.`, en: `At most ${max} characters.` };
}

export interface RegionEvent {
  region: { name: string; kind: RegionKind; bpsCode: string | null; provinceName: string };
  on: string;
  note: string | null;
}

/** An agreement or a replication: where, when (not in the future), and a note. */
export function parseRegionEvent(form: Record<string, string>): { input: RegionEvent; errors: Problems } {
  const errors: Problems = {};
  const name = text(form['regionName']);
  const provinceName = text(form['provinceName']);
  const kind = form['kind'] as RegionKind;
  const bpsCode = text(form['bpsCode']) || null;
  const note = text(form['note']) || null;
  length('regionName', name, 2, 120, errors);
  length('provinceName', provinceName, 2, 80, errors);
  if (!(kind in REGION_KINDS)) errors['kind'] = { id: 'Pilih jenis wilayah.', en: 'Choose the kind of region.' };
  else if (bpsCode && !(kind === 'PROVINCE' ? /^\d{2}$/ : /^\d{4}$/).test(bpsCode)) errors['bpsCode'] = { id: `Kode BPS tidak cocok dengan jenisnya. ${BPS_HINT.id}`, en: `The BPS code does not fit the kind. ${BPS_HINT.en}` };
  if (note) length('note', note, 3, 1_000, errors);
  const on = date(form['on'], eastJavaToday());
  if (typeof on !== 'string') errors['on'] = on;
  return { input: { region: { name, kind, bpsCode, provinceName }, on: typeof on === 'string' ? on : '', note }, errors };
}

export interface EngagementForm {
  partnerSlug: string;
  aspect: FacilitationAspect;
  titleIndonesian: string;
  titleEnglish: string | null;
  startsOn: string;
  endsOn: string | null;
  outcomeIndonesian: string | null;
  outcomeEnglish: string | null;
  pesantrenSlugs: string[];
}

/** An engagement: which partner, which aspect, a title, its dates (planned up to 5 years ahead) and the pesantren by slug. */
export function parseEngagement(form: Record<string, string>, partnerSlugs: readonly string[]): { input: EngagementForm; errors: Problems } {
  const errors: Problems = {};
  const planningLimit = eastJavaDateInYears(PLANNING_YEARS_AHEAD);
  const input: EngagementForm = {
    partnerSlug: text(form['partnerSlug']),
    aspect: form['aspect'] as FacilitationAspect,
    titleIndonesian: text(form['titleIndonesian']),
    titleEnglish: text(form['titleEnglish']) || null,
    startsOn: '',
    endsOn: null,
    outcomeIndonesian: text(form['outcomeIndonesian']) || null,
    outcomeEnglish: text(form['outcomeEnglish']) || null,
    pesantrenSlugs: [...new Set(text(form['pesantren']).toLowerCase().split(/[\s,]+/).filter(Boolean))],
  };
  if (!partnerSlugs.includes(input.partnerSlug)) errors['partnerSlug'] = { id: 'Pilih mitranya.', en: 'Choose the partner.' };
  if (!(input.aspect in ASPECTS)) errors['aspect'] = { id: 'Pilih aspek pendampingan.', en: 'Choose the aspect.' };
  length('titleIndonesian', input.titleIndonesian, 3, 200, errors);
  if (input.titleEnglish) length('titleEnglish', input.titleEnglish, 3, 200, errors);
  if (input.outcomeIndonesian) length('outcomeIndonesian', input.outcomeIndonesian, 3, 4_000, errors);
  if (input.outcomeEnglish) length('outcomeEnglish', input.outcomeEnglish, 3, 4_000, errors);
  // The English outcome translates the Indonesian one (the API keeps one only beside the other).
  if (input.outcomeEnglish && !input.outcomeIndonesian) errors['outcomeIndonesian'] = { id: 'Tulis juga hasilnya dalam Bahasa Indonesia.', en: 'Write the outcome in Indonesian too.' };
  const startsOn = date(form['startsOn'], planningLimit);
  if (typeof startsOn === 'string') input.startsOn = startsOn;
  else errors['startsOn'] = startsOn;
  if (text(form['endsOn'])) {
    const endsOn = date(form['endsOn'], planningLimit);
    if (typeof endsOn !== 'string') errors['endsOn'] = endsOn;
    else if (input.startsOn && endsOn < input.startsOn) errors['endsOn'] = { id: 'Tidak boleh sebelum tanggal mulai.', en: 'Cannot be before the start date.' };
    else input.endsOn = endsOn;
  }
  if (input.pesantrenSlugs.length === 0) errors['pesantren'] = { id: 'Sebut paling sedikit satu pesantren (slug halamannya, mis. pondok-pesantren-sidogiri).', en: 'Name at least one pesantren (its page slug, e.g. pondok-pesantren-sidogiri).' };
  return { input, errors };
}

/** The 1-based page in `?halaman=`, for lists the API answers whole. */
export function pageOf(params: URLSearchParams): number {
  const page = Number(params.get('halaman'));
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
}
