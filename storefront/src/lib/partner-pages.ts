import { partner, partners, type PartnerWithEngagements } from './data.ts';
import { href, type Locale } from './i18n.ts';
import { publishedPaths } from './partial-build.ts';

export interface PartnerPageProps {
  locale: Locale;
  partner: PartnerWithEngagements;
}

/** A page per partner, with every engagement the partners list only counts. */
export async function partnerPaths(locale: Locale) {
  const listed = publishedPaths(await partners(), (entry) => href(locale, 'partners', entry.slug));
  const pages = await Promise.all(listed.map((entry) => partner(entry.slug)));
  return pages.flatMap((found) => (found ? [{ params: { slug: found.slug }, props: { locale, partner: found } satisfies PartnerPageProps }] : []));
}
