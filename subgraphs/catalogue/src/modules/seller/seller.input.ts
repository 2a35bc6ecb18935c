import { boundedText as text, EAST_JAVA_REGENCIES, indonesianMobile, regencyCode } from '@opop/identifiers';
import { z } from 'zod';
import { PILLARS } from './seller.entity.ts';

const KNOWN_REGENCIES = new Set(EAST_JAVA_REGENCIES.map((regency) => regency.code));

export const createSellerInput = z.object({
  pesantrenId: z.uuid('must be a valid id'),
  name: text(3, 160),
  pillar: z.enum(PILLARS),
  regencyCode: regencyCode.refine((code) => KNOWN_REGENCIES.has(code), 'is not the BPS code of a regency or city of the programme (East Java)'),
  descriptionIndonesian: text(10, 2_000),
  descriptionEnglish: text(10, 2_000).nullish(),
  whatsapp: indonesianMobile.nullish(),
});

/** What an operator may change of a seller: left out stays, an explicit null clears an optional field. Its pesantren and place stay. */
export const updateSellerInput = z.object({
  name: text(3, 160).optional(),
  pillar: z.enum(PILLARS).optional(),
  descriptionIndonesian: text(10, 2_000).optional(),
  descriptionEnglish: text(10, 2_000).nullable().optional(),
  whatsapp: indonesianMobile.nullable().optional(),
});
