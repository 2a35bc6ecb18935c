import { stems, normalize } from './analyzer.ts';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const WORD = /[\p{L}\p{N}'’]+/gu;

/** Whether a word of the text matched: the word itself or one of its roots is a matched term. */
export function matcher(matchedTerms: Iterable<string>): (word: string) => boolean {
  const terms = new Set(matchedTerms);
  const decided = new Map<string, boolean>();
  return (word) => {
    let match = decided.get(word);
    if (match === undefined) {
      const normalized = normalize(word);
      match = normalized.length > 0 && stems(normalized).some((form) => terms.has(form));
      decided.set(word, match);
    }
    return match;
  };
}

/** The text, HTML-escaped, with matched words wrapped in <mark>. */
export function markMatches(text: string, isMatch: (word: string) => boolean): string {
  let html = '';
  let last = 0;
  for (const found of text.matchAll(WORD)) {
    const start = found.index!;
    html += escape(text.slice(last, start));
    html += isMatch(found[0]) ? `<mark>${escape(found[0])}</mark>` : escape(found[0]);
    last = start + found[0].length;
  }
  return html + escape(text.slice(last));
}

/** About `words` words of the text around its first match, marked; the start when nothing matched. */
export function snippet(text: string, isMatch: (word: string) => boolean, words = 24): string {
  const all = [...text.matchAll(WORD)];
  if (all.length === 0) return '';
  const first = Math.max(0, all.findIndex((found) => isMatch(found[0])));
  const from = Math.max(0, first - Math.floor(words / 3));
  const to = Math.min(all.length, from + words);
  const start = all[from]!.index!;
  const end = to < all.length ? all[to]!.index! : text.length;
  return `${from > 0 ? '…' : ''}${markMatches(text.slice(start, end).trimEnd(), isMatch)}${to < all.length ? '…' : ''}`;
}

/** Text with engine-inserted markers (Meilisearch's pre/post tags) as escaped HTML with <mark>. */
export function markersToHtml(text: string, pre: string, post: string): string {
  return escape(text).split(escape(pre)).join('<mark>').split(escape(post)).join('</mark>');
}
