import { describe, expect, it } from 'vitest';
import { interpolate } from '../src/lib/interpolate.ts';
import { MESSAGES, partnerEngagementCount, t } from '../src/lib/messages.ts';

describe('messages with numbers', () => {
  it('say one thing in the singular and more in the plural, in English, with numbers as formatted', () => {
    expect(t('en', 'partnerEngagementCount', { count: 1 })).toBe('1 engagement with pesantren, newest first.');
    expect(t('en', 'partnerEngagementCount', { count: 6 })).toBe('6 engagements with pesantren, newest first.');
    expect(t('en', 'searchResults', { total: '1,234' })).toBe('1,234 products found');
    expect(t('en', 'searchResults', { total: '1' })).toBe('1 product found');
    expect(t('en', 'categoryListing', { category: 'Kopi', count: 0 })).toBe('Kopi from the pesantren, santri and alumni of East Java: 0 products.');
    expect(t('id', 'partnerEngagementCount', { count: 1 })).toBe('1 kegiatan pendampingan pesantren, terbaru di atas.');
  });

  it('say no order for a partner with one engagement (a walkthrough read "1 engagement, newest first")', () => {
    expect(partnerEngagementCount(1, 'en')).toBe('1 engagement with pesantren.');
    expect(partnerEngagementCount(1, 'id')).toBe('1 kegiatan pendampingan pesantren.');
    expect(partnerEngagementCount(2, 'en')).toBe('2 engagements with pesantren, newest first.');
    expect(partnerEngagementCount(2, 'id')).toBe('2 kegiatan pendampingan pesantren, terbaru di atas.');
  });

  it('keep a place with no value, or fill it as asked; 11 and 21 are plural', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(interpolate('{a} and {b}', { a: 1 }, '')).toBe('1 and ');
    expect(interpolate('{n} {n:item|items}', { n: 11 })).toBe('11 items');
    expect(interpolate('{n} {n:item|items}', { n: '21' })).toBe('21 items');
  });

  it('leave a choice whose number is not known yet to the island that knows it (a new user read "1 products found" on the English search page)', () => {
    const forIsland = t('en', 'searchResults');
    expect(forIsland).toBe('{total} {total:product|products} found');
    expect(interpolate(forIsland, { total: '1' })).toBe('1 product found');
    expect(interpolate(forIsland, { total: '2' })).toBe('2 products found');
    expect(interpolate('{n:item|items}', {}, '')).toBe('');
  });

  it('write rupiah as every price is written, in both languages: Rp 25.000, never Rp 25,000 (a new user saw both on one English page)', () => {
    const commaThousands = Object.entries(MESSAGES).filter(([, message]) => /Rp\s?\d{1,3}(,\d{3})+/.test(message.en)).map(([key]) => key);
    expect(commaThousands).toEqual([]);
  });
});
