import type { Bilingual, Lang } from './i18n.ts';

/**
 * What the console's long lists (the curation queue, an operator's products, the order inbox)
 * share: their filters live in the URL (forms use GET, so they work without JavaScript and a
 * filtered list can be bookmarked or sent), and they page with the API's cursors.
 *
 * The API pages forward only (`first`/`after`). A page's URL carries the cursor it starts after
 * (`setelah`) and the cursors of the pages before it (`jejak`), so "previous" is a plain link
 * too. The trail keeps at most MAX_TRAIL cursors to bound the URL; from further on, "previous"
 * leads back to the first page.
 */
export const MAX_TRAIL = 30;
/** Cursors are `scope~base64url`: letters, digits, `.`, `_`, `-`, `~`. Anything else is not ours. */
const CURSOR = /^[A-Za-z0-9._~-]{1,400}$/;

export interface ListPosition {
  /** The cursor this page starts after; null on the first page. */
  after: string | null;
  /** The cursors the pages before this one started after (the first page's is absent), oldest first. */
  trail: string[];
  /** 1 for the first page; shown, and carried because the trail may have been cut short. */
  page: number;
}

export function positionOf(params: URLSearchParams): ListPosition {
  const after = params.get('setelah');
  if (!after || !CURSOR.test(after)) return { after: null, trail: [], page: 1 };
  const trail = (params.get('jejak') ?? '').split(',').filter((cursor) => CURSOR.test(cursor)).slice(-MAX_TRAIL);
  const page = Number(params.get('halaman'));
  return { after, trail, page: Number.isInteger(page) && page >= 2 && page <= 100_000 ? page : trail.length + 2 };
}

/** `path?query` with the empty values left out. */
export function hrefOf(path: string, params: Record<string, string | number | null | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') query.set(key, String(value));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export interface PageLinks {
  previous: string | null;
  /** Whether `previous` leads to the first page because the trail was cut short. */
  previousIsFirst: boolean;
  next: string | null;
}

/** Links to the pages either side of this one, each keeping the list's filters. */
export function pageLinks(path: string, filters: Record<string, string | number | null | undefined>, position: ListPosition, pageInfo: { hasNextPage: boolean; endCursor: string | null | undefined }): PageLinks {
  let previous: string | null = null;
  let previousIsFirst = false;
  if (position.after) {
    const back = position.trail.at(-1);
    const firstPage = !back || position.page <= 2;
    previous = firstPage ? hrefOf(path, filters) : hrefOf(path, { ...filters, setelah: back, jejak: position.trail.slice(0, -1).join(','), halaman: position.page - 1 });
    previousIsFirst = firstPage && position.page > 2;
  }
  const next =
    pageInfo.hasNextPage && pageInfo.endCursor
      ? hrefOf(path, { ...filters, setelah: pageInfo.endCursor, jejak: [...position.trail, ...(position.after ? [position.after] : [])].slice(-MAX_TRAIL).join(','), halaman: position.page + 1 })
      : null;
  return { previous, previousIsFirst, next };
}

/** "21–40 of 265": the rows this page shows, when every page before it was full. */
export function rangeText(lang: Lang, position: ListPosition, pageSize: number, shown: number, total: number): string {
  if (shown === 0) return lang === 'id' ? `0 dari ${total}` : `0 of ${total}`;
  const first = (position.page - 1) * pageSize + 1;
  return `${first}–${first + shown - 1} ${lang === 'id' ? 'dari' : 'of'} ${total}`;
}

const DAY_MS = 86_400_000;

/** Whole days since `since`: what "more than N days" compares (a product 7.5 days in counts as 7). */
export const daysSince = (since: string | Date, now = Date.now()): number => Math.max(0, Math.floor((now - new Date(since).getTime()) / DAY_MS));

/** "menunggu 12 hari / waiting 12 days", or how long a product has been featured ("sejak 12 hari lalu"), shown after its status. */
export function waitingText(lang: Lang, status: string, since: string | Date, now = Date.now()): string {
  const days = daysSince(since, now);
  // Shown after the status label ("Unggulan"): not "Unggulan unggulan sejak …" (a new user).
  if (status === 'FEATURED') {
    if (days === 0) return lang === 'id' ? 'sejak hari ini' : 'since today';
    return lang === 'id' ? `sejak ${days} hari lalu` : `for ${days} ${days === 1 ? 'day' : 'days'}`;
  }
  return lang === 'id' ? `menunggu ${days} hari` : `waiting ${days} ${days === 1 ? 'day' : 'days'}`;
}

/** The waiting times the queue's filter offers, in days. */
export const WAITING_CHOICES = [3, 7, 14, 30, 60, 90, 180, 365] as const;

export const waitingChoiceLabel = (days: number): Bilingual => ({ id: `lebih dari ${days} hari`, en: `more than ${days} days` });

/** One of `allowed`, or null: URL values are typed by people and by links of older versions. */
export const oneOf = <T extends string>(value: string | null, allowed: readonly T[]): T | null => (value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null);

/** A text search as the API takes it: trimmed, at most 100 characters (the input says so too). */
export const searchText = (value: string | null): string | null => {
  const text = value?.trim().slice(0, 100);
  return text ? text : null;
};
