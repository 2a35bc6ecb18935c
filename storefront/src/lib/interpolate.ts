/**
 * Fills a message's `{name}` places, and picks a word by a number: `{count:product|products}` is
 * "product" when count is one and "products" otherwise (English pages said "1 products"). The
 * number may come already formatted ("1.234" in Indonesian, "1,234" in English); Indonesian nouns
 * do not change, so its messages need no choice. Shared by the pages and the browser's islands.
 * A value not given stays as its `{name}` (a choice too, for an island to make), or becomes `missing` when that is given.
 */
export function interpolate(template: string, values: Record<string, string | number>, missing?: string): string {
  return template.replace(/\{(\w+)(?::([^|{}]*)\|([^{}]*))?\}/g, (match, name: string, one?: string, other?: string) => {
    const value = values[name];
    // Not given: kept for the island that fills it in the browser (a page giving its island "{total}
    // {total:product|products} found" had picked "products" at build time: "1 products found").
    if (value === undefined) return missing ?? match;
    if (one === undefined || other === undefined) return String(value);
    return Number(String(value ?? '').replace(/[^\d]/g, '')) === 1 ? one : other;
  });
}
