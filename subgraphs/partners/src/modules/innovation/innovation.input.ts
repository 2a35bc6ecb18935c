import { boundedText, eastJavaDateInYears, indonesianMobile } from '@opop/identifiers';
import { z } from 'zod';
import { REGION_KINDS } from './innovation.entity.ts';

const realDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2024-07-15')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'must be a real date')
  .refine((value) => value >= '2019-01-01', 'must be in 2019 or later: OPOP started in 2019');


/** A date something happened on (an agreement signed, a replication started): not in the future. */
export const pastDate = realDate.refine((value) => value <= eastJavaDateInYears(0), 'cannot be in the future');

/** How far ahead an engagement may be planned; a later date is a typing mistake, not a plan. */
export const PLANNING_YEARS_AHEAD = 5;
export const isoDate = realDate.refine((value) => value <= eastJavaDateInYears(PLANNING_YEARS_AHEAD), `must be at most ${PLANNING_YEARS_AHEAD} years from today`);

const region = z
  .object({
    name: boundedText(2, 120),
    kind: z.enum(REGION_KINDS),
    bpsCode: z.string().regex(/^\d{2}(\d{2})?$/, 'must be a BPS code of 2 (province) or 4 (regency, city) digits').nullish(),
    provinceName: boundedText(2, 80),
  })
  .refine((r) => !r.bpsCode || (r.kind === 'PROVINCE' ? r.bpsCode.length === 2 : r.bpsCode.length === 4), {
    path: ['bpsCode'],
    message: 'must have 2 digits for a province and 4 for a regency or city',
  });

export const expressInterestInput = z
  .object({
    innovationSlug: boundedText(1, 80),
    name: boundedText(2, 120),
    organisation: boundedText(2, 160),
    email: z.email('must be an email address').max(254).nullish(),
    phone: indonesianMobile.nullish(),
    region: boundedText(2, 120),
    message: boundedText(10, 2_000),
  })
  .refine((input) => input.email || input.phone, { path: ['email'], message: 'give an email address or a phone number so the programme can reply' });

export const recordAgreementInput = z.object({ innovationSlug: boundedText(1, 80), region, signedOn: pastDate, note: boundedText(3, 1_000).nullish() });
export const recordReplicationInput = z.object({ innovationSlug: boundedText(1, 80), region, startedOn: pastDate, note: boundedText(3, 1_000).nullish() });
