/**
 * Dates as people in East Java write them: in Western Indonesia Time (WIB, UTC+7, no daylight
 * saving). A consent signed this morning in Jombang is dated today there, even while it is still
 * yesterday in UTC (until 07:00 WIB).
 */
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/** Today's date in East Java, as an ISO date (2026-12-05). */
export const eastJavaToday = (now: Date = new Date()): string => eastJavaDateInYears(0, now);

/** The same day `years` from today in East Java (how far ahead something may be planned). */
export function eastJavaDateInYears(years: number, now: Date = new Date()): string {
  const there = new Date(now.getTime() + WIB_OFFSET_MS);
  there.setUTCFullYear(there.getUTCFullYear() + years);
  return there.toISOString().slice(0, 10);
}

/** Whether `value` is a real calendar date written YYYY-MM-DD (not 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** This year in East Java. */
export const eastJavaYear = (now: Date = new Date()): number => Number(eastJavaToday(now).slice(0, 4));
