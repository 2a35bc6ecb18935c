import { analyzeQuery, type QueryTerm } from './analyzer.ts';
import type { SearchRelaxation } from './search-index.ts';

/**
 * What to search when a query's words find nothing together, decided the same way for both
 * adapters from how many products each candidate query matches (the embedded index counts by
 * matching, Meilisearch by one multi-search per step):
 *
 * 1. A word that finds nothing alone and is long enough is tried split in two at every place
 *    ("kopibondowoso" → kopi bondowoso, "maduhutan" → madu hutan); the split that finds the most
 *    products replaces it, its halves matched as written. Meilisearch splits words too, but only
 *    into words standing next to each other in a text; "kopi" in a name and "bondowoso" in the
 *    regency are not.
 * 2. Words that still find nothing alone are left out ("kopi luwak" → kopi).
 * 3. While the rest still find nothing together, words are left out from the end, as
 *    Meilisearch's `last` matching strategy does ("keripik tempe kedelai hitam" → keripik tempe),
 *    numbers and measures before words.
 *
 * A relaxed query keeps at least one word that names something besides a place, a number or a
 * measure: "tahu kediri" does not become every product of Kediri, nor "iphone 15" every "15 kg".
 * The query that is run and the words left out are reported, so the shopper is told.
 */

export interface MatchCounter {
  /** How many products match every term of each list. */
  count(lists: readonly (readonly QueryTerm[])[]): Promise<number[]> | number[];
  /** Whether some product matches each term alone; engines may stop at the first product found. */
  some(terms: readonly QueryTerm[]): Promise<boolean[]> | boolean[];
  /** The index of the first list some product matches every term of, or −1; engines may stop at the first. */
  first(lists: readonly (readonly QueryTerm[])[]): Promise<number> | number;
}

export interface RelaxedQuery {
  terms: QueryTerm[];
  relaxation: SearchRelaxation;
}

/** Words shorter than this are never split: every half must be a word of three letters or more. */
const MIN_SPLIT_LENGTH = 6;
const MIN_PART = 3;

/** Whether a term names something a shortened query may be about on its own. */
const namesSomething = (term: QueryTerm) => !term.measure && !term.regency;

/** The ways a word typed together may be two: each split of the word into halves the analyser reads as two words (or one phrase). */
export function splitsOf(term: QueryTerm): QueryTerm[][] {
  if (!term.fuzzy || term.exactOnly || term.known || term.measure || term.regency || /\d/.test(term.typed) || term.typed.length < MIN_SPLIT_LENGTH) return [];
  const splits: QueryTerm[][] = [];
  for (let at = MIN_PART; at <= term.typed.length - MIN_PART; at++) {
    const halves = `${term.typed.slice(0, at)} ${term.typed.slice(at)}`;
    const parts = analyzeQuery(halves);
    // Both halves must survive as words: "dikopi" is not "di" (a function word) and kopi.
    if (parts.map((part) => part.typed).join(' ') !== halves) continue;
    splits.push(parts.map((part) => ({ ...part, fuzzy: false, exactOnly: true })));
  }
  return splits;
}

/**
 * The query to run instead of `terms`, which found nothing together; null when nothing
 * sensible finds anything (then the answer is empty, with a suggestion).
 */
export async function relaxQuery(terms: readonly QueryTerm[], counter: MatchCounter): Promise<RelaxedQuery | null> {
  if (terms.length === 0) return null;
  const alone = await counter.some(terms);
  // Step 1: words typed together. Halves that find nothing alone rule their splits out before any is counted whole.
  const splits = terms.map((term, index) => (alone[index] ? [] : splitsOf(term)));
  const halves = [...new Map(splits.flat(2).map((half) => [half.canonical, half])).values()];
  const halvesFound = halves.length ? await counter.some(halves) : [];
  const foundAlone = new Set(halves.filter((_, index) => halvesFound[index]).map((half) => half.canonical));
  splits.forEach((options, index) => (splits[index] = options.filter((option) => option.every((half) => foundAlone.has(half.canonical)))));
  const candidates = splits.flat();
  const found = candidates.length ? await counter.count(candidates) : [];
  let offset = 0;
  const kept: QueryTerm[] = [];
  const ignored: string[] = [];
  terms.forEach((term, index) => {
    const options = splits[index]!;
    let best = -1;
    for (let option = 0; option < options.length; option++) {
      if (found[offset + option]! > 0 && (best < 0 || found[offset + option]! > found[offset + best]!)) best = option;
    }
    offset += options.length;
    if (alone[index]) kept.push(term);
    else if (best >= 0) kept.push(...options[best]!);
    else ignored.push(term.typed); // Step 2.
  });
  if (!kept.some(namesSomething)) return null;
  // Step 3: leave words out from the end, numbers and measures first ("500 gram" qualifies, it
  // names nothing), never the last word that names something. (Tried on the tuning queries:
  // Meilisearch's `frequency` order, the most common word first, did worse than `last`.)
  const shorter: QueryTerm[][] = [kept];
  for (let current = kept; current.length > 1; ) {
    const droppable = current.filter((term) => !namesSomething(term) || current.filter(namesSomething).length > 1);
    if (droppable.length === 0) break;
    const measures = droppable.filter((term) => term.measure);
    const drop = (measures.length ? measures : droppable).at(-1)!;
    current = current.filter((term) => term !== drop);
    shorter.push(current);
  }
  // A single word kept is known to find products (it did alone): only longer queries are counted.
  const single = shorter.findIndex((list) => list.length === 1);
  const counted = single >= 0 ? shorter.slice(0, single) : shorter;
  let first = counted.length ? await counter.first(counted) : -1;
  if (first < 0) first = single;
  if (first < 0) return null;
  const chosen = shorter[first]!;
  for (const term of kept) if (!chosen.includes(term)) ignored.push(term.typed);
  return {
    terms: chosen,
    relaxation: { query: chosen.map((term) => term.canonical).join(' '), ignoredWords: [...new Set(ignored)].sort((a, b) => order(terms, a) - order(terms, b)) },
  };
}

/** Where a typed word stands in the query, so the words left out are listed as they were typed. */
const order = (terms: readonly QueryTerm[], typed: string) => terms.findIndex((term) => term.typed === typed || typed.startsWith(`${term.typed} `));
