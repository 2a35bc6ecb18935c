import type { GetStaticPathsOptions, Page } from 'astro';
import { allCategories, productIndex, regencies, regencySlug, type Product } from './data.ts';
import { href, localized, type Locale, type RouteName } from './i18n.ts';
import { publishedPaths } from './partial-build.ts';
import { PILLAR_DESCRIPTION, PILLAR_LABEL, PILLARS, t } from './messages.ts';

export const LISTING_PAGE_SIZE = 24;

/** What a listing page shows besides its products; the same for every page of one listing. */
export type ListingProps = {
  locale: Locale;
  route: RouteName;
  /** The listing's own parameter (category slug, regency slug, pillar), if any. */
  key: string | undefined;
  heading: string;
  description: string;
  trail: { label: string; route: RouteName; params: string[] }[];
  /** The search filter that keeps a search within this listing (its parameter and value), for sorting and price filters. */
  within?: { param: 'kategori' | 'daerah' | 'pilar'; value: string };
};

export interface ListingPageProps extends ListingProps {
  page: Page<Product>;
}

const newestFirst = (products: readonly Product[]) => [...products].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));

/** Every page of every listing of one kind, in one language, for getStaticPaths (only the changed ones in a partial build). */
export async function listingPaths(kind: 'all' | 'category' | 'regency' | 'pillar', locale: Locale, options: GetStaticPathsOptions) {
  const pages = await allListingPaths(kind, locale, options);
  return publishedPaths(pages, (entry) => href(locale, entry.props.route, entry.props.key, entry.props.page.currentPage > 1 ? entry.props.page.currentPage : undefined));
}

async function allListingPaths(kind: 'all' | 'category' | 'regency' | 'pillar', locale: Locale, { paginate }: GetStaticPathsOptions) {
  const index = await productIndex();
  const catalogueCrumb = { label: t(locale, 'navCatalogue'), route: 'catalogue' as const, params: [] };
  switch (kind) {
    case 'all': {
      const props: ListingProps = {
        locale,
        route: 'catalogue',
        key: undefined,
        heading: t(locale, 'allProducts'),
        description: t(locale, 'tagline'),
        trail: [],
      };
      return paginate(newestFirst(index.all), { pageSize: LISTING_PAGE_SIZE, props });
    }
    case 'category': {
      const categories = await allCategories();
      return categories.flatMap((category) => {
        const products = index.byCategoryPath.get(category.slug) ?? [];
        if (products.length === 0) return [];
        const name = localized(category.name, locale);
        // The category's parents, so a subcategory's breadcrumbs lead back up the tree.
        const parents = category.path.slice(0, -1).flatMap((slug) => categories.filter((candidate) => candidate.slug === slug));
        const props: ListingProps = {
          locale,
          route: 'category',
          key: category.slug,
          heading: name,
          description: t(locale, 'categoryListing', { category: name, count: products.length }),
          trail: [catalogueCrumb, ...parents.map((parent) => ({ label: localized(parent.name, locale), route: 'category' as const, params: [parent.slug] }))],
          within: { param: 'kategori', value: category.slug },
        };
        return paginate(newestFirst(products), { pageSize: LISTING_PAGE_SIZE, params: { category: category.slug }, props });
      });
    }
    case 'regency':
      return (await regencies()).flatMap((regency) => {
        const products = index.byRegency.get(regency.code) ?? [];
        if (products.length === 0) return [];
        const slug = regencySlug(regency);
        const props: ListingProps = {
          locale,
          route: 'regency',
          key: slug,
          heading: regency.displayName,
          description: t(locale, 'regencyListing', { regency: regency.displayName, count: products.length }),
          trail: [catalogueCrumb],
          within: { param: 'daerah', value: regency.code },
        };
        return paginate(newestFirst(products), { pageSize: LISTING_PAGE_SIZE, params: { regency: slug }, props });
      });
    case 'pillar':
      return PILLARS.flatMap((pillar) => {
        const products = index.byPillar.get(pillar) ?? [];
        if (products.length === 0) return [];
        const props: ListingProps = {
          locale,
          route: 'pillar',
          key: pillar.toLowerCase(),
          heading: PILLAR_LABEL[pillar][locale],
          description: PILLAR_DESCRIPTION[pillar][locale],
          trail: [catalogueCrumb],
          within: { param: 'pilar', value: pillar },
        };
        return paginate(newestFirst(products), { pageSize: LISTING_PAGE_SIZE, params: { pillar: pillar.toLowerCase() }, props });
      });
  }
}
