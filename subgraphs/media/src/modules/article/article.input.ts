import { boundedText } from '@opop/identifiers';
import { isUuid } from '@opop/server-kit';
import { z } from 'zod';
import { WIDGET_EVENT_KINDS, WIDGET_KINDS } from '../widget/widget.entity.ts';

const ids = z.array(z.string().refine(isUuid, 'must be valid ids').transform((id) => id.toLowerCase())).max(50, 'must list at most 50');
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(500, 'must be at most 500 characters');

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

export const widgetEventInput = z
  .object({
    outletKey: z.string().regex(/^opop_pk_[a-z0-9_]{4,48}$/, 'must be an outlet public key from the embed snippet'),
    pageUrl: httpUrl,
    widget: z.enum(WIDGET_KINDS),
    productIds: ids.nullish(),
    pesantrenId: z.string().refine(isUuid, 'must be a valid id').transform((id) => id.toLowerCase()).nullish(),
    event: z.enum(WIDGET_EVENT_KINDS),
    // Ignored (the router identifies visitors); still checked, so a malformed one is refused as before.
    visitorId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _').nullish(),
  })
  .refine((input) => input.widget !== 'PESANTREN_BADGE' || input.pesantrenId, { path: ['pesantrenId'], message: 'is required for a pesantren badge' });
