import { z } from 'zod';
import { withoutBidiControls } from '@opop/server-kit';
import { AccountsError, type Bilingual } from './errors.ts';
import { CONTACT_KINDS } from './invitation.entity.ts';
import { MEMBERSHIP_KINDS } from './membership.entity.ts';

/**
 * Form input, parsed once at the edge. Every message says what is expected, in both languages,
 * and is shown next to its field.
 */
const message = (id: string, en: string) => JSON.stringify({ id, en } satisfies Bilingual);

const personName = z
  .string()
  .transform((value) => withoutBidiControls(value).replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(2, message('Nama minimal 2 huruf.', 'A name has at least 2 letters.')).max(120, message('Nama paling panjang 120 huruf.', 'A name has at most 120 letters.')));

export const email = z
  .string()
  .transform((value) => value.trim().toLowerCase())
  .pipe(z.email(message('Tulis alamat email lengkap, mis. nama@pesantren.id.', 'Write a full email address, e.g. name@pesantren.id.')).max(160));

/** Indonesian mobile numbers as people write them (0812…, +62 812…, 62812…) → 62812… */
export const whatsappNumber = z
  .string()
  .transform((value) => value.replace(/[\s\-().]/g, '').replace(/^\+/, '').replace(/^0/, '62'))
  .pipe(z.string().regex(/^628\d{7,12}$/, message('Nomor WhatsApp Indonesia: 08… atau +62 8…, 10–15 angka.', 'An Indonesian WhatsApp number: 08… or +62 8…, 10–15 digits.')));

export const password = z
  .string()
  .min(10, message('Kata sandi minimal 10 karakter.', 'A password has at least 10 characters.'))
  .max(128, message('Kata sandi paling panjang 128 karakter.', 'A password has at most 128 characters.'));

/**
 * A TOTP code (6 digits) or a backup code, typed with or without spaces and the dash. Backup codes
 * are stored as shown, `xxxxx-xxxxx`, and better-auth compares them exactly, so the dash is put
 * back where it was shown; without it no backup code could ever match.
 */
export const totpCode = z
  .string()
  .transform((value) => value.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^(\d{6}|[A-Za-z0-9]{10})$/, message('Kode 6 angka dari aplikasi autentikator, atau kode cadangan 10 karakter.', 'The 6-digit code from your authenticator app, or a 10-character backup code.')))
  .transform((code) => (code.length === 10 ? `${code.slice(0, 5)}-${code.slice(5)}` : code));

const slug = z.string().trim().toLowerCase().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, message('Slug: huruf kecil, angka dan tanda hubung, seperti di alamat halamannya.', 'Slug: lower-case letters, digits and hyphens, as in its page address.'));

export const signInInput = z.object({ email, password: z.string().min(1, message('Isi kata sandi.', 'Enter your password.')).max(128) });

export const invitationInput = z
  .object({
    name: personName,
    contactKind: z.enum(CONTACT_KINDS, message('Pilih email atau WhatsApp.', 'Choose email or WhatsApp.')),
    contact: z.string(),
    kind: z.enum(MEMBERSHIP_KINDS, message('Pilih peran.', 'Choose a role.')),
    /** The pesantren or partner, by the slug of its page; none for the programme office. */
    organisationSlug: z.string().optional(),
    /** Academic partners with a signed research agreement may read santri records (consented, audited). */
    recordsAccess: z.union([z.literal('on'), z.boolean()]).optional(),
  })
  .transform((input, context) => {
    const contact = (input.contactKind === 'EMAIL' ? email : whatsappNumber).safeParse(input.contact);
    if (!contact.success) {
      context.addIssue({ code: 'custom', path: ['contact'], message: contact.error.issues[0]!.message });
      return z.NEVER;
    }
    let organisationSlug: string | null = null;
    if (input.kind !== 'PROGRAMME_OFFICE') {
      const parsed = slug.safeParse(input.organisationSlug ?? '');
      if (!parsed.success) {
        context.addIssue({ code: 'custom', path: ['organisationSlug'], message: parsed.error.issues[0]!.message });
        return z.NEVER;
      }
      organisationSlug = parsed.data;
    }
    if (input.recordsAccess && input.kind !== 'ACADEMIC_PARTNER') {
      context.addIssue({ code: 'custom', path: ['recordsAccess'], message: message('Hanya mitra akademik yang bisa diberi akses data santri.', 'Only academic partners can be given access to santri records.') });
      return z.NEVER;
    }
    const scopes = input.kind === 'ACADEMIC_PARTNER' && (input.recordsAccess === 'on' || input.recordsAccess === true) ? ['academics:records'] : [];
    return { ...input, contact: contact.data, organisationSlug, scopes };
  });

export const acceptInput = z.object({ name: personName, email, password });

/** Parses `input`, or throws a BAD_USER_INPUT AccountsError naming each bad field. */
export function parseForm<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, Bilingual> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fields[field] ??= readMessage(issue.message);
  }
  throw new AccountsError('BAD_USER_INPUT', { id: 'Periksa isian yang ditandai.', en: 'Check the marked fields.' }, fields);
}

function readMessage(text: string): Bilingual {
  try {
    const parsed = JSON.parse(text) as Bilingual;
    if (typeof parsed.id === 'string' && typeof parsed.en === 'string') return parsed;
  } catch {
    // zod's own message (a wrong type): shown as it is, in both places.
  }
  return { id: 'Isian ini tidak valid.', en: 'This field is not valid.' };
}
