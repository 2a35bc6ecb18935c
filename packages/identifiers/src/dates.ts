/**
 * Dates as people in East Java write them: in Western Indonesia Time (WIB, UTC+7, no daylight
 * saving). A consent signed this morning in Jombang is dated today there, even while it is still
 * yesterday in UTC (until 07:00 WIB).
 */
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/** Today's date in East Java, as an ISO date (2026-12-05). */
export const eastJavaToday = (now: Date = new Date()): string => new Date(now.getTime() + WIB_OFFSET_MS).toISOString().slice(0, 10);

/** This year in East Java. */
export const eastJavaYear = (now: Date = new Date()): number => Number(eastJavaToday(now).slice(0, 4));
