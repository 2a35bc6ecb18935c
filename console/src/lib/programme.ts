import type { Bilingual, Lang } from './i18n.ts';

/**
 * The arithmetic and wording behind the programme dashboard's charts (/dasbor): pure functions,
 * so the page only lays out what these compute.
 */

const locale = (lang: Lang) => (lang === 'id' ? 'id-ID' : 'en-GB');

/** 1.000 in Indonesian, 1,000 in English. */
export const formatCount = (lang: Lang, value: number): string => new Intl.NumberFormat(locale(lang)).format(value);

/** A share as a whole percentage (or one decimal below 10 %): 41 %, 2,5 %. Null when there is no whole. */
export function formatPercent(lang: Lang, part: number, whole: number): string | null {
  if (whole <= 0) return null;
  const share = (part / whole) * 100;
  const digits = share > 0 && share < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(locale(lang), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(share)}%`;
}

/** The top of a chart's scale: the smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (at least 1). */
export function niceMax(value: number): number {
  if (!(value > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** A length along a scale as an SVG percentage, between 0 and 100 (values above the scale are drawn to its end). */
export function share(value: number, max: number): number {
  if (max <= 0 || value <= 0) return 0;
  return Math.min(100, Math.round((value / max) * 10_000) / 100);
}

/** A bar as long as its share, but never so short that a value above zero disappears. */
export const barWidth = (value: number, max: number, minimum = 0.8): number => (value > 0 ? Math.max(minimum, share(value, max)) : 0);

/** A week's Monday (2026-11-30) as a short label: 30 Nov (Indonesian: 30 Nov, 7 Des). */
export function weekLabel(lang: Lang, weekStart: string): string {
  return new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${weekStart}T00:00:00Z`));
}

/** The days a week spans, for its table row: 30 Nov – 6 Des 2026. */
export function weekSpan(lang: Lang, weekStart: string): string {
  const start = new Date(`${weekStart}T00:00:00Z`);
  const end = new Date(start.getTime() + 6 * 86_400_000);
  const format = new Intl.DateTimeFormat(locale(lang), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return format.formatRange(start, end);
}

/**
 * Which week labels a chart of `count` weeks shows, counted back from the current week: every
 * `wide`-th on a wide screen (about 12 across), every `narrow`-th on a phone (about 4), so labels never overlap.
 */
export function labelSteps(count: number): { wide: number; narrow: number } {
  const wide = Math.max(1, Math.ceil(count / 12));
  return { wide, narrow: wide * 3 };
}

export interface YearFigures {
  year: number;
  featured: number;
  stillFeatured: number;
  target: number | null;
}

/** The years the programme set targets for, and what was featured in them. */
export function targetPeriod(years: readonly YearFigures[]): { from: number; to: number; featured: number; target: number } | null {
  const targeted = years.filter((year) => year.target !== null);
  if (targeted.length === 0) return null;
  return {
    from: targeted[0]!.year,
    to: targeted.at(-1)!.year,
    featured: targeted.reduce((sum, year) => sum + year.featured, 0),
    target: targeted.reduce((sum, year) => sum + year.target!, 0),
  };
}

/** One sentence for people who cannot see the chart: each target year's result, and the years since. */
export function featuredSummary(lang: Lang, years: readonly YearFigures[]): string {
  const n = (value: number) => formatCount(lang, value);
  const parts = years.map((y) =>
    y.target === null
      ? lang === 'id'
        ? `${y.year}: ${n(y.featured)} (tanpa target)`
        : `${y.year}: ${n(y.featured)} (no target)`
      : lang === 'id'
        ? `${y.year}: ${n(y.featured)} dari target ${n(y.target)}`
        : `${y.year}: ${n(y.featured)} of a target of ${n(y.target)}`,
  );
  const period = targetPeriod(years);
  const total = period
    ? lang === 'id'
      ? ` Jumlah ${period.from}–${period.to}: ${n(period.featured)} dari ${n(period.target)}.`
      : ` Total ${period.from}–${period.to}: ${n(period.featured)} of ${n(period.target)}.`
    : '';
  return `${parts.join('; ')}.${total}`;
}

export interface FunnelStage {
  key: 'views' | 'interests' | 'agreements' | 'replications';
  label: Bilingual;
  value: number;
  /** This stage as a share of the stage before it (null for the first, or after an empty stage). */
  fromPrevious: string | null;
}

export const FUNNEL_LABELS: Record<FunnelStage['key'], Bilingual> = {
  views: { id: 'Dilihat', en: 'Views' },
  interests: { id: 'Minat', en: 'Interest' },
  agreements: { id: 'Kesepakatan', en: 'Agreements' },
  replications: { id: 'Replikasi', en: 'Replications' },
};

export function funnelStages(lang: Lang, funnel: Record<FunnelStage['key'], number>): FunnelStage[] {
  const keys = Object.keys(FUNNEL_LABELS) as FunnelStage['key'][];
  return keys.map((key, index) => ({
    key,
    label: FUNNEL_LABELS[key],
    value: funnel[key],
    fromPrevious: index === 0 ? null : formatPercent(lang, funnel[key], funnel[keys[index - 1]!]),
  }));
}

export interface RegencyRow {
  code: string;
  name: string;
  pesantrenWithFeaturedProduct: number;
  featuredProducts: number;
  pesantrenWithSellers: number;
  /** Registered pesantren (the pesantren service's count); null when it could not be asked. */
  registered: number | null;
}

export const REGENCY_SORTS = {
  pesantren: { id: 'Pesantren dengan produk unggulan', en: 'Pesantren with a featured product' },
  produk: { id: 'Produk unggulan', en: 'Featured products' },
  nama: { id: 'Nama kabupaten/kota', en: 'Regency/city name' },
} as const satisfies Record<string, Bilingual>;
export type RegencySort = keyof typeof REGENCY_SORTS;

/** Most first (names A–Z for ties), or by name. */
export function sortRegencies(rows: readonly RegencyRow[], sort: RegencySort): RegencyRow[] {
  const byName = (a: RegencyRow, b: RegencyRow) => a.name.localeCompare(b.name, 'id');
  const order: Record<RegencySort, (a: RegencyRow, b: RegencyRow) => number> = {
    pesantren: (a, b) => b.pesantrenWithFeaturedProduct - a.pesantrenWithFeaturedProduct || b.featuredProducts - a.featuredProducts || byName(a, b),
    produk: (a, b) => b.featuredProducts - a.featuredProducts || b.pesantrenWithFeaturedProduct - a.pesantrenWithFeaturedProduct || byName(a, b),
    nama: byName,
  };
  return [...rows].sort(order[sort]);
}
