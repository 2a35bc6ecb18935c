import { boundedText } from '@opop/identifiers';
import { isUuid } from '@opop/server-kit';
import { z } from 'zod';
import { isoDate } from '../innovation/innovation.input.ts';
import { FACILITATION_ASPECTS } from './partner.entity.ts';

const ids = z.array(z.string().refine(isUuid, 'must be valid ids').transform((id) => id.toLowerCase())).max(500, 'must list at most 500');

export const createEngagementInput = z
  .object({
    partnerSlug: boundedText(1, 80),
    aspect: z.enum(FACILITATION_ASPECTS),
    titleIndonesian: boundedText(3, 200),
    titleEnglish: boundedText(3, 200).nullish(),
    startsOn: isoDate,
    endsOn: isoDate.nullish(),
    outcomeIndonesian: boundedText(3, 4_000).nullish(),
    outcomeEnglish: boundedText(3, 4_000).nullish(),
    pesantrenIds: ids.min(1, 'must name at least one pesantren'),
    productIds: ids.nullish(),
  })
  .refine((input) => !input.endsOn || input.endsOn >= input.startsOn, { path: ['endsOn'], message: 'must not be before startsOn' });
