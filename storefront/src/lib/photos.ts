/**
 * Product photos as <picture>: the API serves each photo at up to three widths (400, 800, 1200,
 * never wider than the original) in AVIF, WebP and JPEG. The browser picks the first format it
 * can decode and, from `sizes`, the narrowest width that is sharp on its screen. Shared by the
 * pages (built in Node) and the search and cart islands (in the browser), so it stays tiny.
 */
export interface PhotoSource {
  type: string;
  width: number;
  url: string;
}

/** Offered in this order; the <img> inside is the JPEG every browser can show. */
export const PICTURE_TYPES = ['image/avif', 'image/webp'] as const;
export const FALLBACK_TYPE = 'image/jpeg';

/** `url 400w, url 800w, …` of one format. */
export const srcsetOf = (sources: readonly PhotoSource[], type: string): string =>
  sources
    .filter((source) => source.type === type)
    .map((source) => `${source.url} ${source.width}w`)
    .join(', ');

/**
 * How wide each layout shows a photo, from global.css: `.wrap` is at most 72rem with 1rem
 * padding each side; cards sit in `.grid` (columns of at least 10.5rem, 1rem gaps), so a card is
 * the whole width below 384 px, half of it up to 568 px and never more than about 16.25rem
 * beyond; the product page's main photo is the whole width on phones and one of two columns
 * (1.5rem gap) from 48rem.
 */
export const SIZES = {
  card: '(max-width: 383px) calc(100vw - 2rem), (max-width: 567px) calc(50vw - 1.5rem), 16.25rem',
  main: '(min-width: 72rem) 34.25rem, (min-width: 48rem) calc(50vw - 1.75rem), calc(100vw - 2rem)',
  /** The product page's gallery: 8rem × 6rem. */
  thumbnail: '8rem',
} as const;

/** Every photo box is 4:3 (`.visual`, the gallery's 8rem × 6rem). */
export const BOX_ASPECT = 4 / 3;

/**
 * The product page shows its main photo whole (object-fit: contain): a photo taller than its box
 * is shown narrower than the box, and needs only that many pixels. Scales each width of `sizes`.
 */
export function containedSizes(sizes: string, photo: { width?: number | null; height?: number | null }): string {
  if (!photo.width || !photo.height) return sizes;
  const scale = photo.width / photo.height / BOX_ASPECT;
  if (scale >= 1) return sizes;
  const factor = Math.round(scale * 1000) / 1000;
  return sizes
    .split(', ')
    .map((entry) => {
      const at = entry.lastIndexOf(') ') + 1;
      const [media, length] = at > 0 ? [`${entry.slice(0, at)} `, entry.slice(at + 1)] : ['', entry];
      return `${media}calc(${length.replace(/^calc/, '')} * ${factor})`;
    })
    .join(', ');
}
/** A search result's photo beside its text (the islands import these alone, not the table above). */
export const RESULT_SIZES = '7rem';
/** A line of the cart. */
export const CART_SIZES = '4rem';

/**
 * Lazy images may say `sizes="auto"`: browsers that know it use the width the image is laid out
 * at; the others skip it and read the list after it.
 */
export const lazySizes = (sizes: string) => `auto, ${sizes}`;

const COLOR = /^#[0-9a-f]{3,8}$/i;
const PLACEHOLDER = /^data:image\/(?:webp|jpeg|png|avif);base64,[A-Za-z0-9+/=]+$/;

/**
 * What paints a photo's box before the photo arrives: its dominant colour and, on pages built
 * ahead (a few hundred bytes each), the blurred preview. Only values of the expected shape are
 * written into the style attribute.
 */
export function paint(photo: { color?: string | null; placeholder?: string | null }): string {
  const color = photo.color && COLOR.test(photo.color) ? `background-color:${photo.color}` : '';
  const preview = photo.placeholder && PLACEHOLDER.test(photo.placeholder) ? `background-image:url(${photo.placeholder})` : '';
  return [color, preview].filter(Boolean).join(';');
}
