import { boundedText } from '@opop/identifiers';
import { isUuid } from '@opop/server-kit';
import { z } from 'zod';
import { isoDate } from '../innovation/innovation.input.ts';
import { FACILITATION_ASPECTS } from './partner.entity.ts';

/** The most pesantren (or products) one engagement records: the SDL's `Engagement.pesantren(first)` bound. */
export const MAX_PESANTREN_PER_ENGAGEMENT = 500;

const ids = z.array(z.string().refine(isUuid, 'must be valid ids').transform((id) => id.toLowerCase())).max(MAX_PESANTREN_PER_ENGAGEMENT, `must list at most ${MAX_PESANTREN_PER_ENGAGEMENT}`);

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
