import { boundedText, EAST_JAVA_REGENCIES, eastJavaToday, eastJavaYear, regencyCode } from '@opop/identifiers';

const KNOWN_REGENCIES = new Set(EAST_JAVA_REGENCIES.map((regency) => regency.code));
import { isUuid } from '@opop/server-kit';
import { z } from 'zod';
import { LAB_ACTIVITY_KINDS, LAB_FOCUSES } from '../lab/lab.entity.ts';
import { CONSENT_PURPOSES, GENDERS, GUARDIAN_RELATIONSHIPS } from '../santri/santri.entity.ts';
import { PROGRAMME_KINDS } from './programme.entity.ts';

// Dates are written where the pesantren is: a consent signed at 06:00 WIB is dated today.
const thisYear = () => eastJavaYear();
const id = z.string().refine(isUuid, 'must be a valid id');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2024-07-15')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'must be a real date')
  .refine((value) => value >= '2000-01-01', 'must be in 2000 or later')
  .refine((value) => value <= eastJavaToday(), 'cannot be in the future (today in East Java, WIB)');

export const createProgrammeInput = z
  .object({
    pesantrenId: id,
    regencyCode: regencyCode.refine((code) => KNOWN_REGENCIES.has(code), 'is not the BPS code of a regency or city of the programme (East Java)'),
    kind: z.enum(PROGRAMME_KINDS),
    name: boundedText(3, 160),
    establishedYear: z.number().int().min(1800, 'must be 1800 or later').refine((y) => y <= thisYear(), 'cannot be in the future').nullish(),
    labFocus: z.enum(LAB_FOCUSES).nullish(),
  })
  .refine((input) => input.kind !== 'ENTREPRENEURSHIP_LAB' || input.labFocus, { path: ['labFocus'], message: 'is required for an entrepreneurship lab' });

export const guardianConsentInput = z.object({
  purpose: z.enum(CONSENT_PURPOSES),
  relationship: z.enum(GUARDIAN_RELATIONSHIPS),
  evidence: boundedText(3, 60),
  grantedOn: isoDate,
});

export const enrolSantriInput = z
  .object({
    programmeId: id,
    birthYear: z.number().int().min(1960, 'must be 1960 or later').refine((y) => y <= thisYear(), 'cannot be in the future'),
    gender: z.enum(GENDERS),
    intakeYear: z.number().int().min(2000, 'must be 2000 or later').refine((y) => y <= thisYear() + 1, 'cannot be more than a year ahead'),
    guardianConsents: z
      .array(guardianConsentInput)
      .max(CONSENT_PURPOSES.length, 'must give each purpose at most once')
      .refine((consents) => new Set(consents.map((c) => c.purpose)).size === consents.length, 'must give each purpose at most once')
      .nullish(),
  })
  .refine((input) => input.intakeYear - input.birthYear >= 5 && input.intakeYear - input.birthYear <= 60, {
    path: ['birthYear'],
    message: 'must make the santri between 5 and 60 years old at intake',
  });

export const withdrawnOnInput = isoDate;

export const labActivityInput = z.object({
  kind: z.enum(LAB_ACTIVITY_KINDS),
  titleIndonesian: boundedText(3, 160),
  titleEnglish: boundedText(3, 160).nullish(),
  on: isoDate,
  participants: z.number().int().min(1, 'must be at least 1').max(10_000, 'must be at most 10,000'),
});
