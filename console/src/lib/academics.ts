import { apiMessage } from './api-messages.ts';
import { eastJavaToday, eastJavaYear, isCalendarDate } from '@opop/identifiers/dates';
import type { AstroCookies } from 'astro';
import type { ConsentPurpose, Gender, GuardianRelationship, LabActivityKind, LabFocus, ProgrammeKind } from '../generated/operations.ts';
import type { Bilingual } from './i18n.ts';

/**
 * The academic records an operator keeps (/akademik): the forms, read and checked in the console
 * with messages that say the format, in both languages, before anything reaches the academics
 * subgraph. The subgraph checks again (it is the owner); its answers are mapped back onto the
 * fields. Santri are pseudonymous: nothing here asks for, or has room for, a name or national id.
 */

export const PROGRAMME_KINDS: Record<ProgrammeKind, Bilingual> = {
  MTS: { id: 'MTs (Madrasah Tsanawiyah)', en: 'MTs (junior secondary school)' },
  MA: { id: 'MA (Madrasah Aliyah)', en: 'MA (senior secondary school)' },
  SMK: { id: 'SMK (Sekolah Menengah Kejuruan)', en: 'SMK (vocational secondary school)' },
  DINIYAH: { id: 'Madrasah diniyah', en: 'Madrasah diniyah (religious studies)' },
  TAHFIDZ: { id: 'Tahfidz Al-Qur’an', en: 'Tahfidz (Qur’an memorisation)' },
  VOCATIONAL_TRAINING: { id: 'Pelatihan keterampilan (mis. BLK komunitas)', en: 'Vocational training (e.g. a community job-training centre)' },
  ENTREPRENEURSHIP_LAB: { id: 'Lab Santripreneur (kewirausahaan)', en: 'Santripreneur lab (entrepreneurship)' },
};

export const LAB_FOCUSES: Record<LabFocus, Bilingual> = {
  FOOD_PROCESSING: { id: 'Olahan pangan', en: 'Food processing' },
  FASHION: { id: 'Busana', en: 'Fashion' },
  CRAFTS: { id: 'Kerajinan', en: 'Crafts' },
  AGRICULTURE: { id: 'Pertanian', en: 'Agriculture' },
  PERSONAL_CARE: { id: 'Perawatan diri', en: 'Personal care' },
};

export const LAB_ACTIVITY_KINDS: Record<LabActivityKind, Bilingual> = {
  TRAINING: { id: 'Pelatihan (bimtek)', en: 'Training (bimtek)' },
  PRODUCTION: { id: 'Produksi', en: 'Production' },
  MENTORING: { id: 'Pendampingan', en: 'Mentoring' },
  EXHIBITION: { id: 'Pameran', en: 'Exhibition' },
  MARKETING: { id: 'Pemasaran', en: 'Marketing' },
};

/** Each purpose a guardian may consent to, said so a guardian can understand it. */
export const CONSENT_PURPOSES: Record<ConsentPurpose, { label: Bilingual; explanation: Bilingual }> = {
  PROGRAMME_EVALUATION: {
    label: { id: 'Evaluasi program OPOP', en: 'Evaluation of the OPOP programme' },
    explanation: {
      id: 'Kantor program OPOP Provinsi Jawa Timur boleh memakai data santri ini (tanpa nama) untuk menilai apakah program berhasil.',
      en: 'The East Java OPOP programme office may use this santri’s data (without a name) to judge whether the programme works.',
    },
  },
  RESEARCH: {
    label: { id: 'Penelitian mitra akademik', en: 'Research by academic partners' },
    explanation: {
      id: 'Perguruan tinggi mitra yang punya perjanjian penelitian boleh memakai data santri ini (tanpa nama, dengan kode samaran lain untuk tiap mitra); setiap pembacaan dicatat.',
      en: 'Partner universities with a research agreement may use this santri’s data (without a name, under a different code name for each partner); every read is logged.',
    },
  },
};

export const RELATIONSHIPS: Record<GuardianRelationship, Bilingual> = {
  FATHER: { id: 'Ayah', en: 'Father' },
  MOTHER: { id: 'Ibu', en: 'Mother' },
  GUARDIAN: { id: 'Wali lain', en: 'Other guardian' },
};

export const GENDERS: Record<Gender, Bilingual> = {
  FEMALE: { id: 'Perempuan', en: 'Female' },
  MALE: { id: 'Laki-laki', en: 'Male' },
};

const keyOf = <T extends string>(record: Record<T, unknown>, value: string | undefined): T | null => (value !== undefined && Object.hasOwn(record, value) ? (value as T) : null);

type Errors = Record<string, Bilingual>;

const text = (value: string | undefined) => (value && value.trim() ? value.trim() : null);

function length(value: string | null, min: number, max: number, required: boolean): Bilingual | null {
  if (value === null) return required ? { id: `Wajib diisi, ${min} sampai ${max} karakter.`, en: `Required, ${min} to ${max} characters.` } : null;
  if (value.length < min) return { id: `Minimal ${min} karakter (paling panjang ${max}).`, en: `At least ${min} characters (at most ${max}).` };
  if (value.length > max) return { id: `Paling panjang ${max} karakter.`, en: `At most ${max} characters.` };
  return null;
}

function wholeNumber(value: string | undefined, min: number, max: number, what: Bilingual, example: number): number | Bilingual {
  const raw = (value ?? '').trim();
  const number = Number(raw);
  if (!/^\d+$/.test(raw) || number < min || number > max) {
    return { id: `${what.id}: angka bulat ${min} sampai ${max}, mis. ${example}.`, en: `${what.en}: a whole number from ${min} to ${max}, e.g. ${example}.` };
  }
  return number;
}

/** Today as the academics subgraph counts it (in East Java, WIB): a later date is "in the future" there. */
export const today = () => eastJavaToday();
export const thisYear = () => eastJavaYear();

export const DATE_HINT: Bilingual = { id: 'Format TTTT-BB-HH, mis. 2024-07-15; tahun 2000 atau sesudahnya, tidak di masa depan.', en: 'Format YYYY-MM-DD, e.g. 2024-07-15; 2000 or later, not in the future.' };

/** A calendar date as the subgraph takes it, or what is wrong with it. */
function calendarDate(value: string | undefined): string | Bilingual {
  const raw = (value ?? '').trim();
  if (!isCalendarDate(raw)) return { id: `Tanggal tidak terbaca. ${DATE_HINT.id}`, en: `Not a date. ${DATE_HINT.en}` };
  if (raw < '2000-01-01') return { id: `Terlalu lama: tahun 2000 atau sesudahnya. ${DATE_HINT.id}`, en: `Too early: 2000 or later. ${DATE_HINT.en}` };
  if (raw > today()) return { id: `Tidak boleh di masa depan (hari ini ${today()}). ${DATE_HINT.id}`, en: `Cannot be in the future (today is ${today()}). ${DATE_HINT.en}` };
  return raw;
}

export const PSEUDONYMOUS_ID_HINT: Bilingual = {
  id: 'Dari tanda terima pendaftaran santri: 36 karakter, mis. 3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b.',
  en: 'From the santri’s enrolment receipt: 36 characters, e.g. 3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b.',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pseudonymousId(value: string | undefined): string | Bilingual {
  const raw = (value ?? '').trim();
  return UUID.test(raw) ? raw.toLowerCase() : { id: `Bukan ID pseudonim. ${PSEUDONYMOUS_ID_HINT.id}`, en: `Not a pseudonymous id. ${PSEUDONYMOUS_ID_HINT.en}` };
}

export const EVIDENCE_HINT: Bilingual = {
  id: 'Nomor formulir persetujuan yang ditandatangani wali dan disimpan pesantren, 3 sampai 60 karakter, mis. FPW-2024-000123. Jangan tulis nama.',
  en: 'The number of the consent form the guardian signed, kept by the pesantren, 3 to 60 characters, e.g. FPW-2024-000123. Do not write names.',
};

export interface ProgrammeInput {
  kind: ProgrammeKind;
  name: string;
  establishedYear: number | null;
  labFocus: LabFocus | null;
}

export function parseProgrammeForm(form: Record<string, string>): { input: ProgrammeInput; errors: Errors } {
  const errors: Errors = {};
  const kind = keyOf(PROGRAMME_KINDS, form['kind']);
  if (!kind) errors['kind'] = { id: 'Pilih jenis program.', en: 'Choose the kind of programme.' };
  const name = text(form['name']);
  const nameProblem = length(name, 3, 160, true);
  if (nameProblem) errors['name'] = nameProblem;
  let establishedYear: number | null = null;
  if (text(form['establishedYear'])) {
    const year = wholeNumber(form['establishedYear'], 1800, thisYear(), { id: 'Tahun berdiri', en: 'Year founded' }, 2015);
    if (typeof year === 'number') establishedYear = year;
    else errors['establishedYear'] = year;
  }
  const labFocus = keyOf(LAB_FOCUSES, form['labFocus']);
  if (kind === 'ENTREPRENEURSHIP_LAB' && !labFocus) errors['labFocus'] = { id: 'Lab Santripreneur: pilih bidang usahanya.', en: 'A Santripreneur lab: choose what it makes.' };
  return { input: { kind: kind ?? 'MTS', name: name ?? '', establishedYear, labFocus: kind === 'ENTREPRENEURSHIP_LAB' ? labFocus : null }, errors };
}

export interface ConsentInput {
  purpose: ConsentPurpose;
  relationship: GuardianRelationship;
  evidence: string;
  grantedOn: string;
}

/** One consent's fields (`prefix` + relationship, evidence, grantedOn), for a purpose. */
function parseConsent(form: Record<string, string>, prefix: string, purpose: ConsentPurpose, errors: Errors): ConsentInput {
  const relationship = keyOf(RELATIONSHIPS, form[`${prefix}relationship`]);
  if (!relationship) errors[`${prefix}relationship`] = { id: 'Pilih siapa yang memberi persetujuan.', en: 'Choose who gave consent.' };
  const evidence = text(form[`${prefix}evidence`]);
  const evidenceProblem = length(evidence, 3, 60, true);
  if (evidenceProblem) errors[`${prefix}evidence`] = { id: `${evidenceProblem.id} ${EVIDENCE_HINT.id}`, en: `${evidenceProblem.en} ${EVIDENCE_HINT.en}` };
  const grantedOn = calendarDate(form[`${prefix}grantedOn`]);
  if (typeof grantedOn !== 'string') errors[`${prefix}grantedOn`] = grantedOn;
  return { purpose, relationship: relationship ?? 'GUARDIAN', evidence: evidence ?? '', grantedOn: typeof grantedOn === 'string' ? grantedOn : '' };
}

export interface EnrolmentInput {
  programmeId: string;
  birthYear: number;
  gender: Gender;
  intakeYear: number;
  guardianConsents: ConsentInput[];
}

/** The enrolment form: the santri's four facts, and each purpose's consent when its box is ticked (`RESEARCH-given`). */
export function parseEnrolmentForm(form: Record<string, string>, programmeIds: readonly string[]): { input: EnrolmentInput; errors: Errors } {
  const errors: Errors = {};
  const programmeId = form['programmeId'] ?? '';
  if (!programmeIds.includes(programmeId)) errors['programmeId'] = { id: 'Pilih salah satu program pesantren Anda.', en: 'Choose one of your pesantren’s programmes.' };
  const birthYear = wholeNumber(form['birthYear'], 1960, thisYear(), { id: 'Tahun lahir, 4 angka', en: 'Year of birth, 4 digits' }, 2011);
  if (typeof birthYear !== 'number') errors['birthYear'] = birthYear;
  const gender = keyOf(GENDERS, form['gender']);
  if (!gender) errors['gender'] = { id: 'Pilih jenis kelamin.', en: 'Choose the gender.' };
  const intakeYear = wholeNumber(form['intakeYear'], 2000, thisYear() + 1, { id: 'Tahun masuk, 4 angka', en: 'Year of intake, 4 digits' }, thisYear());
  if (typeof intakeYear !== 'number') errors['intakeYear'] = intakeYear;
  if (typeof birthYear === 'number' && typeof intakeYear === 'number' && (intakeYear - birthYear < 5 || intakeYear - birthYear > 60)) {
    errors['birthYear'] = { id: 'Umur saat masuk (tahun masuk dikurangi tahun lahir) harus 5 sampai 60 tahun.', en: 'Age at intake (intake year minus birth year) must be 5 to 60.' };
  }
  const guardianConsents: ConsentInput[] = [];
  for (const purpose of Object.keys(CONSENT_PURPOSES) as ConsentPurpose[]) {
    const prefix = `${purpose}-`;
    if (form[`${prefix}given`] === 'on') guardianConsents.push(parseConsent(form, prefix, purpose, errors));
    else if (text(form[`${prefix}evidence`])) {
      // A form number without the box ticked is a consent half recorded: ask rather than drop it.
      errors[`${prefix}given`] = { id: 'Ada nomor formulir tetapi kotak persetujuan belum dicentang: centang, atau kosongkan nomornya.', en: 'A form number is filled in but the consent box is not ticked: tick it, or clear the number.' };
    }
  }
  return {
    input: { programmeId, birthYear: typeof birthYear === 'number' ? birthYear : 0, gender: gender ?? 'FEMALE', intakeYear: typeof intakeYear === 'number' ? intakeYear : 0, guardianConsents },
    errors,
  };
}

export function parseConsentForm(form: Record<string, string>): { pseudonymousId: string; consent: ConsentInput; errors: Errors } {
  const errors: Errors = {};
  const id = pseudonymousId(form['pseudonymousId']);
  if (typeof id !== 'string') errors['pseudonymousId'] = id;
  const purpose = keyOf(CONSENT_PURPOSES, form['purpose']);
  if (!purpose) errors['purpose'] = { id: 'Pilih tujuan persetujuan.', en: 'Choose the purpose.' };
  const consent = parseConsent(form, '', purpose ?? 'PROGRAMME_EVALUATION', errors);
  return { pseudonymousId: typeof id === 'string' ? id : '', consent, errors };
}

export function parseWithdrawalForm(form: Record<string, string>): { pseudonymousId: string; purpose: ConsentPurpose; withdrawnOn: string; errors: Errors } {
  const errors: Errors = {};
  const id = pseudonymousId(form['withdrawPseudonymousId']);
  if (typeof id !== 'string') errors['withdrawPseudonymousId'] = id;
  const purpose = keyOf(CONSENT_PURPOSES, form['withdrawPurpose']);
  if (!purpose) errors['withdrawPurpose'] = { id: 'Pilih tujuan yang ditarik.', en: 'Choose the purpose withdrawn.' };
  const withdrawnOn = calendarDate(form['withdrawnOn']);
  if (typeof withdrawnOn !== 'string') errors['withdrawnOn'] = withdrawnOn;
  return { pseudonymousId: typeof id === 'string' ? id : '', purpose: purpose ?? 'PROGRAMME_EVALUATION', withdrawnOn: typeof withdrawnOn === 'string' ? withdrawnOn : '', errors };
}

export interface LabActivityInput {
  kind: LabActivityKind;
  titleIndonesian: string;
  titleEnglish: string | null;
  on: string;
  participants: number;
}

export function parseLabActivityForm(form: Record<string, string>): { input: LabActivityInput; errors: Errors } {
  const errors: Errors = {};
  const kind = keyOf(LAB_ACTIVITY_KINDS, form['kind']);
  if (!kind) errors['kind'] = { id: 'Pilih jenis kegiatan.', en: 'Choose the kind of activity.' };
  const titleIndonesian = text(form['titleIndonesian']);
  const titleEnglish = text(form['titleEnglish']);
  for (const [field, value, required] of [['titleIndonesian', titleIndonesian, true], ['titleEnglish', titleEnglish, false]] as const) {
    const problem = length(value, 3, 160, required);
    if (problem) errors[field] = problem;
  }
  const on = calendarDate(form['on']);
  if (typeof on !== 'string') errors['on'] = on;
  const participants = wholeNumber(form['participants'], 1, 10_000, { id: 'Jumlah peserta', en: 'Participants' }, 25);
  if (typeof participants !== 'number') errors['participants'] = participants;
  return { input: { kind: kind ?? 'TRAINING', titleIndonesian: titleIndonesian ?? '', titleEnglish, on: typeof on === 'string' ? on : '', participants: typeof participants === 'number' ? participants : 0 }, errors };
}

/**
 * The subgraph's per-field problems (`input.name`, `consent.grantedOn`, `input.guardianConsents.0.evidence`)
 * on the form's fields; `rename` gives the form field of an issue's path, or null for none.
 */
export function fieldsOfIssues(issues: readonly { field: string; message: string }[], rename: (path: string[]) => string | null): Errors {
  const errors: Errors = {};
  for (const issue of issues) {
    const field = rename(issue.field.split('.'));
    if (field) errors[field] ??= apiMessage(issue.message);
  }
  return errors;
}

/**
 * What a write answered that no query can give again (an enrolment receipt, a santri's consent
 * status), kept for the page the operator is sent to after the post (Post/Redirect/Get): in a
 * short-lived cookie only that page's path receives, never in a URL (URLs end up in histories and
 * logs), and tied to the membership that made the write. Reloading shows it again instead of
 * enrolling the santri twice; after KEPT_SECONDS it is gone.
 */
export const KEPT_SECONDS = 15 * 60;

export function keepResult<T>(cookies: AstroCookies, options: { name: string; path: string; membershipId: string; secure: boolean }, result: T): void {
  const value = Buffer.from(JSON.stringify({ membershipId: options.membershipId, result }), 'utf8').toString('base64url');
  cookies.set(options.name, value, { path: options.path, maxAge: KEPT_SECONDS, httpOnly: true, sameSite: 'strict', secure: options.secure });
}

/** The result kept for this membership, or undefined. Only shown back to the browser that holds it, so it is not checked further. */
export function keptResult<T>(cookies: AstroCookies, name: string, membershipId: string): T | undefined {
  const value = cookies.get(name)?.value;
  if (!value) return undefined;
  try {
    const kept = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { membershipId?: unknown; result?: T };
    return kept.membershipId === membershipId ? kept.result : undefined;
  } catch {
    return undefined;
  }
}
