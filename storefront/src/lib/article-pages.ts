import type { GetStaticPathsOptions, Page } from 'astro';
import { articles, type Article } from './data.ts';
import type { Locale } from './i18n.ts';

export interface ArticlePageProps {
  locale: Locale;
  article: Article;
}
export interface ArticleListProps {
  locale: Locale;
  page: Page<Article>;
}

export const articlePaths = async (locale: Locale) =>
  (await articles()).map((article) => ({ params: { slug: article.slug }, props: { locale, article } satisfies ArticlePageProps }));

export const articleListPaths = async (locale: Locale, { paginate }: GetStaticPathsOptions) =>
  paginate(await articles(), { pageSize: 20, props: { locale } });
