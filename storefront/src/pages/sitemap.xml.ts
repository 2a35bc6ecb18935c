import type { APIRoute } from 'astro';
import { allCategories, articles, partners, pesantren, productIndex, regencies, regencySlug } from '../lib/data.ts';
import { hrefOf, LOCALES, type PageRef } from '../lib/i18n.ts';
import { PILLARS } from '../lib/messages.ts';

/**
 * Every indexable page, each with its other-language version (xhtml:link), so search engines
 * show shoppers the page in their language. Listings are given by their first page only.
 */
export const GET: APIRoute = async ({ site }) => {
  const index = await productIndex();
  const pages: (PageRef & { lastmod?: string })[] = [
    { route: 'home' },
    { route: 'catalogue' },
    { route: 'pesantren' },
    { route: 'partners' },
    { route: 'articles' },
    { route: 'about' },
    ...(await allCategories()).filter((c) => index.byCategoryPath.has(c.slug)).map((c) => ({ route: 'category' as const, params: [c.slug] })),
    ...(await regencies()).filter((r) => index.byRegency.has(r.code)).map((r) => ({ route: 'regency' as const, params: [regencySlug(r)] })),
    ...PILLARS.filter((p) => index.byPillar.has(p)).map((p) => ({ route: 'pillar' as const, params: [p.toLowerCase()] })),
    ...index.all.map((p) => ({ route: 'product' as const, params: [p.slug], lastmod: p.updatedAt })),
    ...(await pesantren()).map((p) => ({ route: 'pesantren' as const, params: [p.slug] })),
    ...[...new Set(index.all.map((p) => p.seller.slug))].map((slug) => ({ route: 'seller' as const, params: [slug] })),
    ...(await articles()).map((a) => ({ route: 'articles' as const, params: [a.slug], lastmod: a.publishedAt })),
    ...(await partners()).map((p) => ({ route: 'partners' as const, params: [p.slug] })),
  ];
  const url = (page: PageRef, locale: (typeof LOCALES)[number]) => new URL(hrefOf(locale, page), site).href;
  const entries = pages.flatMap((page) =>
    LOCALES.map(
      (locale) =>
        `<url><loc>${url(page, locale)}</loc>${page.lastmod ? `<lastmod>${page.lastmod.slice(0, 10)}</lastmod>` : ''}${LOCALES.map((other) => `<xhtml:link rel="alternate" hreflang="${other}" href="${url(page, other)}"/>`).join('')}</url>`,
    ),
  );
  return new Response(
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${entries.join('\n')}\n</urlset>\n`,
    { headers: { 'content-type': 'application/xml; charset=utf-8' } },
  );
};
