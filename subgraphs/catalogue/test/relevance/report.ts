import { analyzeQuery } from '../../src/modules/search/analyzer.ts';
import { EmbeddedSearchIndex } from '../../src/modules/search/embedded-index.ts';
import { evaluate, summarize, worldDocuments } from './judged-set.ts';

/**
 * For whoever works on ranking: `node subgraphs/catalogue/test/relevance/report.ts` prints the
 * judged set's figures on the tuning part and every tuning query below nDCG 0.95;
 * `--heldout` adds the held-out part (look at it only to report, not to tune);
 * `--query "madu gersik"` shows the first ten results of any query.
 */
const args = process.argv.slice(2);
const documents = worldDocuments('medium');
const index = new EmbeddedSearchIndex();
await index.replaceAll((async function* () {
  yield documents;
})());

const queryAt = args.indexOf('--query');
if (queryAt >= 0) {
  const byId = new Map(documents.map((doc) => [doc.id, doc]));
  const terms = analyzeQuery(args[queryAt + 1] ?? '');
  const response = await index.search({ terms, filters: {}, sort: 'RELEVANCE', page: 1, pageSize: 10 });
  console.log(terms.map((term) => `${term.canonical} [${term.forms.join(', ')}]`).join(' · '));
  console.log(`${response.total} results; suggestion ${JSON.stringify(response.suggestion)}`);
  for (const hit of response.hits) {
    const doc = byId.get(hit.id)!;
    console.log(`  ${doc.name} | ${doc.nameEnglish} | ${doc.regencyName}${doc.inStock ? '' : ' (sold out)'}`);
  }
} else {
  const results = await evaluate(index, documents);
  for (const split of args.includes('--heldout') ? (['tune', 'heldout'] as const) : (['tune'] as const)) {
    console.log(split, summarize(results.filter((result) => result.query.split === split)));
  }
  for (const result of results.filter((r) => r.query.split === 'tune' && (r.ndcg < 0.95 || r.total === 0))) {
    console.log([result.query.id, result.query.query.padEnd(36), result.ndcg.toFixed(2), result.rr.toFixed(2), result.firstExact ?? '–', result.total, JSON.stringify(result.suggestion)].join('\t'));
  }
}
