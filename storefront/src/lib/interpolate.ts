/**
 * Fills a message's `{name}` places, and picks a word by a number: `{count:product|products}` is
 * "product" when count is one and "products" otherwise (English pages said "1 products"). The
 * number may come already formatted ("1.234" in Indonesian, "1,234" in English); Indonesian nouns
 * do not change, so its messages need no choice. Shared by the pages and the browser's islands.
 * A value not given stays as its `{name}`, or becomes `missing` when that is given.
 */
export function interpolate(template: string, values: Record<string, string | number>, missing?: string): string {
  return template.replace(/\{(\w+)(?::([^|{}]*)\|([^{}]*))?\}/g, (match, name: string, one?: string, other?: string) => {
    const value = values[name];
    if (one === undefined || other === undefined) return value === undefined ? (missing ?? match) : String(value);
    return Number(String(value ?? '').replace(/[^\d]/g, '')) === 1 ? one : other;
  });
}
