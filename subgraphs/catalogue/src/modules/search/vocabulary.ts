import affixes from './vocabulary/affixes.json' with { type: 'json' };
import places from './vocabulary/places.json' with { type: 'json' };
import prices from './vocabulary/prices.json' with { type: 'json' };
import spellings from './vocabulary/spellings.json' with { type: 'json' };
import stopwords from './vocabulary/stopwords.json' with { type: 'json' };
import synonyms from './vocabulary/synonyms.json' with { type: 'json' };

/**
 * The words shoppers use for our products, Indonesian and English, as data (the JSON files in
 * vocabulary/, each explained in its $comment). Both search engines are configured from these:
 * the embedded index through the analyser, Meilisearch through its synonyms and stop words.
 */

/** Interchangeable words and fixed phrases: searching one finds the others. */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = synonyms.groups;

/** One-way: a broad word (or place) that also finds its kinds, never the reverse. */
export const NARROWER: ReadonlyMap<string, readonly string[]> = new Map(Object.entries(synonyms.narrower));

/** The category a word belongs to, for words no product carries yet. */
export const CATEGORY_HINTS: ReadonlyMap<string, string> = new Map(Object.entries(synonyms.categories));

/** Other spellings of a word, mapped to the one our products use. */
export const SPELLING_VARIANTS: Readonly<Record<string, string>> = spellings.variants;

/** Other names of regencies (abbreviations, Javanese forms), mapped to the official name. */
export const PLACE_ALIASES: Readonly<Record<string, string>> = places.aliases;

/** Words that look affixed but are roots. */
export const PROTECTED_ROOTS: ReadonlySet<string> = new Set(affixes.protectedRoots);

export interface PrefixRule {
  prefixes: readonly string[];
  /** Letters that may follow the prefix; '*' for any. */
  next: string;
  /** What the prefix may have replaced at the root's start ('' for nothing). */
  restore: readonly string[];
  minRoot: number;
}

export const AFFIXES: { particles: readonly string[]; suffixes: readonly string[]; minWordLength: number; prefixes: readonly PrefixRule[] } = affixes;

/** Function words: neither indexed nor searched. */
export const STOPWORDS: ReadonlySet<string> = new Set(stopwords.functionWords);

/** Marketplace and conversational filler (jual, murah, asli, saya mau beli): dropped from queries, still indexed. */
export const FILLER_WORDS: ReadonlySet<string> = new Set(stopwords.fillerWords);

/** Words that only qualify a number (ml, kg, isi): never all a shortened query keeps. */
export const MEASURE_WORDS: ReadonlySet<string> = new Set(stopwords.measureWords);

/** Prices typed as words: ceiling words before an amount, amount units, and words asking for the cheapest. */
export const PRICE_WORDS: { ceilings: readonly string[]; units: Readonly<Record<string, number>>; cheapest: ReadonlySet<string> } = {
  ceilings: prices.ceilings,
  units: prices.units,
  cheapest: new Set(prices.cheapest),
};

/**
 * How many typos a query word may carry, by its length: Meilisearch's defaults (one from five
 * letters, two from nine), so both engines forgive the same slips.
 */
export const TYPO_TOLERANCE = { oneTypo: 5, twoTypos: 9 } as const;

export function typoBudget(word: string): number {
  return word.length >= TYPO_TOLERANCE.twoTypos ? 2 : word.length >= TYPO_TOLERANCE.oneTypo ? 1 : 0;
}
