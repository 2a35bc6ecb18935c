import { EAST_JAVA_REGENCIES } from '@opop/identifiers';
import { PROTECTED_ROOTS, SPELLING_VARIANTS, STOPWORDS, SYNONYM_GROUPS } from './vocabulary.ts';

/**
 * Indonesian-aware text analysis, shared by both search adapters so they agree on what a query
 * means: normalisation, light affix stripping, spelling variants, regency-name typos and
 * synonyms. Pure functions; no search engine in here.
 */

/** Spellings from before the 1972 reform that older packaging and people still use. */
const OLD_SPELLINGS: Readonly<Record<string, string>> = { dj: 'j', tj: 'c', sj: 'sy', oe: 'u' };
const OLD_SPELLING = /dj|tj|sj|oe/g;
const NON_ASCII = /[^\x00-\x7f]/;

/** Lower case, no accents or punctuation, old spellings modernised, "enakkk" → "enak". */
export function normalize(text: string): string {
  // Indexing normalises every field of every product: plain ASCII skips the Unicode work.
  let value = NON_ASCII.test(text) ? text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '') : text;
  value = value.toLowerCase().replace(/['’`]/g, '').replace(/[^a-z0-9]+/g, ' ').replace(OLD_SPELLING, (old) => OLD_SPELLINGS[old]!);
  return value.replace(/([a-z])\1{2,}/g, '$1').trim();
}

export const isStopword = (word: string) => STOPWORDS.has(word);

/** Normalised words without function words; a reduplication (kue-kue) counts once. */
export function tokenize(text: string): string[] {
  const tokens = normalize(text).split(' ').filter((token) => token && !isStopword(token));
  return tokens.filter((token, index) => token !== tokens[index - 1]);
}

const VOWEL = '[aiueo]';
const PREFIX_RULES: readonly { pattern: RegExp; stems: (rest: string) => string[]; min: number }[] = [
  // meng-/peng- before a vowel dropped a k (mengemas ← kemas) or nothing (mengolah ← olah).
  { pattern: new RegExp(`^(?:me|pe)ng(${VOWEL}.*)$`), stems: (rest) => [`k${rest}`, rest], min: 3 },
  { pattern: /^(?:me|pe)ng([gkh].*)$/, stems: (rest) => [rest], min: 3 },
  // meny-/peny- dropped an s (menyangrai ← sangrai).
  { pattern: new RegExp(`^(?:me|pe)ny(${VOWEL}.*)$`), stems: (rest) => [`s${rest}`], min: 3 },
  // mem-/pem- dropped a p (pemasar ← pasar) or kept an m (memasak ← masak).
  { pattern: new RegExp(`^(?:me|pe)m(${VOWEL}.*)$`), stems: (rest) => [`p${rest}`, `m${rest}`], min: 3 },
  { pattern: /^(?:me|pe)m([bfpv].*)$/, stems: (rest) => [rest], min: 3 },
  // men-/pen- dropped a t (menenun ← tenun) or kept an n.
  { pattern: new RegExp(`^(?:me|pe)n(${VOWEL}.*)$`), stems: (rest) => [`t${rest}`, `n${rest}`], min: 3 },
  { pattern: /^(?:me|pe)n([cdjtsz].*)$/, stems: (rest) => [rest], min: 3 },
  // per-/ter-/ber-, and pe-/be- before a root starting with r, t or another consonant (perawat ← rawat, peternak ← ternak).
  { pattern: /^(?:per|ter|ber)(.*)$/, stems: (rest) => (/^[aiueo]/.test(rest) ? [rest, `r${rest}`] : [rest]), min: 4 },
  { pattern: /^(?:pe|be|me)([lmnrwyt].*)$/, stems: (rest) => [rest], min: 4 },
  { pattern: /^(?:di|ke)(.*)$/, stems: (rest) => [rest], min: 4 },
];

const PARTICLES = ['lah', 'kah', 'pun', 'nya'] as const;

/**
 * The word and the roots it may have been formed from: "kerajinan" → kerajinan, kerajin, rajin;
 * "pemasaran" → pemasaran, pemasar, pasar, masar. Without a dictionary the stripper cannot always
 * tell which root is right, so it keeps every plausible one: documents and queries are analysed
 * alike, so shared roots meet. Roots that merely look affixed (keripik, telur) are left alone.
 */
export function stems(word: string): string[] {
  const found = new Set([word]);
  if (word.length < 5 || PROTECTED_ROOTS.has(word) || /\d/.test(word)) return [...found];
  let base = word;
  const particle = PARTICLES.find((suffix) => base.endsWith(suffix) && base.length - suffix.length >= 4);
  if (particle) {
    base = base.slice(0, -particle.length);
    found.add(base);
  }
  // "-kan" and "-an" overlap (peternakan is peternak + an, not peterna + kan): keep both readings.
  const bases = [base];
  if (!PROTECTED_ROOTS.has(base)) {
    for (const suffix of ['kan', 'an']) {
      if (base.endsWith(suffix) && base.length - suffix.length >= 4) bases.push(base.slice(0, -suffix.length));
    }
  }
  for (const candidate of bases) found.add(candidate);
  let layer = bases;
  for (let depth = 0; depth < 2; depth++) {
    const next: string[] = [];
    for (const candidate of layer) {
      if (PROTECTED_ROOTS.has(candidate)) continue;
      for (const rule of PREFIX_RULES) {
        const match = rule.pattern.exec(candidate);
        if (!match) continue;
        for (const stem of rule.stems(match[1]!)) if (stem.length >= rule.min) next.push(stem);
        break;
      }
    }
    for (const stem of next) found.add(stem);
    layer = next;
  }
  return [...found];
}

/** Optimal string alignment distance: edits where swapping two neighbours counts as one. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

const REGENCY_NAMES: readonly string[] = [...new Set(EAST_JAVA_REGENCIES.map((regency) => normalize(regency.name)))];

/**
 * The regency a word names, despite the typos people make in place names: "gersik" → gresik
 * (a swap), "sidoharjo" → sidoarjo. Short words must match exactly, so "batu" stays a stone.
 */
export function regencyOf(token: string): string | undefined {
  const word = SPELLING_VARIANTS[token] ?? token;
  if (REGENCY_NAMES.includes(word)) return word;
  if (word.length < 5) return undefined;
  const allowed = word.length >= 8 ? 2 : 1;
  const scored = REGENCY_NAMES.map((name) => [name, editDistance(word, name, allowed)] as const).filter(([, d]) => d <= allowed);
  if (scored.length === 0) return undefined;
  const best = Math.min(...scored.map(([, d]) => d));
  const winners = scored.filter(([, d]) => d === best);
  return winners.length === 1 ? winners[0]![0] : undefined;
}

const SYNONYMS = new Map<string, readonly string[]>();
for (const group of SYNONYM_GROUPS) for (const word of group) SYNONYMS.set(word, group);

export function synonymsOf(word: string): readonly string[] {
  return SYNONYMS.get(word) ?? [word];
}

/** The canonical spelling of a word: a known variant's standard form, or the regency it misspells. */
export function canonical(token: string): string {
  return SPELLING_VARIANTS[token] ?? regencyOf(token) ?? token;
}

/** Terms a document is indexed under: its words, their canonical spellings and their roots. */
export function indexTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const token of tokenize(text)) {
    const standard = SPELLING_VARIANTS[token] ?? token;
    terms.add(token);
    for (const stem of stems(standard)) terms.add(stem);
  }
  return [...terms];
}

export interface QueryTerm {
  /** The word as the shopper typed it, normalised. */
  typed: string;
  /** What we take it to mean: the standard spelling, or the regency it misspells. */
  canonical: string;
  /** Every form that counts as a match: the word, its roots and its synonyms. */
  forms: string[];
  /** Set when the word names a regency. */
  regency: string | undefined;
}

/** At most this many words of a query are used; the rest of a pasted paragraph is ignored. */
export const MAX_QUERY_TERMS = 12;

export function analyzeQuery(query: string): QueryTerm[] {
  return tokenize(query)
    .slice(0, MAX_QUERY_TERMS)
    .map((typed) => {
      const standard = canonical(typed);
      const forms = new Set<string>([typed, standard, ...stems(standard)]);
      for (const word of [typed, standard]) for (const synonym of synonymsOf(word)) forms.add(synonym);
      return { typed, canonical: standard, forms: [...forms], regency: regencyOf(typed) };
    });
}
