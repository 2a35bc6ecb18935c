import { stems, normalize } from './analyzer.ts';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const SPECIAL = /[&<>"]/;
const escape = (text: string) => (SPECIAL.test(text) ? text.replace(/[&<>"]/g, (char) => ESCAPES[char]!) : text);
/** A character of a word: a letter, a digit or an apostrophe (the words `/[\p{L}\p{N}'’]+/u` finds). */
const WORD_CHAR = /^[\p{L}\p{N}'’]$/u;

/**
 * The length of the word character at `at` (2 for a letter outside the BMP), 0 when it is none.
 * Highlighting runs on every hit of every search: scanning by character codes, with the
 * Unicode class tried only past ASCII, allocates no match object per word.
 */
function wordCharAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 39 ? 1 : 0;
  if (code >= 0xd800 && code <= 0xdbff && at + 1 < text.length) {
    const low = text.charCodeAt(at + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return WORD_CHAR.test(text.slice(at, at + 2)) ? 2 : 0;
  }
  return WORD_CHAR.test(text[at]!) ? 1 : 0;
}

/** The end of the word starting at or after `from`, its start left in `wordStart`; -1 when no word is left. */
let wordStart = 0;
function nextWord(text: string, from: number): number {
  let at = from;
  let width = 0;
  while (at < text.length && (width = wordCharAt(text, at)) === 0) at++;
  if (at >= text.length) return -1;
  wordStart = at;
  at += width;
  while (at < text.length && (width = wordCharAt(text, at)) > 0) at += width;
  return at;
}

/** Each word's roots, as `stems` finds them: the same words recur in every search's hits. Bounded. */
const FORMS = new Map<string, readonly string[]>();
const MAX_FORMS = 50_000;
function formsOf(word: string): readonly string[] {
  let forms = FORMS.get(word);
  if (!forms) {
    const normalized = normalize(word);
    forms = normalized.length > 0 ? stems(normalized) : [];
    if (FORMS.size >= MAX_FORMS) FORMS.clear();
    FORMS.set(word, forms);
  }
  return forms;
}

/** Whether a word of the text matched: the word itself or one of its roots is a matched term. */
export function matcher(matchedTerms: Iterable<string>): (word: string) => boolean {
  const terms = new Set(matchedTerms);
  const decided = new Map<string, boolean>();
  return (word) => {
    let match = decided.get(word);
    if (match === undefined) {
      match = formsOf(word).some((form) => terms.has(form));
      decided.set(word, match);
    }
    return match;
  };
}

/** The text, HTML-escaped, with matched words wrapped in <mark>. */
export function markMatches(text: string, isMatch: (word: string) => boolean): string {
  // Words hold no character that needs escaping: only the text between marked words is escaped.
  let html = '';
  let last = 0;
  for (let end = nextWord(text, 0); end >= 0; end = nextWord(text, end)) {
    const start = wordStart;
    const word = text.slice(start, end);
    if (!isMatch(word)) continue;
    html += `${escape(text.slice(last, start))}<mark>${word}</mark>`;
    last = end;
  }
  return last === 0 ? escape(text) : html + escape(text.slice(last));
}

/** Word starts of the text being cut into a snippet (reused: one snippet at a time). */
let starts = new Int32Array(256);

/** About `words` words of the text around its first match, marked; the start when nothing matched. */
export function snippet(text: string, isMatch: (word: string) => boolean, words = 24): string {
  let count = 0;
  let first = -1;
  for (let end = nextWord(text, 0); end >= 0; end = nextWord(text, end)) {
    if (count === starts.length) {
      const grown = new Int32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[count] = wordStart;
    if (first < 0 && isMatch(text.slice(wordStart, end))) first = count;
    count++;
  }
  if (count === 0) return '';
  const from = Math.max(0, Math.max(0, first) - Math.floor(words / 3));
  const to = Math.min(count, from + words);
  const start = starts[from]!;
  const end = to < count ? starts[to]! : text.length;
  return `${from > 0 ? '…' : ''}${markMatches(text.slice(start, end).trimEnd(), isMatch)}${to < count ? '…' : ''}`;
}

/** Text with engine-inserted markers (Meilisearch's pre/post tags) as escaped HTML with <mark>. */
export function markersToHtml(text: string, pre: string, post: string): string {
  return escape(text).split(escape(pre)).join('<mark>').split(escape(post)).join('</mark>');
}
