import slugify from '@sindresorhus/slugify';
import { randomUUID } from 'node:crypto';
import { parseInput, verifyReferences, type EntityManager } from '@opop/server-kit';
import type { OwnerReferences } from '../../context.ts';
import type { OutletRepository } from '../outlet/outlet.repository.ts';
import { Article, ArticlePesantren, ArticleProduct } from './article.entity.ts';
import { publishArticleInput } from './article.input.ts';
import { renderMarkdown } from './markdown.ts';

/** Writes of articles: one instance per request. Who may publish is declared in the SDL. */
export class ArticleService {
  readonly #em: EntityManager;
  readonly #outlets: OutletRepository;
  readonly #references: OwnerReferences;

  constructor(em: EntityManager, outlets: OutletRepository, references: OwnerReferences) {
    this.#em = em;
    this.#outlets = outlets;
    this.#references = references;
  }

  /** An article with its Markdown rendered and sanitised once, and its links, in one flush. */
  async publish(input: unknown): Promise<Article> {
    const data = parseInput(publishArticleInput, input, 'input');
    const outlet = await this.#outlets.known(data.outletSlug, 'input.outletSlug');
    // What the article is about is checked with its owners: no article about nothing.
    await verifyReferences(this.#references.pesantren, 'Pesantren', data.pesantrenIds, 'input.pesantrenIds');
    await verifyReferences(this.#references.products, 'Product', data.productIds ?? [], 'input.productIds');
    const em = this.#em;
    const id = randomUUID();
    const article = em.create(Article, {
      id,
      slug: `${slugify(data.titleIndonesian).slice(0, 180)}-${id.slice(0, 8)}`,
      outlet,
      titleIndonesian: data.titleIndonesian,
      titleEnglish: data.titleEnglish ?? null,
      summaryIndonesian: data.summaryIndonesian ?? null,
      summaryEnglish: data.summaryEnglish ?? null,
      bodyMarkdown: data.bodyMarkdown,
      bodyHtml: renderMarkdown(data.bodyMarkdown),
      publishedAt: data.publishedAt ? new Date(data.publishedAt) : new Date(),
      isDemo: false,
    });
    for (const pesantrenId of new Set(data.pesantrenIds)) em.create(ArticlePesantren, { article, pesantrenId });
    for (const productId of new Set(data.productIds ?? [])) em.create(ArticleProduct, { article, productId });
    await em.flush();
    return article;
  }
}
