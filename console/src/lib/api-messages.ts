import type { Bilingual } from './i18n.ts';
import { FIELDS_REFUSED } from './field-checks.ts';
import { refusedFields } from './router-request.ts';

/**
 * The API's refusals in the console's language. The subgraphs answer in English (their clients
 * are developers); an operator on an Indonesian page read "Ditolak: must be at least 5
 * characters" (found by a new-user walkthrough). The messages the console's forms meet are said
 * here in both languages; any other keeps the API's English behind "Ditolak:", rather than
 * nothing.
 */
const PATTERNS: readonly [RegExp, (match: RegExpExecArray) => Bilingual][] = [
  [/^must be at least (\d+) characters?$/, (m) => ({ id: `Minimal ${m[1]} karakter.`, en: `At least ${m[1]} characters.` })],
  [/^must be at most (\d+) characters?\b/, (m) => ({ id: `Paling panjang ${m[1]} karakter.`, en: `At most ${m[1]} characters.` })],
  [/^must be an Indonesian mobile number/, () => ({ id: 'Tulis nomor HP Indonesia, mis. 0812 3456 7890.', en: 'Write an Indonesian mobile number, e.g. 0812 3456 7890.' })],
  [/^must be an origin like (\S+)$/, (m) => ({ id: `Tulis alamat asal situs seperti ${m[1]}: https://, nama situsnya, tanpa garis miring di belakang.`, en: `Write a site origin like ${m[1]}: https://, the site's name, no path.` })],
  [/^must be the bare origin, exactly as browsers send it: (\S+)$/, (m) => ({ id: `Tulis asal situsnya saja, tanpa jalur: ${m[1]}.`, en: `Write the origin alone, without a path: ${m[1]}.` })],
  [/^must use https/, () => ({ id: 'Harus https:// (http:// hanya untuk localhost).', en: 'Must be https:// (http:// only for localhost).' })],
  [/^must name one host: no wildcards$/, () => ({ id: 'Sebut satu situs, tanpa tanda bintang (*).', en: 'Name one site, without wildcards (*).' })],
  [/^must be an http\(s\) URL$/, () => ({ id: 'Tulis alamat web yang diawali https:// atau http://.', en: 'Write a web address starting with https:// or http://.' })],
  [/^must not be negative$/, () => ({ id: 'Tidak boleh kurang dari 0.', en: 'Must not be below 0.' })],
  [/^must be at least (\d+)$/, (m) => ({ id: `Paling sedikit ${m[1]}.`, en: `At least ${m[1]}.` })],
  [/^must be at most (\d+)$/, (m) => ({ id: `Paling banyak ${m[1]}.`, en: `At most ${m[1]}.` })],
  [/^must be a real date$/, () => ({ id: 'Tanggal ini tidak ada di kalender.', en: 'This date does not exist.' })],
  [/^must be a date like (\S+)$/, (m) => ({ id: `Tulis tanggal seperti ${m[1]}.`, en: `Write a date like ${m[1]}.` })],
  [/^must not be before startsOn$/, () => ({ id: 'Tidak boleh sebelum tanggal mulai.', en: 'Must not be before the start date.' })],
  [/^must be a valid id$|^is not a valid id$/, () => ({ id: 'Pilihan ini tidak dikenal; muat ulang halaman lalu pilih lagi.', en: 'This choice is not known; reload the page and choose again.' })],
  [/^A pesantren with NSPP (\d+) is already registered/, (m) => ({ id: `Pesantren dengan NSPP ${m[1]} sudah terdaftar.`, en: `A pesantren with NSPP ${m[1]} is already registered.` })],
  [
    /^This is the last active widget key of (\S+): create another one first/,
    (m) => ({ id: `Ini kunci widget aktif terakhir ${m[1]}: buat kunci baru dulu, atau widget yang sudah terpasang berhenti dihitung.`, en: `This is the last active widget key of ${m[1]}: create another one first, or the widgets already embedded stop counting.` }),
  ],
];

/** One refusal of the API, in both languages; one not known here keeps its English, after "Ditolak:" unless `bare`. */
export function apiMessage(message: string, bare = false): Bilingual {
  for (const [pattern, say] of PATTERNS) {
    const match = pattern.exec(message);
    if (match) return say(match);
  }
  return bare ? { id: message, en: message } : { id: `Ditolak: ${message}`, en: `Refused: ${message}` };
}

/**
 * A refused request as one sentence for a page's banner: each named field's problem after the
 * field's label (`input.name: must be at least 2 characters` → "Nama kunci: Minimal 2 karakter."),
 * or the whole message said as well as it can be.
 */
export function refusal(error: { message: string; issues: readonly { field: string; message: string }[] }, labels: Record<string, Bilingual> = {}): Bilingual {
  if (error.issues.length === 0) return apiMessage(error.message.replace(/^[\w.]+: /, ''), true);
  const parts = error.issues.map((issue) => {
    const field = issue.field.replace(/^input\./, '').split('.')[0]!;
    const said = apiMessage(issue.message, true);
    const label = labels[field];
    return label ? { id: `${label.id}: ${said.id}`, en: `${label.en}: ${said.en}` } : said;
  });
  return { id: parts.map((part) => part.id).join(' '), en: parts.map((part) => part.en).join(' ') };
}

/**
 * A refused form: each refusal on its field, and the banner over the form. "See the marks below"
 * only when every refusal has a mark on this form (`shownFields`); otherwise the refusal itself,
 * said as well as it can be (the regency of a seller has no field, and was left unsaid).
 */
export function formRefusal(error: { message: string; issues: readonly { field: string; message: string }[] }, shownFields: readonly string[]): { fields: Record<string, Bilingual>; banner: Bilingual } {
  const fields = refusedFields(error.issues);
  const marked = Object.keys(fields).length > 0 && Object.keys(fields).every((field) => shownFields.includes(field));
  return { fields, banner: marked ? FIELDS_REFUSED : refusal(error) };
}
