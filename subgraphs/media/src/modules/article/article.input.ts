import { boundedText } from '@opop/identifiers';
import { isUuid } from '@opop/server-kit';
import { z } from 'zod';

export const ids = z.array(z.string().refine(isUuid, 'must be valid ids').transform((id) => id.toLowerCase())).max(50, 'must list at most 50');
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(500, 'must be at most 500 characters');

export const publishArticleInput = z.object({
  outletSlug: boundedText(1, 80),
  titleIndonesian: boundedText(5, 200),
  titleEnglish: boundedText(5, 200).nullish(),
  summaryIndonesian: boundedText(10, 500).nullish(),
  summaryEnglish: boundedText(10, 500).nullish(),
  bodyMarkdown: boundedText(20, 50_000),
  publishedAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO date-time such as 2025-03-01T08:00:00Z' })
    .refine((value) => Date.parse(value) <= Date.now() + 60_000, 'cannot be in the future')
    .nullish(),
  pesantrenIds: ids.min(1, 'must name at least one pesantren'),
  productIds: ids.nullish(),
});
