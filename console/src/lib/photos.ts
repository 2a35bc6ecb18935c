import type { ConsoleImageFragment, ConsolePhotoFragment } from '../generated/operations.ts';
import type { Bilingual, Lang } from './i18n.ts';

/** The catalogue keeps at most this many photos per product (photo.service.ts), failed ones aside. */
export const MAX_PHOTOS = 8;
/** The largest photo the catalogue takes (15 MB); a bigger one is refused before it is sent. */
export const MAX_PHOTO_BYTES = 15 * 1024 * 1024;
/** Every other form the console reads: a few fields of text. */
export const FORM_BYTES = 64 * 1024;
/** A photo form: the photo, its two descriptions and the multipart framing around them. */
export const PHOTO_FORM_BYTES = MAX_PHOTO_BYTES + FORM_BYTES;
/** Where photo forms are posted (the product page), the only requests allowed PHOTO_FORM_BYTES. */
export const PHOTO_FORM_PATH = /^\/produk\/[0-9a-fA-F-]{36}\/?$/;

export const PHOTO_STATUS_LABELS: Record<ConsolePhotoFragment['status'], Bilingual> = {
  AWAITING_UPLOAD: { id: 'Menunggu unggahan', en: 'Waiting for the upload' },
  QUEUED: { id: 'Dalam antrean', en: 'Queued' },
  PROCESSING: { id: 'Diproses', en: 'Processing' },
  READY: { id: 'Siap', en: 'Ready' },
  FAILED: { id: 'Gagal', en: 'Failed' },
};

/** Still changing on its own: the page keeps asking until none is. */
export const isBusy = (status: ConsolePhotoFragment['status']) => status === 'AWAITING_UPLOAD' || status === 'QUEUED' || status === 'PROCESSING';

/** The catalogue's messages are "Indonesian / English"; the page shows its own language's half. */
export function inLanguage(lang: Lang, message: string): string {
  const halves = message.split(' / ');
  if (halves.length !== 2) return message;
  return (lang === 'en' ? halves[1] : halves[0])!.trim();
}

export const bilingualMessage = (message: string): Bilingual => ({ id: inLanguage('id', message), en: inLanguage('en', message) });

/** How many more photos the product may take. */
export const photosLeft = (photos: readonly Pick<ConsolePhotoFragment, 'status'>[]) => Math.max(0, MAX_PHOTOS - photos.filter((photo) => photo.status !== 'FAILED').length);

/** The narrowest width in each format, for a thumbnail: AVIF and WebP to choose from, JPEG for the rest. */
export function thumbnailSources(image: ConsoleImageFragment): { avif?: ConsoleImageFragment['sources'][number]; webp?: ConsoleImageFragment['sources'][number]; jpeg?: ConsoleImageFragment['sources'][number] } {
  const narrowest = (format: string) => image.sources.filter((source) => source.format === format).sort((a, b) => a.width - b.width)[0];
  return { avif: narrowest('AVIF'), webp: narrowest('WEBP'), jpeg: narrowest('JPEG') };
}

/** Every width of one format as a srcset, for a photo shown large (the curation review). */
export const srcsetOf = (image: ConsoleImageFragment, format: string) =>
  image.sources
    .filter((source) => source.format === format)
    .sort((a, b) => a.width - b.width)
    .map((source) => `${source.url} ${source.width}w`)
    .join(', ');

export interface PhotoEntry {
  id: string;
  altIndonesian: string;
  altEnglish: string | null;
}

export type PhotoChange =
  | { kind: 'earlier' | 'later' | 'main' | 'remove'; photoId: string }
  | { kind: 'describe'; photoId: string; altIndonesian: string; altEnglish: string | null };

/**
 * The whole arrangement arrangeProductPhotos wants after one change, from the photos as they are
 * now (a photo left out is removed, so every other one is listed). Photos still waiting for their
 * bytes cannot be listed; the catalogue keeps them. Null when the photo is no longer there.
 */
export function arrangementAfter(photos: readonly ConsolePhotoFragment[], change: PhotoChange): PhotoEntry[] | null {
  const entries = [...photos]
    .filter((photo) => photo.status !== 'AWAITING_UPLOAD')
    .sort((a, b) => a.position - b.position)
    .map((photo): PhotoEntry => ({ id: photo.id, altIndonesian: photo.alt.indonesian, altEnglish: photo.alt.english }));
  const index = entries.findIndex((entry) => entry.id === change.photoId);
  if (index < 0) return null;
  const [photo] = entries.splice(index, 1) as [PhotoEntry];
  switch (change.kind) {
    case 'remove':
      return entries;
    case 'main':
      return [photo, ...entries];
    case 'earlier':
      entries.splice(Math.max(0, index - 1), 0, photo);
      return entries;
    case 'later':
      entries.splice(Math.min(entries.length, index + 1), 0, photo);
      return entries;
    case 'describe':
      entries.splice(index, 0, { ...photo, altIndonesian: change.altIndonesian, altEnglish: change.altEnglish });
      return entries;
  }
}

/** A description the catalogue takes: 3 to 200 characters (English may be left empty). */
export function descriptionProblem(value: string, optional: boolean): Bilingual | undefined {
  const length = [...value.trim()].length;
  if (length === 0 && optional) return undefined;
  if (length < 3 || length > 200) return { id: 'Tulis 3 sampai 200 karakter tentang apa yang terlihat di foto.', en: 'Write 3 to 200 characters on what the photo shows.' };
  return undefined;
}

export const TOO_LARGE: Bilingual = {
  id: 'Foto lebih besar dari 15 MB; kirim ukuran yang lebih kecil (misalnya lewat WhatsApp ke diri sendiri, lalu simpan).',
  en: 'The photo is larger than 15 MB; send a smaller size (for example, send it to yourself on WhatsApp and save that).',
};
