/** Indonesia's western time (WIB, East Java) is UTC+7 all year: it has no daylight saving. */
export const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK_MS = 7 * DAY_MS;

/** The year an instant falls in, in WIB. */
export const wibYear = (instant: Date): number => new Date(instant.getTime() + WIB_OFFSET_MS).getUTCFullYear();

/** A Monday's calendar date as YYYY-MM-DD. */
const isoDate = (wallClock: number) => new Date(wallClock).toISOString().slice(0, 10);

/**
 * The ISO 8601 week of a calendar date (YYYY-MM-DD): the week belongs to the year of its
 * Thursday, and week 1 is the week with that year's first Thursday (2024-12-30 is 2025-W01).
 */
export function isoWeekOf(date: string): string {
  const day = Date.parse(`${date}T00:00:00Z`);
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(day + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK_MS) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export interface Week {
  /** The Monday it starts on, in WIB (YYYY-MM-DD). */
  start: string;
  isoWeek: string;
  /** The instants it spans: from Monday 00:00 WIB, to the next Monday 00:00 WIB (excluded). */
  from: Date;
  until: Date;
}

/** The last `count` ISO weeks (Monday to Sunday, WIB) up to and including the one `now` falls in, oldest first. */
export function lastWeeks(now: Date, count: number): Week[] {
  const wallClock = now.getTime() + WIB_OFFSET_MS;
  const today = Math.floor(wallClock / DAY_MS) * DAY_MS;
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY_MS;
  return Array.from({ length: count }, (_, index) => {
    const start = monday - (count - 1 - index) * WEEK_MS;
    return { start: isoDate(start), isoWeek: isoWeekOf(isoDate(start)), from: new Date(start - WIB_OFFSET_MS), until: new Date(start + WEEK_MS - WIB_OFFSET_MS) };
  });
}
