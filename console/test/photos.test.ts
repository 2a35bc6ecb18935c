import { describe, expect, it } from 'vitest';
import type { ConsolePhotoFragment } from '../src/generated/operations.ts';
import { arrangementAfter, descriptionProblem, inLanguage, photosLeft, PHOTO_FORM_PATH } from '../src/lib/photos.ts';

const photo = (id: string, position: number, status: ConsolePhotoFragment['status'] = 'READY'): ConsolePhotoFragment => ({
  id,
  status,
  position,
  progress: 100,
  failure: null,
  createdAt: '2026-12-05T00:00:00Z',
  alt: { indonesian: `Foto ${id}`, english: null },
  image: null,
});
const ids = (entries: { id: string }[] | null) => entries?.map((entry) => entry.id);

describe('arranging photos from one change', () => {
  // Listed out of order, with one still waiting for its bytes (which cannot be listed and is kept by the catalogue).
  const photos = [photo('c', 2), photo('a', 0), photo('w', 3, 'AWAITING_UPLOAD'), photo('b', 1, 'PROCESSING')];

  it('moves a photo, makes it the main one, or leaves it out to remove it, listing every other photo', () => {
    expect(ids(arrangementAfter(photos, { kind: 'main', photoId: 'c' }))).toEqual(['c', 'a', 'b']);
    expect(ids(arrangementAfter(photos, { kind: 'earlier', photoId: 'b' }))).toEqual(['b', 'a', 'c']);
    expect(ids(arrangementAfter(photos, { kind: 'earlier', photoId: 'a' }))).toEqual(['a', 'b', 'c']);
    expect(ids(arrangementAfter(photos, { kind: 'later', photoId: 'a' }))).toEqual(['b', 'a', 'c']);
    expect(ids(arrangementAfter(photos, { kind: 'later', photoId: 'c' }))).toEqual(['a', 'b', 'c']);
    expect(ids(arrangementAfter(photos, { kind: 'remove', photoId: 'b' }))).toEqual(['a', 'c']);
  });

  it('changes only the described photo’s descriptions, and knows no photo that is gone or still waiting', () => {
    expect(arrangementAfter(photos, { kind: 'describe', photoId: 'b', altIndonesian: 'Baru', altEnglish: 'New' })).toEqual([
      { id: 'a', altIndonesian: 'Foto a', altEnglish: null },
      { id: 'b', altIndonesian: 'Baru', altEnglish: 'New' },
      { id: 'c', altIndonesian: 'Foto c', altEnglish: null },
    ]);
    expect(arrangementAfter(photos, { kind: 'remove', photoId: 'gone' })).toBeNull();
    expect(arrangementAfter(photos, { kind: 'main', photoId: 'w' })).toBeNull();
  });
});

describe('photo texts and limits', () => {
  it('shows the half of the catalogue’s "Indonesian / English" message in the page’s language', () => {
    const message = 'Berkas ini bukan foto JPEG, PNG, WebP atau AVIF (isinya PDF). / This file is not a JPEG, PNG, WebP or AVIF photo (it holds PDF).';
    expect(inLanguage('id', message)).toBe('Berkas ini bukan foto JPEG, PNG, WebP atau AVIF (isinya PDF).');
    expect(inLanguage('en', message)).toBe('This file is not a JPEG, PNG, WebP or AVIF photo (it holds PDF).');
    expect(inLanguage('en', 'one language only')).toBe('one language only');
  });

  it('counts what is left of 8 photos, failed ones aside; descriptions of 3 to 200 characters', () => {
    expect(photosLeft([photo('a', 0), photo('b', 1, 'FAILED'), photo('c', 2, 'QUEUED')])).toBe(6);
    expect(descriptionProblem('ok', false)).toBeDefined();
    expect(descriptionProblem('', true)).toBeUndefined();
    expect(descriptionProblem('', false)).toBeDefined();
    expect(descriptionProblem('Keripik di piring', false)).toBeUndefined();
    expect(descriptionProblem('x'.repeat(201), true)).toBeDefined();
  });

  it('lets only product pages take a photo-sized form', () => {
    expect(PHOTO_FORM_PATH.test('/produk/d7ba92a8-edf3-5b65-ba80-c8cd54730620')).toBe(true);
    expect(PHOTO_FORM_PATH.test('/produk/baru')).toBe(false);
    expect(PHOTO_FORM_PATH.test('/masuk')).toBe(false);
    expect(PHOTO_FORM_PATH.test('/produk/d7ba92a8-edf3-5b65-ba80-c8cd54730620/foto')).toBe(false);
  });
});
