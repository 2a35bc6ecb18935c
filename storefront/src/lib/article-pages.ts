import type { GetStaticPathsOptions, Page } from 'astro';
import { articles, type Article } from './data.ts';
import { href, type Locale } from './i18n.ts';
import { isPartialBuild, isPublished, publishedPaths } from './partial-build.ts';

export interface ArticlePageProps {
  locale: Locale;
  article: Article;
}
export interface ArticleListProps {
  locale: Locale;
  page: Page<Article>;
}

// Articles are the media subgraph's: a catalogue change does not touch them. The media relay's
// does, and the publisher names the article's page and the list's first page, which stands for
// the whole list (a new article moves every one after it).
export const articlePaths = async (locale: Locale) =>
  publishedPaths(await articles(), (article) => href(locale, 'articles', article.slug)).map((article) => ({ params: { slug: article.slug }, props: { locale, article } satisfies ArticlePageProps }));

export const articleListPaths = async (locale: Locale, { paginate }: GetStaticPathsOptions) =>
  isPartialBuild && !isPublished(href(locale, 'articles')) ? [] : paginate(await articles(), { pageSize: 20, props: { locale } });
