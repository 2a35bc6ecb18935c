import { readFileSync } from 'node:fs';
import { generateWorld, type Scale } from '@opop/demo-data';
import { EAST_JAVA_REGENCIES, regencyDisplayName } from '@opop/identifiers';
import { documentOf } from '../../src/modules/search/document.ts';
import type { ProductDocument, SearchIndex, SearchResponse } from '../../src/modules/search/search-index.ts';
import { queryRequest } from '../../src/modules/search/search.input.ts';

/**
 * The judged relevance set (judged-queries.json, see README.md beside it) and the measures
 * computed over it: nDCG@10 and MRR@10. Judgements are predicates over product data (name,
 * place, category), expanded here to a grade per product of the corpus, so they read as a
 * shopper's judgement ("any Madu Klanceng from Gresik is exactly it") and survive a re-seed.
 */

export interface Judgement {
  grade: 1 | 2 | 3;
  /** Indonesian product names; a trailing * matches any name that starts with the rest. */
  name?: string[];
  /** Regency names: "Malang" is both Kabupaten and Kota Malang, "Kota Malang" only the city. */
  place?: string[];
  /** The seller's regency as BPS codes (3507 Kabupaten Malang, 3573 Kota Malang). */
  regency?: string[];
  /** Category slugs; a parent includes its children. */
  category?: string[];
  /** Substrings of the seller's name (a pesantren, cooperative or alumni brand). */
  seller?: string[];
  /** The price in rupiah is at most this. */
  maxPrice?: number;
}

export interface JudgedQuery {
  id: string;
  query: string;
  language: 'id' | 'en';
  /** The kinds of query it is (the independent set calls them `kinds`, its first the primary one). */
  tags: string[];
  split: 'tune' | 'heldout';
  judgements: Judgement[];
}

/**
 * A judged set from its file. Three files share the predicates above: the developers' set
 * (judged-queries.json), the follow-up set written after the independent audit
 * (followup-queries.json) and the auditor's own (independent-queries.json, `kinds` for `tags`,
 * every query held out). Queries without a split are held out.
 */
export function loadJudgedSet(file: string): JudgedQuery[] {
  const data = JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as { queries: (Omit<JudgedQuery, 'tags' | 'split'> & { tags?: string[]; kinds?: string[]; split?: JudgedQuery['split'] })[] };
  return data.queries.map(({ id, query, language, judgements, tags, kinds, split }) => ({ id, query, language, judgements, tags: tags ?? kinds ?? [], split: split ?? 'heldout' }));
}

/** The developers' set, written with issue 15 (267 queries, a third held out). */
export const JUDGED_QUERIES: readonly JudgedQuery[] = loadJudgedSet('./judged-queries.json');

/** The follow-up set, written after the independent audit from the product templates (a third held out). */
export const FOLLOWUP_QUERIES: readonly JudgedQuery[] = loadJudgedSet('./followup-queries.json');

/**
 * The independent auditor's blind set: held out entirely. Look at it only in aggregate (never
 * per query), so it stays a fair measure of search for queries nobody tuned on.
 */
export const INDEPENDENT_QUERIES: readonly JudgedQuery[] = loadJudgedSet('./independent-queries.json');

/** Queries no listed product answers: the right answer is nothing (and a suggestion). */
export const expectsNothing = (query: JudgedQuery) => query.judgements.length === 0;

const LISTED = new Set(['SUBMITTED', 'IN_REVIEW', 'FEATURED']);

/** The listed products of a generated world as search documents, exactly as the catalogue indexes them. */
export function worldDocuments(scale: Scale = 'medium'): ProductDocument[] {
  const world = generateWorld(scale);
  const sellers = new Map(world.sellers.map((seller) => [seller.id, seller]));
  const bySlug = new Map(world.categories.map((category) => [category.slug, category]));
  const pathOf = (slug: string): { slug: string; nameIndonesian: string; nameEnglish: string }[] => {
    const category = bySlug.get(slug)!;
    return [...(category.parentSlug ? pathOf(category.parentSlug) : []), { slug, nameIndonesian: category.nameId, nameEnglish: category.nameEn }];
  };
  return world.products
    .filter((product) => LISTED.has(product.status))
    .map((product) =>
      documentOf({
        id: product.id,
        nameIndonesian: product.nameId,
        nameEnglish: product.nameEn,
        descriptionIndonesian: product.descriptionId,
        descriptionEnglish: product.descriptionEn,
        categories: pathOf(product.categorySlug),
        seller: sellers.get(product.sellerId)!,
        halalCertified: product.halalCertificateNumber !== null,
        featured: product.status === 'FEATURED',
        stock: product.stock,
        priceRupiah: product.priceRupiah,
        createdAt: product.createdAt,
        viewCount: product.viewCount,
      }),
    );
}

const PLACE_NAMES = new Map(EAST_JAVA_REGENCIES.map((regency) => [regency.code, [regency.name, regencyDisplayName(regency)]]));

function holds(judgement: Judgement, doc: ProductDocument): boolean {
  const nameOk = !judgement.name || judgement.name.some((pattern) => (pattern.endsWith('*') ? doc.name.startsWith(pattern.slice(0, -1)) : doc.name === pattern));
  const placeOk = !judgement.place || judgement.place.some((place) => PLACE_NAMES.get(doc.regencyCode)!.includes(place));
  const regencyOk = !judgement.regency || judgement.regency.includes(doc.regencyCode);
  const categoryOk = !judgement.category || judgement.category.some((slug) => doc.categorySlugs.includes(slug));
  const sellerOk = !judgement.seller || judgement.seller.some((part) => doc.sellerName.includes(part));
  const priceOk = judgement.maxPrice === undefined || doc.priceRupiah <= judgement.maxPrice;
  return nameOk && placeOk && regencyOk && categoryOk && sellerOk && priceOk;
}

/** The grade of every document a query's judgements reach; the rest are 0. */
export function gradesOf(query: JudgedQuery, documents: readonly ProductDocument[]): Map<string, number> {
  const grades = new Map<string, number>();
  for (const doc of documents) {
    let grade = 0;
    for (const judgement of query.judgements) if (judgement.grade > grade && holds(judgement, doc)) grade = judgement.grade;
    if (grade > 0) grades.set(doc.id, grade);
  }
  return grades;
}

const gain = (grade: number) => 2 ** grade - 1;
const discount = (rank: number) => 1 / Math.log2(rank + 2);

/** nDCG@k with exponential gain; the ideal ranking is every judged document by grade. */
export function ndcg(ranked: readonly string[], grades: ReadonlyMap<string, number>, k = 10): number {
  const ideal = [...grades.values()].sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, grade, rank) => sum + gain(grade) * discount(rank), 0);
  if (idcg === 0) return 0;
  const dcg = ranked.slice(0, k).reduce((sum, id, rank) => sum + gain(grades.get(id) ?? 0) * discount(rank), 0);
  return dcg / idcg;
}

/** Reciprocal rank of the first good answer (grade 2 or 3) within the first k, else 0. */
export function reciprocalRank(ranked: readonly string[], grades: ReadonlyMap<string, number>, k = 10): number {
  const rank = ranked.slice(0, k).findIndex((id) => (grades.get(id) ?? 0) >= 2);
  return rank < 0 ? 0 : 1 / (rank + 1);
}

export interface QueryResult {
  query: JudgedQuery;
  ndcg: number;
  rr: number;
  /** 1-based rank of the first grade-3 result among the first 50, or null. */
  firstExact: number | null;
  total: number;
  suggestion: SearchResponse['suggestion'];
  relaxation: SearchResponse['relaxation'];
}

export interface Summary {
  queries: number;
  ndcg: number;
  mrr: number;
  /**
   * Of the queries no product answers: how many were answered that no product has every word,
   * with no results or with those of a shorter query behind a notice ("no product has all
   * your words; showing results for …").
   */
  emptyWhenExpected: number;
  /** Of the queries no product answers: how many got no results at all. */
  strictlyEmptyWhenExpected: number;
  zeroQueries: number;
  /** Answers from a relaxed query (words left out or split). */
  relaxed: number;
  /** Of the zero-result answers (expected or not): how many offered a suggestion. */
  suggested: number;
  zeroAnswers: number;
  /** Of the queries with graded judgements: how many got no results at all. */
  gradedWithNothing: number;
}

export async function evaluate(index: SearchIndex, documents: readonly ProductDocument[], queries: readonly JudgedQuery[] = JUDGED_QUERIES): Promise<QueryResult[]> {
  const results: QueryResult[] = [];
  for (const query of queries) {
    // As the API asks: the query's words read for prices and filler as the resolver reads them.
    const response = await index.search(queryRequest(query.query, { pageSize: 50 }));
    const ranked = response.hits.map((hit) => hit.id);
    const grades = gradesOf(query, documents);
    const exact = ranked.findIndex((id) => grades.get(id) === 3);
    results.push({
      query,
      ndcg: ndcg(ranked, grades),
      rr: reciprocalRank(ranked, grades),
      firstExact: exact < 0 ? null : exact + 1,
      total: response.total,
      suggestion: response.suggestion,
      relaxation: response.relaxation,
    });
  }
  return results;
}

export function summarize(results: readonly QueryResult[]): Summary {
  const judged = results.filter((result) => !expectsNothing(result.query));
  const zero = results.filter((result) => expectsNothing(result.query));
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
  const zeroAnswers = results.filter((result) => result.total === 0);
  return {
    queries: judged.length,
    ndcg: mean(judged.map((result) => result.ndcg)),
    mrr: mean(judged.map((result) => result.rr)),
    zeroQueries: zero.length,
    emptyWhenExpected: zero.filter((result) => result.total === 0 || (result.relaxation?.ignoredWords.length ?? 0) > 0).length,
    strictlyEmptyWhenExpected: zero.filter((result) => result.total === 0).length,
    relaxed: results.filter((result) => result.relaxation).length,
    zeroAnswers: zeroAnswers.length,
    suggested: zeroAnswers.filter((result) => result.suggestion).length,
    gradedWithNothing: judged.filter((result) => result.total === 0).length,
  };
}
