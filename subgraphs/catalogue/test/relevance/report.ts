import { EmbeddedSearchIndex } from '../../src/modules/search/embedded-index.ts';
import { queryRequest } from '../../src/modules/search/search.input.ts';
import { evaluate, FOLLOWUP_QUERIES, INDEPENDENT_QUERIES, JUDGED_QUERIES, summarize, worldDocuments } from './judged-set.ts';

/**
 * For whoever works on ranking: `node subgraphs/catalogue/test/relevance/report.ts` prints the
 * judged set's figures on the tuning part and every tuning query below nDCG 0.95;
 * `--followup` does the same for the follow-up set; `--heldout` adds the held-out part (look at
 * it only to report, not to tune); `--independent` prints the auditor's set in aggregate only;
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
  const request = queryRequest(args[queryAt + 1] ?? '', { pageSize: 10 });
  const response = await index.search(request);
  console.log(request.terms.map((term) => `${term.canonical} [${term.forms.join(', ')}]`).join(' · '));
  console.log(`${response.total} results; suggestion ${JSON.stringify(response.suggestion)}; relaxation ${JSON.stringify(response.relaxation)}`);
  for (const hit of response.hits) {
    const doc = byId.get(hit.id)!;
    console.log(`  ${doc.name} | ${doc.nameEnglish} | ${doc.regencyName} | ${doc.sellerName} | Rp ${doc.priceRupiah}${doc.inStock ? '' : ' (sold out)'}`);
  }
} else if (args.includes('--independent')) {
  // The auditor's set is held out: its figures only in aggregate, never query by query.
  console.log('independent (aggregate only)', summarize(await evaluate(index, documents, INDEPENDENT_QUERIES)));
} else {
  const queries = args.includes('--followup') ? FOLLOWUP_QUERIES : JUDGED_QUERIES;
  const results = await evaluate(index, documents, queries);
  for (const split of args.includes('--heldout') ? (['tune', 'heldout'] as const) : (['tune'] as const)) {
    console.log(split, summarize(results.filter((result) => result.query.split === split)));
  }
  for (const result of results.filter((r) => r.query.split === 'tune' && (r.ndcg < 0.95 || r.total === 0))) {
    console.log([result.query.id, result.query.query.padEnd(36), result.ndcg.toFixed(2), result.rr.toFixed(2), result.firstExact ?? '–', result.total, JSON.stringify(result.suggestion)].join('\t'));
  }
}
