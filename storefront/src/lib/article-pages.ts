import type { GetStaticPathsOptions, Page } from 'astro';
import { articles, type Article } from './data.ts';
import type { Locale } from './i18n.ts';
import { isPartialBuild } from './partial-build.ts';

export interface ArticlePageProps {
  locale: Locale;
  article: Article;
}
export interface ArticleListProps {
  locale: Locale;
  page: Page<Article>;
}

// Articles are the media subgraph's: a catalogue change does not touch them, so partial builds skip them.
export const articlePaths = async (locale: Locale) =>
  (isPartialBuild ? [] : await articles()).map((article) => ({ params: { slug: article.slug }, props: { locale, article } satisfies ArticlePageProps }));

export const articleListPaths = async (locale: Locale, { paginate }: GetStaticPathsOptions) =>
  isPartialBuild ? [] : paginate(await articles(), { pageSize: 20, props: { locale } });
