import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Outlet } from '../outlet/outlet.entity.ts';

const ArticleSchema = defineEntity({
  name: 'Article',
  tableName: 'article',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    slug: p.string().length(200).unique(),
    outlet: () => p.manyToOne(Outlet).index(),
    titleIndonesian: p.string().length(200),
    titleEnglish: p.string().length(200).nullable(),
    summaryIndonesian: p.string().length(500).nullable(),
    summaryEnglish: p.string().length(500).nullable(),
    bodyMarkdown: p.text(),
    /** Rendered and sanitised once, when published, so readers never run the renderer. */
    bodyHtml: p.text(),
    publishedAt: p.datetime().index(),
    isDemo: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Article extends ArticleSchema.class {}
ArticleSchema.setClass(Article);

/** Which pesantren an article is about, by their key in the pesantren subgraph. */
const ArticlePesantrenSchema = defineEntity({
  name: 'ArticlePesantren',
  tableName: 'article_pesantren',
  properties: {
    article: () => p.manyToOne(Article).primary(),
    pesantrenId: p.uuid().primary().index(),
  },
});

export class ArticlePesantren extends ArticlePesantrenSchema.class {}
ArticlePesantrenSchema.setClass(ArticlePesantren);

/** Which products an article mentions, by their key in the catalogue. */
const ArticleProductSchema = defineEntity({
  name: 'ArticleProduct',
  tableName: 'article_product',
  properties: {
    article: () => p.manyToOne(Article).primary(),
    productId: p.uuid().primary().index(),
  },
});

export class ArticleProduct extends ArticleProductSchema.class {}
ArticleProductSchema.setClass(ArticleProduct);
