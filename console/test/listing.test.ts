import { describe, expect, it } from 'vitest';
import { daysSince, hrefOf, MAX_TRAIL, pageLinks, positionOf, rangeText, waitingText } from '../src/lib/listing.ts';

const url = (href: string) => new URL(href, 'http://console.test').searchParams;
const filters = { status: 'menunggu', kabupaten: '3514', cari: 'kopi & teh', kategori: null };

describe('list pages: filters and cursors in the URL', () => {
  it('leaves empty filters out of a link and escapes the rest', () => {
    expect(hrefOf('/kurasi', filters)).toBe('/kurasi?status=menunggu&kabupaten=3514&cari=kopi+%26+teh');
    expect(hrefOf('/kurasi', { status: null, cari: '' })).toBe('/kurasi');
  });

  it('walks forward through pages and back again to the first, keeping the filters', () => {
    const cursors = ['product.LONGEST_WAITING~WzFd', 'product.LONGEST_WAITING~WzJd', 'product.LONGEST_WAITING~WzNd'];
    let position = positionOf(url('/kurasi?status=menunggu'));
    expect(position).toEqual({ after: null, trail: [], page: 1 });
    const forward: string[] = [];
    for (const cursor of cursors) {
      const { next } = pageLinks('/kurasi', filters, position, { hasNextPage: true, endCursor: cursor });
      forward.push(next!);
      position = positionOf(url(next!));
      expect(position.after).toBe(cursor);
      expect(url(next!).get('cari')).toBe('kopi & teh');
    }
    expect(position).toEqual({ after: cursors[2], trail: cursors.slice(0, 2), page: 4 });
    expect(pageLinks('/kurasi', filters, position, { hasNextPage: false, endCursor: 'x' }).next).toBeNull();
    const back: string[] = [];
    for (;;) {
      const { previous, previousIsFirst } = pageLinks('/kurasi', filters, position, { hasNextPage: true, endCursor: 'x' });
      if (!previous) break;
      expect(previousIsFirst).toBe(false);
      back.push(previous);
      position = positionOf(url(previous));
    }
    // Back to page 3, page 2, then the first page, whose link carries the filters only.
    expect(back).toEqual([forward[1], forward[0], hrefOf('/kurasi', filters)]);
  });

  it(`keeps the last ${MAX_TRAIL} cursors; from further on, "previous" says it goes to the first page`, () => {
    const trail = Array.from({ length: MAX_TRAIL + 5 }, (_, i) => `product.NEWEST~c${i}`);
    const position = positionOf(url(hrefOf('/kurasi', { setelah: 'product.NEWEST~last', jejak: trail.join(','), halaman: MAX_TRAIL + 7 })));
    expect(position.trail).toEqual(trail.slice(-MAX_TRAIL));
    expect(position.page).toBe(MAX_TRAIL + 7);
    const next = positionOf(url(pageLinks('/kurasi', {}, position, { hasNextPage: true, endCursor: 'product.NEWEST~more' }).next!));
    expect(next.trail).toHaveLength(MAX_TRAIL);
    expect(next.trail.at(-1)).toBe('product.NEWEST~last');
    const cut = positionOf(url(hrefOf('/kurasi', { setelah: 'product.NEWEST~c', halaman: 40 })));
    expect(pageLinks('/kurasi', { status: 'semua' }, cut, { hasNextPage: false, endCursor: null })).toEqual({ previous: '/kurasi?status=semua', previousIsFirst: true, next: null });
  });

  it('ignores what cannot be a cursor or a page number', () => {
    expect(positionOf(url('/kurasi?setelah=%3Cscript%3E&jejak=a,b'))).toEqual({ after: null, trail: [], page: 1 });
    expect(positionOf(url('/kurasi?setelah=product.NEWEST~ok&jejak=bad%20one,product.NEWEST~a&halaman=-3'))).toEqual({ after: 'product.NEWEST~ok', trail: ['product.NEWEST~a'], page: 3 });
  });

  it('says which rows a page shows, and how long a product has waited in whole days', () => {
    expect(rangeText('id', { after: 'c', trail: [], page: 2 }, 25, 25, 54)).toBe('26–50 dari 54');
    expect(rangeText('en', { after: null, trail: [], page: 1 }, 25, 0, 0)).toBe('0 of 0');
    const now = Date.parse('2026-12-05T00:00:00Z');
    expect(daysSince('2026-11-23T06:00:00Z', now)).toBe(11);
    expect(waitingText('id', 'SUBMITTED', '2026-11-23T00:00:00Z', now)).toBe('menunggu 12 hari');
    expect(waitingText('en', 'IN_REVIEW', '2026-11-23T00:00:00Z', now)).toBe('waiting 12 days');
    expect(waitingText('en', 'FEATURED', '2026-12-04T00:00:00Z', now)).toBe('for 1 day');
    expect(waitingText('id', 'FEATURED', '2026-11-04T00:00:00Z', now)).toBe('sejak 31 hari lalu');
    expect(waitingText('id', 'FEATURED', '2026-12-04T12:00:00Z', now)).toBe('sejak hari ini');
    expect(daysSince('2027-01-01T00:00:00Z', now)).toBe(0);
  });
});
