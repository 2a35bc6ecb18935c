import type { GetStaticPathsOptions, Page } from 'astro';
import { pesantren, productIndex, type Pesantren, type Product } from './data.ts';
import { href, type Locale } from './i18n.ts';
import { isPartialBuild, isPublished, publishedPaths } from './partial-build.ts';

export interface PesantrenPageProps {
  locale: Locale;
  pesantren: Pesantren;
  products: Product[];
}

export interface PesantrenListProps {
  locale: Locale;
  page: Page<Pesantren>;
}

export async function pesantrenPaths(locale: Locale) {
  const index = await productIndex();
  return publishedPaths(await pesantren(), (entry) => href(locale, 'pesantren', entry.slug)).map((entry) => ({
    params: { slug: entry.slug },
    props: { locale, pesantren: entry, products: index.byPesantren.get(entry.slug) ?? [] } satisfies PesantrenPageProps,
  }));
}

export async function pesantrenListPaths(locale: Locale, { paginate }: GetStaticPathsOptions) {
  // Lists pesantren, not products: a product's change does not touch it. A pesantren's does (a
  // new one, a new name moves it), and the publisher then asks for the first page: the whole
  // list is drawn again, since a name may move a pesantren from one page to another.
  if (isPartialBuild && !isPublished(href(locale, 'pesantren'))) return [];
  const all = [...(await pesantren())].sort((a, b) => a.name.localeCompare(b.name, 'id'));
  return paginate(all, { pageSize: 48, props: { locale } });
}
