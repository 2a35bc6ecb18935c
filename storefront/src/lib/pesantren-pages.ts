import type { GetStaticPathsOptions, Page } from 'astro';
import { pesantren, productIndex, type Pesantren, type Product } from './data.ts';
import type { Locale } from './i18n.ts';

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
  return (await pesantren()).map((entry) => ({
    params: { slug: entry.slug },
    props: { locale, pesantren: entry, products: index.byPesantren.get(entry.slug) ?? [] } satisfies PesantrenPageProps,
  }));
}

export async function pesantrenListPaths(locale: Locale, { paginate }: GetStaticPathsOptions) {
  const all = [...(await pesantren())].sort((a, b) => a.name.localeCompare(b.name, 'id'));
  return paginate(all, { pageSize: 48, props: { locale } });
}
