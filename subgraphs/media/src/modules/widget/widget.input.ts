import { isUuid } from '@opop/server-kit';
import { z } from 'zod';
import { httpUrl, ids } from '../article/article.input.ts';
import { WIDGET_EVENT_KINDS, WIDGET_KINDS } from './widget.entity.ts';
import { MAX_STAT_DAYS } from './widget.repository.ts';

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

/** `Query.widgetStats(days:)`: 1 to 366 days back, today included; 30 when not given. */
export const statDays = z
  .number()
  .int('must be a whole number of days')
  .min(1, `must be between 1 and ${MAX_STAT_DAYS}`)
  .max(MAX_STAT_DAYS, `must be between 1 and ${MAX_STAT_DAYS}`)
  .nullish()
  .transform((days) => days ?? 30);
