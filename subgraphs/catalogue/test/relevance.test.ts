import { randomBytes } from 'node:crypto';
import { Meilisearch } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSearchIndex } from '../src/modules/search/embedded-index.ts';
import { MeilisearchIndex } from '../src/modules/search/meilisearch-index.ts';
import type { ProductDocument, SearchIndex } from '../src/modules/search/search-index.ts';
import { evaluate, expectsNothing, FOLLOWUP_QUERIES, gradesOf, INDEPENDENT_QUERIES, JUDGED_QUERIES, summarize, worldDocuments, type QueryResult } from './relevance/judged-set.ts';

/**
 * The judged relevance sets (test/relevance/) over the 8,168 listed products of `--scale medium`:
 * nDCG@10 and MRR@10 on the developers' set (tuning two thirds and held-out third), the
 * follow-up set written after the independent audit (the same split), and the auditor's own set
 * (all held out, looked at in aggregate only), each held to a floor a little under what was
 * measured (BENCHMARKS.md and the catalogue README have the figures), and a ceiling on the share
 * of queries with judgements answered with nothing, so a change that makes search worse for
 * shoppers fails CI. The same sets run on Meilisearch when MEILI_URL is set, so the two adapters
 * can be compared; its figures are printed, its floors are looser (not yet measured here: no
 * Meilisearch server on the development machines).
 *
 * "Nothing-to-find" queries (no judgements) count as answered when no product has every word:
 * no results, or a looser query's results behind the notice saying so (see relaxation.ts).
 * The developers' floor for them is unchanged (0.8); all 16 are answered so today, 1 of them
 * with a looser query's results behind the notice.
 */

const FLOORS = {
  embedded: {
    tune: { ndcg: 0.97, mrr: 0.97 },
    heldout: { ndcg: 0.92, mrr: 0.93 },
    /** Of the issue-style shopper queries (one product each), how many find it in the top 3. */
    shopperTop3: 0.95,
    /** Of the queries no product answers, how many get no product with every word. */
    emptyWhenExpected: 0.8,
    // Measured 2026-12-04: follow-up 0.919 / 0.927 (tuning), 0.932 / 0.927 (held out); independent 0.912 / 0.937, 12/12.
    followup: { tune: { ndcg: 0.9, mrr: 0.9 }, heldout: { ndcg: 0.91, mrr: 0.9 }, emptyWhenExpected: 0.8 },
    independent: { ndcg: 0.89, mrr: 0.91, emptyWhenExpected: 0.9 },
    /** At most this share of the queries with judgements may get no results at all (the audit found 25 of 142; now 1 of 142, and 1 of the 74 follow-up ones). */
    gradedWithNothing: { followup: 0.06, independent: 0.03 },
  },
  meilisearch: {
    tune: { ndcg: 0.8, mrr: 0.8 },
    heldout: { ndcg: 0.8, mrr: 0.8 },
    shopperTop3: 0.7,
    emptyWhenExpected: 0.6,
    followup: { tune: { ndcg: 0.6, mrr: 0.6 }, heldout: { ndcg: 0.6, mrr: 0.6 }, emptyWhenExpected: 0.5 },
    independent: { ndcg: 0.6, mrr: 0.6, emptyWhenExpected: 0.5 },
    gradedWithNothing: { followup: 0.2, independent: 0.2 },
  },
};

const MEILI_URL = process.env['MEILI_URL'] || undefined;
const MEILI_API_KEY = process.env['MEILI_API_KEY'] || undefined;

async function* batches(documents: ProductDocument[], size = 2_000) {
  for (let start = 0; start < documents.length; start += size) yield documents.slice(start, start + size);
}

function report(engine: string, results: QueryResult[]): string {
  const lines = (['tune', 'heldout'] as const).map((split) => {
    const summary = summarize(results.filter((result) => result.query.split === split));
    return `${engine} ${split}: nDCG@10 ${summary.ndcg.toFixed(3)}, MRR@10 ${summary.mrr.toFixed(3)} over ${summary.queries} queries, ${summary.gradedWithNothing} answered with nothing; ${summary.emptyWhenExpected}/${summary.zeroQueries} nothing-to-find queries answered so (${summary.strictlyEmptyWhenExpected} with no results)`;
  });
  return lines.join('\n');
}

const ENGINES = [
  { name: 'embedded' as const, skip: undefined, create: async () => ({ index: new EmbeddedSearchIndex() as SearchIndex, cleanup: async () => {} }) },
  {
    name: 'meilisearch' as const,
    skip: MEILI_URL ? undefined : 'MEILI_URL is not set, so the judged set is not run on Meilisearch',
    create: async () => {
      const uid = `products_relevance_${randomBytes(4).toString('hex')}`;
      const client = new Meilisearch({ host: MEILI_URL!, ...(MEILI_API_KEY ? { apiKey: MEILI_API_KEY } : {}) });
      return {
        index: new MeilisearchIndex(MEILI_URL!, MEILI_API_KEY, uid) as SearchIndex,
        cleanup: async () => {
          await client.deleteIndexIfExists(uid);
          await client.deleteIndexIfExists(`${uid}_rebuild`);
        },
      };
    },
  },
];

describe('the judged sets themselves', () => {
  const documents = worldDocuments('medium');

  it('has at least 150 developers\' queries with graded judgements, English and nothing-to-find ones among them, a third held out', () => {
    expect(JUDGED_QUERIES.length).toBeGreaterThanOrEqual(150);
    expect(new Set(JUDGED_QUERIES.map((query) => query.id)).size).toBe(JUDGED_QUERIES.length);
    expect(JUDGED_QUERIES.filter((query) => query.language === 'en').length).toBeGreaterThanOrEqual(30);
    expect(JUDGED_QUERIES.filter(expectsNothing).length).toBeGreaterThanOrEqual(10);
    const heldOut = JUDGED_QUERIES.filter((query) => query.split === 'heldout').length;
    expect(heldOut / JUDGED_QUERIES.length).toBeCloseTo(1 / 3, 1);
  });

  it('judges real products: every developers\' query expecting results has products graded 3 in the corpus', async () => {
    for (const query of JUDGED_QUERIES.filter((q) => !expectsNothing(q))) {
      expect([...gradesOf(query, documents).values()].filter((grade) => grade === 3).length, `${query.id} ${query.query}`).toBeGreaterThan(0);
    }
  });

  it('has at least 60 follow-up queries, a third held out, each judging products the corpus has (seller and price predicates too)', () => {
    expect(FOLLOWUP_QUERIES.length).toBeGreaterThanOrEqual(60);
    expect(new Set([...JUDGED_QUERIES, ...FOLLOWUP_QUERIES].map((query) => query.id)).size).toBe(JUDGED_QUERIES.length + FOLLOWUP_QUERIES.length);
    expect(FOLLOWUP_QUERIES.filter((query) => query.split === 'heldout').length / FOLLOWUP_QUERIES.length).toBeCloseTo(1 / 3, 1);
    for (const query of FOLLOWUP_QUERIES.filter((q) => !expectsNothing(q))) expect(gradesOf(query, documents).size, `${query.id} ${query.query}`).toBeGreaterThan(0);
  });

  it('reads the independent set, all of it held out (its judgements are not looked at here beyond that they parse)', () => {
    expect(INDEPENDENT_QUERIES.length).toBe(154);
    expect(INDEPENDENT_QUERIES.every((query) => query.split === 'heldout' && query.tags.length > 0)).toBe(true);
  });
});

describe.each(ENGINES)('relevance on the judged sets: $name', (engine) => {
  let index: SearchIndex;
  let cleanup = async () => {};
  let documents: ProductDocument[] = [];
  let results: QueryResult[] = [];
  let followup: QueryResult[] = [];
  let independent: Promise<QueryResult[]> | undefined;
  const floors = FLOORS[engine.name];

  beforeAll(async () => {
    if (engine.skip) return;
    documents = worldDocuments('medium');
    ({ index, cleanup } = await engine.create());
    await index.prepare();
    await index.replaceAll(batches(documents));
    results = await evaluate(index, documents);
    followup = await evaluate(index, documents, FOLLOWUP_QUERIES);
    console.info(report(engine.name, results));
    console.info(report(`${engine.name} follow-up`, followup));
  }, 600_000);

  afterAll(async () => cleanup());

  describe.skipIf(Boolean(engine.skip))('measures', () => {
    it.each(['tune', 'heldout'] as const)('keeps nDCG@10 and MRR@10 of the developers\' %s queries above their floors', (split) => {
      const summary = summarize(results.filter((result) => result.query.split === split));
      expect(summary.ndcg).toBeGreaterThanOrEqual(floors[split].ndcg);
      expect(summary.mrr).toBeGreaterThanOrEqual(floors[split].mrr);
    });

    it('finds the one product of the shopper queries in the top 3', () => {
      const shopper = results.filter((result) => result.query.tags.includes('shopper') && !expectsNothing(result.query));
      const top3 = shopper.filter((result) => result.firstExact !== null && result.firstExact <= 3);
      const missed = shopper.filter((result) => !top3.includes(result)).map((result) => `${result.query.query} (${result.firstExact ?? 'not in 50'})`);
      expect(top3.length / shopper.length, `missed: ${missed.join(', ')}`).toBeGreaterThanOrEqual(floors.shopperTop3);
    });

    it('answers that no product has every word for queries no product answers, mostly with a suggestion', () => {
      const summary = summarize(results);
      expect(summary.emptyWhenExpected / summary.zeroQueries).toBeGreaterThanOrEqual(floors.emptyWhenExpected);
    });

    it.each(['tune', 'heldout'] as const)('keeps nDCG@10 and MRR@10 of the follow-up %s queries above their floors, and answers nearly all of them', (split) => {
      const summary = summarize(followup.filter((result) => result.query.split === split));
      expect(summary.ndcg).toBeGreaterThanOrEqual(floors.followup[split].ndcg);
      expect(summary.mrr).toBeGreaterThanOrEqual(floors.followup[split].mrr);
      expect(summary.gradedWithNothing / summary.queries).toBeLessThanOrEqual(floors.gradedWithNothing.followup);
    });

    it('answers that no product has every word for the follow-up queries no product answers', () => {
      const summary = summarize(followup);
      expect(summary.emptyWhenExpected / summary.zeroQueries).toBeGreaterThanOrEqual(floors.followup.emptyWhenExpected);
    });

    // The auditor's set is held out: measured in aggregate only, its queries never listed.
    it('keeps nDCG@10 and MRR@10 of the independent set above their floors, and answers nearly all of its queries', async () => {
      independent ??= evaluate(index, documents, INDEPENDENT_QUERIES);
      const summary = summarize(await independent);
      console.info(`${engine.name} independent (aggregate): nDCG@10 ${summary.ndcg.toFixed(3)}, MRR@10 ${summary.mrr.toFixed(3)} over ${summary.queries} queries; ${summary.gradedWithNothing} answered with nothing; ${summary.emptyWhenExpected}/${summary.zeroQueries} nothing-to-find queries answered so (${summary.strictlyEmptyWhenExpected} with no results)`);
      expect(summary.ndcg).toBeGreaterThanOrEqual(floors.independent.ndcg);
      expect(summary.mrr).toBeGreaterThanOrEqual(floors.independent.mrr);
      expect(summary.gradedWithNothing / summary.queries).toBeLessThanOrEqual(floors.gradedWithNothing.independent);
      expect(summary.emptyWhenExpected / summary.zeroQueries).toBeGreaterThanOrEqual(floors.independent.emptyWhenExpected);
    }, 120_000);
  });
});
