import { describe, expect, it } from 'vitest';
import { barWidth, featuredSummary, formatPercent, funnelStages, labelSteps, niceMax, share, sortRegencies, targetPeriod, weekLabel, weekSpan, type RegencyRow } from '../src/lib/programme.ts';

describe('the programme dashboard’s arithmetic', () => {
  it('rounds a scale up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 1, 2, 3, 7, 10, 11, 24, 150, 251, 1_001].map(niceMax)).toEqual([1, 1, 2, 5, 10, 10, 20, 25, 200, 500, 2_000]);
  });

  it('draws shares of a scale as percentages, values above it to its end, a value above zero never invisible', () => {
    expect(share(50, 200)).toBe(25);
    expect(share(1, 3)).toBe(33.33);
    expect(share(300, 200)).toBe(100);
    expect(share(5, 0)).toBe(0);
    expect(barWidth(1, 1_000)).toBe(0.8);
    expect(barWidth(0, 1_000)).toBe(0);
    expect(barWidth(500, 1_000)).toBe(50);
  });

  it('writes percentages the Indonesian or English way, with a decimal below 10 %', () => {
    expect(formatPercent('id', 61, 1_000)).toBe('6,1%');
    expect(formatPercent('en', 61, 1_000)).toBe('6.1%');
    expect(formatPercent('id', 412, 1_000)).toBe('41%');
    expect(formatPercent('id', 0, 150)).toBe('0%');
    expect(formatPercent('id', 3, 0)).toBeNull();
  });

  it('labels weeks so they never crowd: about 12 on a wide chart, a third as many on a phone', () => {
    expect(labelSteps(12)).toEqual({ wide: 1, narrow: 3 });
    expect(labelSteps(26)).toEqual({ wide: 3, narrow: 9 });
    expect(labelSteps(52)).toEqual({ wide: 5, narrow: 15 });
    expect(weekLabel('id', '2026-12-07')).toBe('7 Des');
    expect(weekSpan('id', '2026-11-30')).toMatch(/^30 Nov\s*–\s*6 Des 2026$/);
  });

  const years = [
    { year: 2018, featured: 1, stillFeatured: 1, target: null },
    { year: 2019, featured: 140, stillFeatured: 130, target: 150 },
    { year: 2020, featured: 210, stillFeatured: 200, target: 200 },
    { year: 2024, featured: 5, stillFeatured: 5, target: null },
  ];

  it('adds up the target years and says each year in a sentence', () => {
    expect(targetPeriod(years)).toEqual({ from: 2019, to: 2020, featured: 350, target: 350 });
    expect(targetPeriod([years[0]!])).toBeNull();
    expect(featuredSummary('id', years)).toBe('2018: 1 (tanpa target); 2019: 140 dari target 150; 2020: 210 dari target 200; 2024: 5 (tanpa target). Jumlah 2019–2020: 350 dari 350.');
    expect(featuredSummary('en', years.slice(1, 2))).toBe('2019: 140 of a target of 150. Total 2019–2019: 140 of 150.');
  });

  it('gives each funnel stage as a share of the one before', () => {
    expect(funnelStages('id', { views: 1_500, interests: 60, agreements: 9, replications: 9 }).map((s) => [s.key, s.value, s.fromPrevious])).toEqual([
      ['views', 1_500, null],
      ['interests', 60, '4%'],
      ['agreements', 9, '15%'],
      ['replications', 9, '100%'],
    ]);
    expect(funnelStages('en', { views: 0, interests: 0, agreements: 0, replications: 0 })[1]!.fromPrevious).toBeNull();
  });

  it('sorts regencies by pesantren with a featured product, by featured products, or by name', () => {
    const row = (name: string, pesantren: number, products: number): RegencyRow => ({ code: name, name, pesantrenWithFeaturedProduct: pesantren, featuredProducts: products, pesantrenWithSellers: pesantren, registered: null });
    const rows = [row('Kota Batu', 1, 9), row('Kabupaten Gresik', 3, 4), row('Kabupaten Blitar', 3, 6), row('Kabupaten Jombang', 0, 0)];
    expect(sortRegencies(rows, 'pesantren').map((r) => r.name)).toEqual(['Kabupaten Blitar', 'Kabupaten Gresik', 'Kota Batu', 'Kabupaten Jombang']);
    expect(sortRegencies(rows, 'produk').map((r) => r.name)).toEqual(['Kota Batu', 'Kabupaten Blitar', 'Kabupaten Gresik', 'Kabupaten Jombang']);
    expect(sortRegencies(rows, 'nama').map((r) => r.name)).toEqual(['Kabupaten Blitar', 'Kabupaten Gresik', 'Kabupaten Jombang', 'Kota Batu']);
  });
});
