import { eastJavaYear, regencyCode } from '@opop/identifiers';
import { DEFAULT_PAGE_SIZE, isUuid, MAX_PAGE_SIZE } from '@opop/server-kit';
import { z } from 'zod';
import { PROGRAMME_KINDS } from '../programme/programme.entity.ts';
import { CONSENT_PURPOSES, GENDERS } from '../santri/santri.entity.ts';

const thisYear = () => eastJavaYear();
/** A filter's list of values: absent, or 1 to 100 of them. */
const filterList = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'must not be empty when given').max(100, 'must list at most 100 values').nullish();
const first = z
  .number()
  .int()
  .min(1, `must be between 1 and ${MAX_PAGE_SIZE}`)
  .max(MAX_PAGE_SIZE, `must be between 1 and ${MAX_PAGE_SIZE}`)
  .nullish()
  .transform((value) => value ?? DEFAULT_PAGE_SIZE);

export const santriRecordsInput = z.object({
  purpose: z.enum(CONSENT_PURPOSES),
  filter: z
    .object({
      regencyCodes: filterList(regencyCode),
      areaCodes: filterList(z.string().trim().max(20, 'is not an area code').regex(/^(\d{4}|W-[A-Z0-9]+)$/, 'is not an area code (3578 or W-MADURA)')),
      programmeKinds: filterList(z.enum(PROGRAMME_KINDS)),
      genders: filterList(z.enum(GENDERS)),
      birthYears: filterList(z.number().int().min(1960, 'must be 1960 or later').refine((y) => y <= thisYear(), 'cannot be in the future')),
      intakeYears: filterList(z.number().int().min(2000, 'must be 2000 or later').refine((y) => y <= thisYear() + 1, 'cannot be more than a year ahead')),
    })
    .nullish(),
  first,
  after: z.string().max(200, 'is not a cursor this listing issued').nullish(),
});
export type SantriRecordsQuery = z.infer<typeof santriRecordsInput>;

export const recordAccessLogInput = z.object({
  first,
  after: z.string().nullish(),
  partnerId: z.string().refine(isUuid, 'must be a valid id').nullish(),
});
