import { boundedText as text, indonesianMobile, regencyCode } from '@opop/identifiers';
import { z } from 'zod';
import { PILLARS } from './seller.entity.ts';

export const createSellerInput = z.object({
  pesantrenId: z.uuid('must be a valid id'),
  name: text(3, 160),
  pillar: z.enum(PILLARS),
  regencyCode,
  descriptionIndonesian: text(10, 2_000),
  descriptionEnglish: text(10, 2_000).nullish(),
  whatsapp: indonesianMobile.nullish(),
});
