import { boundedText as text } from '@opop/identifiers';
import { z } from 'zod';
import { MAX_UPLOAD_BYTES } from './processing.ts';

export const startPhotoUploadInput = z.object({
  productId: z.uuid('must be a valid id'),
  byteSize: z
    .number()
    .int('must be whole bytes')
    .min(1, 'must be at least 1 byte')
    .max(MAX_UPLOAD_BYTES, `must be at most ${MAX_UPLOAD_BYTES} bytes (15 MB)`),
  altIndonesian: text(3, 200),
  altEnglish: text(3, 200).nullish(),
});

export const photoArrangementInput = z
  .array(
    z.object({
      id: z.uuid('must be a valid id'),
      altIndonesian: text(3, 200),
      altEnglish: text(3, 200).nullish(),
    }),
  )
  .max(16, 'must list at most 16 photos')
  .refine((photos) => new Set(photos.map((photo) => photo.id.toLowerCase())).size === photos.length, 'must not list a photo twice');
