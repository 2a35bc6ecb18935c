import { EAST_JAVA_REGENCIES } from '@opop/identifiers';
import {
  AFFIXES,
  CATEGORY_HINTS,
  FILLER_WORDS,
  MEASURE_WORDS,
  NARROWER,
  PLACE_ALIASES,
  PRICE_WORDS,
  PROTECTED_ROOTS,
  SPELLING_VARIANTS,
  STOPWORDS,
  SYNONYM_GROUPS,
  typoBudget,
} from './vocabulary.ts';

/**
 * Indonesian-aware text analysis, shared by both search adapters so they agree on what a query
 * means: normalisation, affix stripping, spelling variants, place names and their typos,
 * synonyms and translations, fixed phrases. Pure functions over the vocabulary data; no search
 * engine in here.
 */

/** Spellings from before the 1972 reform that older packaging and people still use. */
const OLD_SPELLINGS: Readonly<Record<string, string>> = { dj: 'j', tj: 'c', sj: 'sy', oe: 'u' };
const OLD_SPELLING = /dj|tj|sj|oe/g;
const NON_ASCII = /[^\x00-\x7f]/;
/** Characters that join or break nothing visible: "ma\u200Bdu" is madu. */
const INVISIBLE = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;
const MARKUP = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>|<\/?[a-z][^>]*>/gi;
/** A thousands separator: 1.500 ml and Rp 50.000 are one number. */
const THOUSANDS = /(\d)[.,](?=\d{3}(?:\D|$))/g;

/**
 * Lower case, no accents, punctuation or markup, old spellings modernised, "enakkk" → "enak",
 * invisible characters removed, "1.500" one number, and numbers apart from the words they are
 * typed against ("600ml" → 600 ml, "60x90" → 60 x 90).
 */
export function normalize(text: string): string {
  // Indexing normalises every field of every product: plain ASCII skips the Unicode work.
  let value = NON_ASCII.test(text) ? text.replace(INVISIBLE, '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : text;
  if (value.includes('<')) value = value.replace(MARKUP, ' ');
  value = value.toLowerCase().replace(/['’`]/g, '').replace(THOUSANDS, '$1').replace(/[^a-z0-9]+/g, ' ').replace(OLD_SPELLING, (old) => OLD_SPELLINGS[old]!);
  return value.replace(/([a-z])\1{2,}/g, '$1').replace(/(\d)(?=[a-z])|([a-z])(?=\d)/g, '$1$2 ').trim();
}

export const isStopword = (word: string) => STOPWORDS.has(word);

/**
 * Normalised words without function words; a reduplication (kue-kue) counts once, and a
 * reduplicated function word is a word of its own ("oleh-oleh", souvenirs, is not "oleh", by).
 */
export function tokenize(text: string): string[] {
  const words = normalize(text).split(' ');
  const tokens: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    if (!word) continue;
    if (isStopword(word)) {
      if (words[index + 1] === word) tokens.push(word + words[++index]);
      continue;
    }
    if (word !== tokens[tokens.length - 1]) tokens.push(word);
  }
  return tokens;
}

/**
 * The word and the roots it may have been formed from: "kerajinan" → kerajinan, kerajin, rajin;
 * "pemasaran" → pemasaran, pemasar, pasar, masar. Without a dictionary the stripper cannot always
 * tell which root is right, so it keeps every plausible one: documents and queries are analysed
 * alike, so shared roots meet. Roots that merely look affixed (keripik, telur) are left alone.
 */
export function stems(word: string): string[] {
  const found = new Set([word]);
  if (word.length < AFFIXES.minWordLength || PROTECTED_ROOTS.has(word) || /\d/.test(word)) return [...found];
  let base = word;
  const particle = AFFIXES.particles.find((suffix) => base.endsWith(suffix) && base.length - suffix.length >= 4);
  if (particle) {
    base = base.slice(0, -particle.length);
    found.add(base);
  }
  // "-kan" and "-an" overlap (peternakan is peternak + an, not peterna + kan): keep both readings.
  const bases = [base];
  if (!PROTECTED_ROOTS.has(base)) {
    for (const suffix of AFFIXES.suffixes) {
      if (base.endsWith(suffix) && base.length - suffix.length >= 4) bases.push(base.slice(0, -suffix.length));
    }
  }
  for (const candidate of bases) found.add(candidate);
  let layer = bases;
  for (let depth = 0; depth < 2; depth++) {
    const next: string[] = [];
    for (const candidate of layer) if (!PROTECTED_ROOTS.has(candidate)) next.push(...stripPrefix(candidate));
    for (const stem of next) found.add(stem);
    layer = next;
  }
  return [...found];
}

/** The roots the first prefix rule that fits may have left; none when no rule fits. */
function stripPrefix(word: string): string[] {
  for (const rule of AFFIXES.prefixes) {
    for (const prefix of rule.prefixes) {
      if (!word.startsWith(prefix) || word.length === prefix.length || (rule.next !== '*' && !rule.next.includes(word[prefix.length]!))) continue;
      const rest = word.slice(prefix.length);
      return rule.restore.map((start) => start + rest).filter((root) => root.length >= rule.minRoot);
    }
  }
  return [];
}

/** Three rows of the distance table, reused: query analysis measures every word against every regency name. */
let editRows = new Int32Array(96);

/** Optimal string alignment distance: edits where swapping two neighbours counts as one. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const width = b.length + 1;
  if (editRows.length < 3 * width) editRows = new Int32Array(6 * width);
  const rows = editRows;
  for (let j = 0; j <= b.length; j++) rows[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = (i % 3) * width;
    const above = ((i - 1) % 3) * width;
    const twoAbove = ((i + 1) % 3) * width;
    rows[row] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let best = Math.min(rows[above + j]! + 1, rows[row + j - 1]! + 1, rows[above + j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) best = Math.min(best, rows[twoAbove + j - 2]! + 1);
      rows[row + j] = best;
    }
  }
  return rows[(a.length % 3) * width + b.length]!;
}

/**
 * Typos between what was typed and a word, as Meilisearch counts them: edits, a swap of
 * neighbours as one, and a wrong first letter as two (people rarely miss the first letter, so
 * such a "typo" is usually another word).
 */
export function typoCount(typed: string, word: string, limit: number): number {
  const distance = editDistance(typed, word, limit);
  return distance > 0 && typed[0] !== word[0] ? distance + 1 : distance;
}

const REGENCY_NAMES: readonly string[] = [...new Set(EAST_JAVA_REGENCIES.map((regency) => normalize(regency.name)))];
const KNOWN_PLACES = new Set(REGENCY_NAMES);

/**
 * The regency a word names, and the typos it took to get there: "gersik" → gresik (a swap),
 * "sidoharjo" → sidoarjo (an alias), "tulungagung" typed as one word or joined from two.
 * Short words must match exactly, so "batu" is the city and "tuba" nothing.
 */
export function placeOf(token: string): { name: string; typos: number } | undefined {
  const word = PLACE_ALIASES[token] ?? token;
  if (KNOWN_PLACES.has(word)) return { name: word, typos: 0 };
  const allowed = typoBudget(word);
  if (allowed === 0) return undefined;
  const scored = REGENCY_NAMES.map((name) => ({ name, typos: typoCount(word, name, allowed) })).filter((match) => match.typos <= allowed);
  if (scored.length === 0) return undefined;
  const best = Math.min(...scored.map((match) => match.typos));
  const winners = scored.filter((match) => match.typos === best);
  return winners.length === 1 ? winners[0] : undefined;
}

export const regencyOf = (token: string): string | undefined => placeOf(token)?.name;

/** A phrase as one index token: "air mineral" → "airmineral". */
export const joined = (phrase: string): string => tokenize(phrase).join('');

/**
 * Fixed phrases the vocabulary names (kayu putih, air mineral, chili sauce) and "kota …" place
 * names: documents index each also as one token where its words stand together, and a query's
 * words that form one are read as that token, so the phrase matches as a whole.
 */
const PHRASES: ReadonlyMap<string, string> = (() => {
  const phrases = new Map<string, string>();
  const add = (text: string) => {
    const words = tokenize(text);
    if (words.length > 1) phrases.set(words.join(''), words.join(' '));
  };
  for (const group of SYNONYM_GROUPS) group.forEach(add);
  for (const [broad, narrow] of NARROWER) [broad, ...narrow].forEach(add);
  for (const word of CATEGORY_HINTS.keys()) add(word);
  for (const regency of EAST_JAVA_REGENCIES) if (regency.kind === 'KOTA') add(`kota ${regency.name}`);
  return phrases;
})();
const MAX_PHRASE_WORDS = 3;

const SYNONYMS = new Map<string, Set<string>>();
for (const group of SYNONYM_GROUPS) {
  const tokens = group.map(joined);
  for (const token of tokens) {
    const known = SYNONYMS.get(token) ?? new Set<string>();
    for (const other of tokens) known.add(other);
    SYNONYMS.set(token, known);
  }
}
const NARROWER_TOKENS = new Map([...NARROWER].map(([broad, narrow]) => [joined(broad), narrow.map(joined)]));
const CATEGORY_TOKENS = new Map([...CATEGORY_HINTS].map(([word, category]) => [joined(word), category]));

/** Every word a word finds as a synonym or translation, itself included (as index tokens). */
export function synonymsOf(word: string): readonly string[] {
  return [...(SYNONYMS.get(word) ?? [word])];
}

/** The standard spelling of a word, or the regency it names or misspells. */
export function canonical(token: string): string {
  return SPELLING_VARIANTS[token] ?? placeOf(token)?.name ?? token;
}

export interface IndexedToken {
  term: string;
  /** Word position in the text, after function words are dropped. */
  position: number;
  /** A standard spelling or root the analyser derived, not the text's own word. */
  derived: boolean;
}

/**
 * The forms a word of a text is also indexed under (its standard spelling and roots), memoised:
 * a catalogue uses a few thousand distinct words, each in thousands of products. The memo is
 * emptied when it grows past a bound, so odd text cannot grow it without limit.
 */
const DERIVED = new Map<string, readonly string[]>();
const MAX_DERIVED = 200_000;

function derivedForms(word: string): readonly string[] {
  let forms = DERIVED.get(word);
  if (!forms) {
    const standard = SPELLING_VARIANTS[word] ?? PLACE_ALIASES[word];
    const found = new Set(stems(standard ?? word));
    if (standard) found.add(standard);
    found.delete(word);
    forms = [...found];
    if (DERIVED.size >= MAX_DERIVED) DERIVED.clear();
    DERIVED.set(word, forms);
  }
  return forms;
}

/** The tokens a text is indexed under: its words and phrases, their standard spellings and roots, at their positions. */
export function indexTokens(text: string): IndexedToken[] {
  const words = tokenize(text);
  const tokens: IndexedToken[] = [];
  words.forEach((word, position) => {
    tokens.push({ term: word, position, derived: false });
    for (const form of derivedForms(word)) tokens.push({ term: form, position, derived: true });
    for (let length = 2; length <= MAX_PHRASE_WORDS && position + length <= words.length; length++) {
      const phrase = words.slice(position, position + length).join('');
      if (PHRASES.has(phrase)) tokens.push({ term: phrase, position, derived: false });
    }
  });
  return tokens;
}

/** The distinct terms a text is indexed under (for engines that take a list of words). */
export function indexTerms(text: string): string[] {
  return [...new Set(indexTokens(text).map((token) => token.term))];
}

/** How a query word reached an index token; only `exact` counts for the exactness rule. */
export type VariantKind = 'exact' | 'spelling' | 'place' | 'affix' | 'synonym';

export interface Variant {
  word: string;
  kind: VariantKind;
  /** Typos it took (a misspelt place name); the engine adds its own fuzzy matches. */
  typos: number;
}

export interface QueryTerm {
  /** The word (or the words of a phrase) as the shopper typed it, normalised. */
  typed: string;
  /** What we take it to mean: the standard spelling, the regency it names, the phrase. */
  canonical: string;
  /** Every index token that counts as this term, each once, at its cheapest reading. */
  variants: Variant[];
  /** The variants' words. */
  forms: string[];
  /** Words whose occurrence in a text shows this term matched (a phrase's own words too). */
  highlight: string[];
  /** Set when the term names a regency. */
  regency: string | undefined;
  /** Whether the engine may also match it with typos or as a prefix: single typed words only. */
  fuzzy: boolean;
  /** The category the vocabulary files the word under, if any. */
  category: string | undefined;
  /** A number or a word that only qualifies one (600, ml, isi): never all a shortened query keeps. */
  measure: boolean;
  /** A word the vocabulary knows (a synonym, translation, spelling or category word): not a misspelling. */
  known: boolean;
  /** Half of a word typed together with another ("kopibondowoso"): matched only as written, without typos or prefixes. */
  exactOnly?: boolean;
}

/** At most this many terms of a query are used; the rest of a pasted paragraph is ignored. */
export const MAX_QUERY_TERMS = 12;

/**
 * Query words with phrases and split place names joined, and filler (jual, murah, saya mau)
 * dropped: filler only where it stands alone, so a place typed apart keeps its parts ("lamon
 * gan" is Lamongan though "gan" is a way to address the seller).
 */
function queryTokens(query: string): { token: string; words: string[] }[] {
  const words = tokenize(query);
  const tokens: { token: string; words: string[] }[] = [];
  for (let index = 0; index < words.length; ) {
    let taken = 1;
    let token = words[index]!;
    for (let length = Math.min(MAX_PHRASE_WORDS, words.length - index); length >= 2; length--) {
      const parts = words.slice(index, index + length);
      const together = parts.join('');
      // A vocabulary phrase (its English plural too: "prayer caps"), or a place typed in two words ("tulung agung", "banyu wangi").
      const phrase = PHRASES.has(together) ? together : pluralForms(together).find((form) => PHRASES.has(form));
      if (phrase || (parts.every((part) => !KNOWN_PLACES.has(part)) && placeOf(together))) {
        taken = length;
        token = phrase ?? together;
        break;
      }
    }
    const parts = words.slice(index, index + taken);
    index += taken;
    if (taken === 1 && FILLER_WORDS.has(token)) continue;
    // The same word typed twice, or pasted ten times, is one term.
    if (!tokens.some((known) => known.token === token)) tokens.push({ token, words: parts });
  }
  return tokens.slice(0, MAX_QUERY_TERMS);
}

/** Every word the vocabulary knows, as index tokens: synonyms and translations, broad words and their kinds, category words, spellings. */
const VOCABULARY_WORDS: ReadonlySet<string> = new Set([
  ...SYNONYMS.keys(),
  ...[...NARROWER_TOKENS].flatMap(([broad, narrow]) => [broad, ...narrow]),
  ...CATEGORY_TOKENS.keys(),
  ...Object.keys(SPELLING_VARIANTS),
  ...Object.values(SPELLING_VARIANTS),
]);

export const isVocabularyWord = (token: string): boolean => VOCABULARY_WORDS.has(token);

/**
 * The words a query term may not be matched with typos for (vocabulary words and regency
 * names, which the analyser reads itself), for Meilisearch's `typoTolerance.disableOnWords`.
 */
export function vocabularyWords(): string[] {
  return [...new Set([...VOCABULARY_WORDS, ...REGENCY_NAMES])].sort();
}

/**
 * The singular of an English plural the vocabulary knows only in the singular ("headscarves" →
 * headscarf, "calligraphies" → calligraphy); typo tolerance forgives one letter, not "-ves".
 */
function singular(word: string): string | undefined {
  if (word.length < 4 || VOCABULARY_WORDS.has(word)) return undefined;
  return pluralForms(word).find((candidate) => SYNONYMS.has(candidate));
}

/** What an English plural may be the plural of: calligraphies → calligraphy, headscarves → headscarf or headscarfe, boxes → box, caps → cap. */
function pluralForms(word: string): string[] {
  if (!word.endsWith('s')) return [];
  return [word.replace(/ies$/, 'y'), word.replace(/ves$/, 'f'), word.replace(/ves$/, 'fe'), word.replace(/es$/, ''), word.slice(0, -1)].filter((form) => form !== word);
}

const isMeasure = (token: string) => /^\d+$/.test(token) || MEASURE_WORDS.has(token);

/** A seller's name without the words that name products ("Amanah Food" is a brand, not food): what seller names are searched under. */
export function sellerKeywords(name: string): string {
  return tokenize(name)
    .filter((word) => !VOCABULARY_WORDS.has(word))
    .join(' ');
}

export function analyzeQuery(query: string): QueryTerm[] {
  return queryTokens(query).map(({ token, words }) => {
    const variants = new Map<string, Variant>();
    const add = (word: string, kind: VariantKind, typos = 0) => {
      const known = variants.get(word);
      if (!known || typos < known.typos || (typos === known.typos && kind === 'exact')) variants.set(word, { word, kind, typos });
    };
    add(token, 'exact');
    const spelling = SPELLING_VARIANTS[token] ?? singular(token);
    if (spelling) add(spelling, 'spelling');
    const place = placeOf(token);
    if (place) add(place.name, 'place', place.typos);
    const standard = spelling ?? place?.name ?? token;
    // Roots only of words the vocabulary does not know: "perlengkapan" may be "lengkap", "kerajinan" is a word of its own.
    const roots = words.length === 1 && !VOCABULARY_WORDS.has(standard) ? stems(standard) : [standard];
    for (const root of roots) if (root !== token && root !== standard) add(root, 'affix');
    // A broad word finds its kinds, and so do its synonyms and translations ("drinks" finds kopi as "minuman" does).
    for (const word of new Set([token, standard, ...roots.filter((root) => SYNONYMS.has(root))])) {
      for (const synonym of synonymsOf(word)) {
        add(synonym, 'synonym');
        for (const narrower of NARROWER_TOKENS.get(synonym) ?? []) add(narrower, 'synonym');
      }
    }
    const canonicalText = PHRASES.get(standard) ?? (words.length > 1 && !place ? words.map((word) => SPELLING_VARIANTS[word] ?? word).join(' ') : standard);
    return {
      typed: words.join(' '),
      canonical: canonicalText,
      variants: [...variants.values()],
      forms: [...variants.keys()],
      highlight: [...new Set([...variants.keys(), ...words, ...[...variants.keys()].flatMap((word) => PHRASES.get(word)?.split(' ') ?? [])])],
      regency: place?.name,
      fuzzy: words.length === 1,
      category: [token, standard, ...synonymsOf(standard)].map((word) => CATEGORY_TOKENS.get(word)).find(Boolean),
      measure: words.every(isMeasure),
      known: VOCABULARY_WORDS.has(standard) || Boolean(place),
    };
  });
}

/** What a shopper's query asks for: the terms to match, and what its words say beside products. */
export interface QueryIntent {
  terms: QueryTerm[];
  /**
   * Something was typed but nothing in it can name a product (punctuation, emoji, another
   * script, filler alone such as "murah" or "original"): nothing matches. An empty query browses.
   */
  nothingToSearch: boolean;
  /** A price ceiling typed in words ("di bawah 50 ribu", "under 50k"): a filter. */
  maxPriceRupiah: number | undefined;
  /** "murah", "cheap": the cheaper first among equally relevant products. */
  cheapestFirst: boolean;
}

/** A ceiling word, an amount and perhaps its unit; not an amount of something else ("di bawah 60 cm"). */
const PRICE_CEILING = new RegExp(
  `(?:^| )(?:${PRICE_WORDS.ceilings.map((words) => normalize(words)).join('|')}) (?:rp )?(\\d+)(?: (${Object.keys(PRICE_WORDS.units).join('|')}))?(?= |$)(?! (?:${[...MEASURE_WORDS].filter((word) => !(word in PRICE_WORDS.units)).join('|')})(?: |$))`,
  'g',
);

export function understandQuery(query: string): QueryIntent {
  let maxPriceRupiah: number | undefined;
  // "< 50rb" is a ceiling too; markup ("<b>") is not a number.
  const text = normalize(query.replace(/<\s*(?=(?:rp\.?\s*)?\d)/gi, ' under ')).replace(PRICE_CEILING, (_match, amount: string, unit: string | undefined) => {
    const value = Number(amount) * (unit ? PRICE_WORDS.units[unit]! : Number(amount) < 1_000 ? 1_000 : 1);
    maxPriceRupiah = Math.min(maxPriceRupiah ?? Infinity, value);
    return ' ';
  });
  const terms = analyzeQuery(text);
  const typed = query.replace(INVISIBLE, '').trim().length > 0;
  return {
    terms,
    nothingToSearch: typed && terms.length === 0 && maxPriceRupiah === undefined,
    maxPriceRupiah,
    cheapestFirst: tokenize(text).some((word) => PRICE_WORDS.cheapest.has(word)),
  };
}
