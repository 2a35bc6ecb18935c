import { describe, expect, it } from 'vitest';
import { homeShowcase, SHOWCASE_SIZE } from '../src/lib/showcase.ts';

const product = (id: number, featured: boolean, photos: number) => ({ id, featured, images: Array.from({ length: photos }, () => ({})) });

describe("the home page's featured row", () => {
  it('leads with featured products that have a photo, newest first, then featured ones without (a new user saw only placeholder tiles)', () => {
    // Newest first, as the catalogue is ordered: only products 5, 9 and 12 of the featured ones have photos.
    const catalogue = Array.from({ length: 20 }, (_, id) => product(id, id % 4 !== 3, [5, 9, 12].includes(id) ? 2 : 0));
    const row = homeShowcase(catalogue);
    expect(row.map((p) => p.id)).toEqual([5, 9, 12, 0, 1, 2, 4, 6]);
    expect(row.every((p) => p.featured)).toBe(true);
  });

  it('never shows a product that is not featured while a featured one is left out, photo or not', () => {
    const catalogue = [product(1, false, 3), product(2, true, 0), product(3, false, 1)];
    expect(homeShowcase(catalogue).map((p) => p.id)).toEqual([2]);
  });

  it('shows the newest products when nothing is featured yet, and never more than a row', () => {
    const catalogue = Array.from({ length: 30 }, (_, id) => product(id, false, id % 2));
    expect(homeShowcase(catalogue).map((p) => p.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(homeShowcase(Array.from({ length: 30 }, (_, id) => product(id, true, 1)))).toHaveLength(SHOWCASE_SIZE);
    expect(homeShowcase([])).toEqual([]);
  });
});
