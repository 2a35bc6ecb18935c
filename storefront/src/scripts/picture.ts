import { FALLBACK_TYPE, PICTURE_TYPES, srcsetOf, type PhotoSource } from '../lib/photos.ts';
import { element } from './dom.ts';

/** A product's main photo as the search and cart islands receive it. */
export interface IslandPhoto {
  alt: { indonesian: string; english: string | null };
  width: number | null;
  height: number | null;
  color: string | null;
  sources: readonly PhotoSource[];
}

/**
 * The box ProductVisual.astro draws, drawn by an island: the photo as <picture> (AVIF, WebP, then
 * a JPEG <img>), sized and painted with its colour before it arrives, fetched lazily; without a
 * photo, a tile with the name's first letter. The islands' photos are small and of a fixed width,
 * so `sizes` is that width (not "auto", which Chromium was seen to read as the whole screen's
 * width for an image inserted by script before its first layout).
 */
export function productVisual(photo: IslandPhoto | undefined, english: boolean, sizes: string, name: string): HTMLElement {
  if (!photo) {
    const tile = element('div', { className: 'visual' }, element('span', { ariaHidden: 'true' }, name.trim().charAt(0).toUpperCase()));
    tile.style.setProperty('--hue', '150');
    return tile;
  }
  const box = element('div', { className: 'visual photo' });
  // Through the CSS object model: a value that is not a colour is dropped.
  box.style.backgroundColor = photo.color ?? '';
  const picture = element('picture');
  for (const type of PICTURE_TYPES) {
    const srcset = srcsetOf(photo.sources, type);
    if (srcset) picture.append(element('source', { type, sizes, srcset }));
  }
  // Into the <picture> before it has a source of its own, so the browser only ever picks from the list.
  const img = element('img');
  picture.append(img);
  box.append(picture);
  if (english && !photo.alt.english) img.lang = 'id';
  Object.assign(img, {
    loading: 'lazy',
    decoding: 'async',
    alt: (english && photo.alt.english) || photo.alt.indonesian,
    width: photo.width ?? 800,
    height: photo.height ?? 600,
    sizes,
    // No src: a srcset alone is enough (HTML, since 2025) and every browser that runs this reads it.
    srcset: srcsetOf(photo.sources, FALLBACK_TYPE),
  });
  return box;
}
