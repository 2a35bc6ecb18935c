/**
 * The OPOP programme's public targets (Dinas Koperasi dan UKM Jawa Timur): 1,000 featured
 * products (produk unggulan) over 2019–2023, so many a year, and at least 1,000 pesantren with a
 * featured product by 2024. Targets the dashboard measures against, never results.
 */
export const FEATURED_PRODUCT_TARGETS: ReadonlyMap<number, number> = new Map([
  [2019, 150],
  [2020, 200],
  [2021, 200],
  [2022, 200],
  [2023, 250],
]);

/** The first year the programme set a target for: `featuredByYear` starts here (or earlier, when products were). */
export const FIRST_PROGRAMME_YEAR = Math.min(...FEATURED_PRODUCT_TARGETS.keys());

export const FEATURED_PRODUCT_TARGET = [...FEATURED_PRODUCT_TARGETS.values()].reduce((sum, target) => sum + target, 0);

export const PESANTREN_TARGET = { pesantren: 1_000, byEndOf: 2024 } as const;
