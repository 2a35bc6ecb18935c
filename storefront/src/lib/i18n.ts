/**
 * Bahasa Indonesia first: Indonesian pages live at the root, English ones under /en/, and each
 * page knows its counterpart in the other language (for the language switch and hreflang).
 */
export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const HTML_LANG: Record<Locale, string> = { id: 'id-ID', en: 'en' };

/** Path segments per language, so English shoppers read English URLs. */
const SEGMENTS = {
  home: { id: '', en: '' },
  catalogue: { id: 'katalog', en: 'catalogue' },
  category: { id: 'katalog/kategori', en: 'catalogue/category' },
  regency: { id: 'katalog/daerah', en: 'catalogue/region' },
  pillar: { id: 'katalog/pilar', en: 'catalogue/pillar' },
  product: { id: 'produk', en: 'products' },
  pesantren: { id: 'pesantren', en: 'pesantren' },
  seller: { id: 'penjual', en: 'sellers' },
  partners: { id: 'mitra', en: 'partners' },
  articles: { id: 'berita', en: 'news' },
  search: { id: 'cari', en: 'search' },
  about: { id: 'tentang', en: 'about' },
  cart: { id: 'keranjang', en: 'cart' },
  orders: { id: 'pesanan', en: 'orders' },
  embed: { id: 'sematkan', en: 'embed' },
} as const satisfies Record<string, Record<Locale, string>>;
export type RouteName = keyof typeof SEGMENTS;

/** A page's address as route and parameters, so it can be written in either language. */
export interface PageRef {
  route: RouteName;
  params?: readonly (string | number)[];
}

export function href(locale: Locale, route: RouteName, ...params: readonly (string | number | undefined)[]): string {
  const parts = [locale === 'en' ? 'en' : '', SEGMENTS[route][locale], ...params.map((p) => (p === undefined ? '' : String(p)))].filter(Boolean);
  return parts.length === 0 ? '/' : `/${parts.join('/')}/`;
}

/** Regency pages carry the regency's name in their address: /katalog/daerah/kabupaten-jombang/. */
export const regencySlug = (regency: { displayName: string }) =>
  regency.displayName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** An engagement's place on its partner's page, where the partners list sends "and N more pesantren". */
export const engagementAnchor = (engagementId: string) => `kegiatan-${engagementId}`;

export const hrefOf = (locale: Locale, page: PageRef) => href(locale, page.route, ...(page.params ?? []));

export const otherLocale = (locale: Locale): Locale => (locale === 'id' ? 'en' : 'id');

/** Text in the shopper's language, falling back to Indonesian when no English version exists. */
export function localized(text: { indonesian: string; english: string | null } | null | undefined, locale: Locale): string {
  if (!text) return '';
  return locale === 'en' ? (text.english ?? text.indonesian) : text.indonesian;
}

/** Whether `localized` had to fall back, so the page can mark the text's language for screen readers. */
export const isFallback = (text: { english: string | null }, locale: Locale) => locale === 'en' && !text.english;

export const slugify = (value: string) =>
  value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
