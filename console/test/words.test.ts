import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, unitAfter, weight } from '../src/lib/i18n.ts';

describe('dates in the console', () => {
  it('writes a calendar date as the date part of a timestamp is written, in both languages', () => {
    expect(formatDate('id', '2026-12-10')).toBe('10 Des 2026');
    expect(formatDate('en', '2026-12-10')).toBe('10 Dec 2026');
    // The same words as formatDateTime's date, so a page never shows two styles side by side.
    expect(formatDateTime('id', new Date('2026-12-10T03:00:00Z')).startsWith(formatDate('id', '2026-12-10'))).toBe(true);
    expect(formatDateTime('en', new Date('2026-12-10T03:00:00Z')).startsWith(formatDate('en', '2026-12-10'))).toBe(true);
  });

  it('keeps the calendar day whatever the server clock’s zone, and leaves anything else as it is', () => {
    expect(formatDate('id', '2026-01-01')).toBe('1 Jan 2026');
    expect(formatDate('id', '2026-02-30')).toBe('2026-02-30');
    expect(formatDate('id', 'kemarin')).toBe('kemarin');
    expect(formatDate('id', '')).toBe('');
  });
});

describe('units after a count', () => {
  const jar = { english: 'jar', englishPlural: 'jars' };
  it('writes the English word in English, plural after any count but one, and the seller’s word otherwise, marked Indonesian on an English page', () => {
    expect(unitAfter('en', 1, 'toples', jar)).toEqual({ text: 'jar', lang: undefined });
    expect(unitAfter('en', 0, 'toples', jar)).toEqual({ text: 'jars', lang: undefined });
    expect(unitAfter('en', 12, 'toples', jar)).toEqual({ text: 'jars', lang: undefined });
    expect(unitAfter('id', 12, 'toples', jar)).toEqual({ text: 'toples', lang: undefined });
    expect(unitAfter('en', 3, 'ikat', { english: null, englishPlural: null })).toEqual({ text: 'ikat', lang: 'id' });
    expect(unitAfter('en', 3, 'pack', { english: 'pack', englishPlural: null })).toEqual({ text: 'pack', lang: undefined });
  });
});

describe('weights in the console', () => {
  it('writes a pack as the storefront and the seller’s WhatsApp message do: grams, then kilograms with the language’s decimal mark', () => {
    expect(weight('id', 250)).toBe('250 g');
    expect(weight('id', 1_250)).toBe('1,25 kg');
    expect(weight('en', 1_250)).toBe('1.25 kg');
    expect(weight('en', 25_000)).toBe('25 kg');
  });
});
